"""Handing a run to the background worker (`manage.py db_worker`), and what the worker writes
while it runs: claiming the run and its progress."""

from __future__ import annotations

from django.utils import timezone

from safeguarding.health_records.models import LinkageRun


def run_enqueue(run_id: int) -> None:
    from safeguarding.health_records.tasks import link_run

    result = link_run.enqueue(run_id)
    LinkageRun.objects.filter(pk=run_id, task_id="").update(task_id=str(result.id)[:64])


def run_started(*, run: LinkageRun) -> LinkageRun | None:
    """Claim a queued run for this worker; None if another worker has already claimed it (the
    conditional UPDATE is atomic, so two workers can never both run it)."""
    claimed = LinkageRun.objects.filter(pk=run.pk, status=LinkageRun.Status.QUEUED).update(
        status=LinkageRun.Status.RUNNING, started_at=timezone.now(), progress="Reading extracts"
    )
    if not claimed:
        return None
    run.refresh_from_db()
    return run


def run_progress(*, run: LinkageRun, step: str) -> None:
    """Shown on the run's page while it runs (no audit entry: it changes nothing recorded)."""
    LinkageRun.objects.filter(pk=run.pk).update(progress=step[:200])
