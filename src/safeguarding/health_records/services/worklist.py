"""The follow-up worklist: one open item per unknown child, refreshed by each run; outcomes
recorded by the team or an analyst; reallocation by an analyst."""

from __future__ import annotations

import datetime
from collections import Counter
from collections.abc import Iterable

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone

from safeguarding.core import audit
from safeguarding.health_records.access import ANALYSTS_ONLY, is_analyst, may_work_on
from safeguarding.health_records.age_bands import age_band
from safeguarding.health_records.models import Direction, LinkageRun, Outcome, WorklistItem
from safeguarding.health_records.services.allocation import Allocator
from safeguarding.health_records.snapshots import snapshot
from safeguarding.people.models import Locality, Team

FOLLOW_UP_DAYS = 28  # a new unknown child is due to be followed up within four weeks
NOT_ALLOCATED = "Not allocated"
NOT_GIVEN = "Not given"
BATCH = 2000

REFRESHED_FIELDS = [
    *WorklistItem.NAMED_FIELDS,
    "gp_practice_code",
    "hv_team_code",
    "age_band",
    "last_run",
    "purged_at",
    "locality",
    "team",
]


def worklist_refresh(
    run: LinkageRun,
    *,
    gp_unknown: Iterable,
    hv_unknown: Iterable,
    gp_matched: set[str],
    hv_matched: set[str],
) -> dict[str, int]:
    """One open item per unknown child: refresh the ones already open, add the new ones, and
    close as "now known" the open ones this run found on both lists. Part of save_run (its
    transaction and audit entry); sets run.breakdowns for it to save."""
    allocator = Allocator(run)
    due = run.extract_date + datetime.timedelta(days=FOLLOW_UP_DAYS)
    now = timezone.now()
    tally = {"added": 0, "refreshed": 0, "now_known": 0}
    localities = dict(
        Locality.objects.filter(partnership=run.partnership).values_list("pk", "name")
    )
    breakdowns: dict[str, dict[str, Counter]] = {}
    for direction, records, matched in (
        (Direction.GP_NOT_KNOWN_TO_HV, gp_unknown, gp_matched),
        (Direction.HV_NOT_REGISTERED, hv_unknown, hv_matched),
    ):
        open_items = {
            item.record_id: item
            for item in WorklistItem.objects.filter(
                agency=run.agency, direction=direction, outcome=Outcome.OPEN
            )
        }
        new, changed = [], []
        counts = breakdowns.setdefault(
            direction, {name: Counter() for name in ("locality", "team", "gp_practice", "age_band")}
        )
        for record in records:
            snap = snapshot(record)
            dob = getattr(record, "date_of_birth", None)
            locality_id, team = allocator.allocate(snap)
            values = {
                "nhs_number": snap["nhs_number"],
                "given_name": snap["given_name"][:100],
                "family_name": snap["family_name"][:100],
                "date_of_birth": dob,
                "sex": snap["sex"][:1],
                "postcode": snap["postcode"][:10],
                "address_line": snap["address_line"][:300],
                "gp_practice_code": snap["gp_practice_code"][:20],
                "hv_team_code": snap["hv_team"][:120],
                "age_band": age_band(dob, run.extract_date),
                "last_run": run,
                "purged_at": None,
            }
            item = open_items.pop(snap["record_id"], None)
            if item is None:
                new.append(
                    WorklistItem(
                        agency=run.agency,
                        first_run=run,
                        direction=direction,
                        record_id=snap["record_id"][:100],
                        locality_id=locality_id,
                        team=team,
                        due_date=due,
                        **values,
                    )
                )
            else:
                for name, value in values.items():
                    setattr(item, name, value)
                if item.team_id is None and team is not None:
                    item.locality_id, item.team = locality_id, team
                changed.append(item)
            final_team = item.team if item is not None else team
            final_locality = item.locality_id if item is not None else locality_id
            counts["locality"][localities.get(final_locality, NOT_ALLOCATED)] += 1
            counts["team"][final_team.name if final_team else NOT_ALLOCATED] += 1
            counts["gp_practice"][values["gp_practice_code"] or NOT_GIVEN] += 1
            counts["age_band"][values["age_band"]] += 1
        WorklistItem.objects.bulk_create(new, batch_size=BATCH)
        WorklistItem.objects.bulk_update(changed, REFRESHED_FIELDS, batch_size=BATCH)
        found = [item.pk for record_id, item in open_items.items() if record_id in matched]
        for start in range(0, len(found), BATCH):
            WorklistItem.objects.filter(pk__in=found[start : start + BATCH]).update(
                outcome=Outcome.NOW_KNOWN,
                outcome_notes=f"Found on both lists by linkage run {run.pk}.",
                outcome_at=now,
            )
        tally["added"] += len(new)
        tally["refreshed"] += len(changed)
        tally["now_known"] += len(found)
    run.breakdowns = {
        direction: {name: dict(counter) for name, counter in tables.items()}
        for direction, tables in breakdowns.items()
    }
    return tally


OUTCOME_FIELDS = ["outcome", "outcome_notes", "due_date"]


@transaction.atomic
def worklist_outcome_record(
    *,
    item: WorklistItem,
    outcome: str,
    notes: str = "",
    due_date: datetime.date | None = None,
    actor,
) -> WorklistItem:
    """Record what following up a child found (or, with the outcome left open, a new due date)."""
    item = WorklistItem.objects.select_for_update().get(pk=item.pk)
    if actor is None or not may_work_on(actor, item):
        raise PermissionDenied("Only the team the child is allocated to and analysts can do this.")
    if outcome not in Outcome.values:
        raise ValidationError("Choose an outcome.")
    if outcome == Outcome.OTHER and not notes.strip():
        raise ValidationError("Say what the outcome was.")
    if item.purged_at is not None:
        raise ValidationError("This child's details have been deleted under the retention rules.")
    before = audit.snapshot(item, OUTCOME_FIELDS)
    item.outcome = outcome
    item.outcome_notes = notes.strip()
    item.due_date = due_date if due_date is not None else item.due_date
    item.outcome_by = actor if outcome != Outcome.OPEN else None
    item.outcome_at = timezone.now() if outcome != Outcome.OPEN else None
    item.save(update_fields=[*OUTCOME_FIELDS, "outcome_by", "outcome_at"])
    audit.record(
        action="health_records.worklistitem.outcome_recorded",
        obj=item,
        actor=actor,
        changes=audit.diff(before, audit.snapshot(item, OUTCOME_FIELDS)),
    )
    return item


@transaction.atomic
def worklist_allocate(*, item: WorklistItem, team: Team | None, actor) -> WorklistItem:
    """Give the child to another team (analysts only); the team must be in the run's agency."""
    item = WorklistItem.objects.select_for_update().get(pk=item.pk)
    if actor is None or not is_analyst(actor, item.agency_id):
        raise PermissionDenied(ANALYSTS_ONLY)
    if team is not None and team.agency_id != item.agency_id:
        raise ValidationError("Choose one of your agency's teams.")
    before = audit.snapshot(item, ["team", "locality"])
    item.team = team
    if team is not None and team.locality_id:
        item.locality_id = team.locality_id
    item.save(update_fields=["team", "locality"])
    audit.record(
        action="health_records.worklistitem.allocated",
        obj=item,
        actor=actor,
        changes=audit.diff(before, audit.snapshot(item, ["team", "locality"])),
    )
    return item
