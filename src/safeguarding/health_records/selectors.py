"""Reads for the health-records pages: run history, the month-by-month trend, breakdowns (with
small-number suppression for those who may not see named children), the review queue and the
worklist. Scoping is the access helpers'; these take what they return."""

from __future__ import annotations

import datetime
from dataclasses import dataclass

from django.db.models import QuerySet

from safeguarding.health_records import access
from safeguarding.health_records.models import (
    Direction,
    LinkageRun,
    Outcome,
    ReviewPair,
    WorklistItem,
)
from safeguarding.health_records.services import AGE_BANDS

SUPPRESS_BELOW = 5
SUPPRESSED = "fewer than 5"


def shown(value: int, *, suppress: bool):
    """The count as shown: 1 to 4 become "fewer than 5" for those who see aggregates only."""
    if suppress and 0 < value < SUPPRESS_BELOW:
        return SUPPRESSED
    return value


def prior_decisions(*, agency) -> dict[tuple[str, str], bool]:
    """Every review decision the agency has made, the latest for each pair: reused by its next
    run (LinkageSettings.decisions)."""
    decided = (
        ReviewPair.objects.filter(run__agency=agency)
        .exclude(decision=ReviewPair.Decision.PENDING)
        .order_by("decided_at", "pk")
        .values_list("gp_record_id", "hv_record_id", "decision")
    )
    return {(gp, hv): decision == ReviewPair.Decision.ACCEPTED for gp, hv, decision in decided}


def run_history(*, user) -> QuerySet[LinkageRun]:
    return access.run_counts_visible_to(user).select_related("agency", "started_by")


@dataclass
class MonthPoint:
    month: datetime.date
    run: LinkageRun
    gp_not_known_to_hv: int | str
    hv_not_registered_with_gp: int | str
    gp_records: int
    hv_records: int

    @property
    def label(self) -> str:
        return self.month.strftime("%b %Y")


def monthly_trend(*, user, months: int = 24) -> list[MonthPoint]:
    """The latest completed run of each month (by extract date), oldest first, last `months`."""
    suppress = access.suppresses_small_numbers(user)
    latest: dict[datetime.date, LinkageRun] = {}
    runs = run_history(user=user).filter(status=LinkageRun.Status.COMPLETED)
    for run in runs.order_by("extract_date", "created_at"):
        latest[run.extract_date.replace(day=1)] = run
    points = [
        MonthPoint(
            month=month,
            run=run,
            gp_not_known_to_hv=shown(run.gp_not_known_to_hv, suppress=suppress),
            hv_not_registered_with_gp=shown(run.hv_not_registered_with_gp, suppress=suppress),
            gp_records=run.gp_records,
            hv_records=run.hv_records,
        )
        for month, run in sorted(latest.items())
    ]
    return points[-months:]


BREAKDOWN_TITLES = {
    "locality": "Locality",
    "team": "Health visiting team",
    "gp_practice": "GP practice",
    "age_band": "Age band",
}


@dataclass
class BreakdownRow:
    label: str
    gp_not_known_to_hv: int | str
    hv_not_registered: int | str
    total: int | str


def breakdowns(*, run: LinkageRun, user) -> dict[str, list[BreakdownRow]]:
    """{table: rows} from the counts saved with the run: both directions side by side."""
    suppress = access.suppresses_small_numbers(user)
    tables = {}
    for table in BREAKDOWN_TITLES:
        gp = run.breakdowns.get(Direction.GP_NOT_KNOWN_TO_HV, {}).get(table, {})
        hv = run.breakdowns.get(Direction.HV_NOT_REGISTERED, {}).get(table, {})
        labels = set(gp) | set(hv)
        if table == "age_band":
            ordered = [band for band in AGE_BANDS if band in labels]
        else:
            ordered = sorted(
                labels, key=lambda label: (-(gp.get(label, 0) + hv.get(label, 0)), label)
            )
        tables[table] = [
            BreakdownRow(
                label=label,
                gp_not_known_to_hv=shown(gp.get(label, 0), suppress=suppress),
                hv_not_registered=shown(hv.get(label, 0), suppress=suppress),
                total=shown(gp.get(label, 0) + hv.get(label, 0), suppress=suppress),
            )
            for label in ordered
        ]
    return tables


def review_queue(*, user, decision: str = ReviewPair.Decision.PENDING) -> QuerySet[ReviewPair]:
    pairs = access.review_pairs_visible_to(user).select_related("run", "decided_by")
    if decision:
        pairs = pairs.filter(decision=decision)
    return pairs.order_by("-run__extract_date", "-match_probability", "pk")


STATUS_OPEN, STATUS_OVERDUE, STATUS_CLOSED = "open", "overdue", "closed"


def worklist(
    *,
    user,
    team_id: int | None = None,
    status: str = STATUS_OPEN,
    direction: str = "",
    today: datetime.date | None = None,
) -> QuerySet[WorklistItem]:
    items = access.worklist_visible_to(user).select_related("team", "locality", "last_run")
    items = items.filter(purged_at__isnull=True)
    if team_id == 0:
        items = items.filter(team__isnull=True)
    elif team_id:
        items = items.filter(team_id=team_id)
    if status == STATUS_OPEN:
        items = items.filter(outcome=Outcome.OPEN)
    elif status == STATUS_OVERDUE:
        items = items.filter(outcome=Outcome.OPEN, due_date__lt=today or datetime.date.today())
    elif status == STATUS_CLOSED:
        items = items.exclude(outcome=Outcome.OPEN)
    if direction:
        items = items.filter(direction=direction)
    return items.order_by("due_date", "family_name", "given_name", "pk")


def worklist_teams(*, user) -> list[tuple[int, str]]:
    """The teams in the user's worklist, for the filter."""
    rows = (
        access.worklist_visible_to(user)
        .filter(team__isnull=False)
        .values_list("team_id", "team__name")
        .distinct()
        .order_by("team__name")
    )
    return list(rows)


def worklist_export_rows(items) -> tuple[list[str], list[list]]:
    header = [
        "Item",
        "Direction",
        "Record id",
        "NHS number",
        "Given name",
        "Family name",
        "Date of birth",
        "Sex",
        "Postcode",
        "Address",
        "GP practice",
        "Health visiting team (extract)",
        "Age band",
        "Locality",
        "Allocated team",
        "Due",
        "Outcome",
        "Notes",
    ]
    rows = [
        [
            item.pk,
            item.get_direction_display(),
            item.record_id,
            item.nhs_number,
            item.given_name,
            item.family_name,
            item.date_of_birth.isoformat() if item.date_of_birth else "",
            item.sex,
            item.postcode,
            item.address_line,
            item.gp_practice_code,
            item.hv_team_code,
            item.age_band,
            item.locality.name if item.locality else "",
            item.team.name if item.team else "",
            item.due_date.isoformat() if item.due_date else "",
            item.get_outcome_display(),
            item.outcome_notes,
        ]
        for item in items
    ]
    return header, rows
