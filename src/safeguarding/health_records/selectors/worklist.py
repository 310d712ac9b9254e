"""The follow-up worklist: filtered, its teams, and its export."""

from __future__ import annotations

import datetime

from django.db.models import QuerySet

from safeguarding.health_records import access
from safeguarding.health_records.models import Outcome, WorklistItem

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
