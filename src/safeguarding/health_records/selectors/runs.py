"""Run history and the month-by-month trend, with small-number suppression for those who may not
see named children."""

from __future__ import annotations

import datetime
from dataclasses import dataclass

from django.db.models import QuerySet

from safeguarding.health_records import access
from safeguarding.health_records.models import LinkageRun

SUPPRESS_BELOW = 5
SUPPRESSED = "fewer than 5"


def shown(value: int, *, suppress: bool):
    """The count as shown: 1 to 4 become "fewer than 5" for those who see aggregates only."""
    if suppress and 0 < value < SUPPRESS_BELOW:
        return SUPPRESSED
    return value


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
