"""The breakdowns of a run's unknown children (locality, team, GP practice, age band), from the
counts saved with the run, suppressed together with the run's totals (see counts.py)."""

from __future__ import annotations

from safeguarding.health_records import access
from safeguarding.health_records.models import LinkageRun
from safeguarding.health_records.selectors.counts import (
    BREAKDOWN_TITLES,
    BreakdownRow,
    run_counts,
)

__all__ = ["BREAKDOWN_TITLES", "BreakdownRow", "breakdowns"]


def breakdowns(*, run: LinkageRun, user) -> dict[str, list[BreakdownRow]]:
    """{table: rows} from the counts saved with the run: both directions side by side."""
    return run_counts(run, suppress=access.suppresses_small_numbers(user)).tables
