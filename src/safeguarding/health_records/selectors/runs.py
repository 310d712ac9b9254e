"""Run history and the month-by-month trend, with small-number suppression for those who may not
see named children (one protection per run over every page that shows its counts: counts.py)."""

from __future__ import annotations

import datetime
from dataclasses import dataclass

from django.db.models import QuerySet

from safeguarding.core.suppression import Count
from safeguarding.health_records import access
from safeguarding.health_records.models import LinkageRun
from safeguarding.health_records.selectors.counts import run_counts


def run_history(*, user) -> QuerySet[LinkageRun]:
    return access.run_counts_visible_to(user).select_related("agency", "started_by")


@dataclass
class MonthPoint:
    month: datetime.date
    run: LinkageRun
    gp_not_known_to_hv: Count
    hv_not_registered_with_gp: Count
    gp_records: Count
    hv_records: Count

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
    points = []
    for month, run in sorted(latest.items())[-months:]:
        counts = run_counts(run, suppress=suppress)
        points.append(
            MonthPoint(
                month=month,
                run=run,
                gp_not_known_to_hv=counts.gp_not_known_to_hv,
                hv_not_registered_with_gp=counts.hv_not_registered_with_gp,
                gp_records=counts.gp_records,
                hv_records=counts.hv_records,
            )
        )
    return points
