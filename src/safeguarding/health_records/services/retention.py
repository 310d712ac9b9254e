"""Retention: after HEALTH_RECORDS_RETENTION_DAYS the extracts and named results go; the
aggregates stay."""

from __future__ import annotations

import datetime

from django.conf import settings
from django.db import transaction
from django.utils import timezone

from safeguarding.core import audit
from safeguarding.health_records.models import ImportProblem, LinkageRun, WorklistItem
from safeguarding.health_records.services.storage import remove_stored, run_dir


def retention_days() -> int:
    return int(getattr(settings, "HEALTH_RECORDS_RETENTION_DAYS", 30))


def purge_expired(*, days: int | None = None, now=None, actor=None) -> dict[str, int]:
    """Delete uploaded extracts and named results older than `days` (default the setting),
    keeping only aggregates: run and import counts, and each worklist item's direction,
    outcome, locality, team, GP practice and age band. Worklist items refreshed by a later run
    are kept until that run expires too. One run at a time, each in its own transaction."""
    days = retention_days() if days is None else days
    if days < 0:
        raise ValueError("Days must be 0 or more.")
    now = now or timezone.now()
    cutoff = now - datetime.timedelta(days=days)
    totals = {"runs": 0, "files": 0, "problems": 0, "review_pairs": 0, "worklist_items": 0}
    expired = LinkageRun.objects.filter(created_at__lt=cutoff, purged_at__isnull=True)
    expired = expired.exclude(status__in=[LinkageRun.Status.QUEUED, LinkageRun.Status.RUNNING])
    for run in expired.order_by("pk"):
        with transaction.atomic():
            run = LinkageRun.objects.select_for_update().get(pk=run.pk)
            files = 0
            for extract in run.imports.all():
                if extract.stored_path:
                    files += 1
                    transaction.on_commit(lambda p=extract.stored_path: remove_stored(p))
            problems, _ = ImportProblem.objects.filter(extract__run=run).delete()
            run.imports.update(stored_path="", purged_at=now)
            pairs = run.review_pairs.filter(purged_at__isnull=True).update(
                gp={}, hv={}, repeats={}, purged_at=now
            )
            items = WorklistItem.objects.filter(last_run=run, purged_at__isnull=True).update(
                **{name: "" for name in WorklistItem.NAMED_FIELDS if name != "date_of_birth"},
                date_of_birth=None,
                outcome_notes="",
                purged_at=now,
            )
            output, directory = run.output_dir, run_dir(run)
            transaction.on_commit(
                lambda o=output, d=directory: (remove_stored(o), remove_stored(d))
            )
            run.output_dir = ""
            run.purged_at = now
            run.save(update_fields=["output_dir", "purged_at"])
            changes = {"files": files, "problems": problems, "review_pairs": pairs}
            changes["worklist_items"] = items
            audit.record(
                action="health_records.linkagerun.purged",
                obj=run,
                actor=actor,
                changes={**changes, "retention_days": days},
            )
        totals["runs"] += 1
        for key, value in changes.items():
            totals[key] += value
    return totals
