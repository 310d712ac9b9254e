"""Working days in England and Wales, for booking cut-offs."""

from __future__ import annotations

import datetime
from functools import lru_cache

import holidays


@lru_cache(maxsize=64)
def _bank_holidays(year: int) -> frozenset[datetime.date]:
    return frozenset(holidays.UK(subdiv="ENG", years=year, observed=True).keys())


def is_working_day(day: datetime.date) -> bool:
    return day.weekday() < 5 and day not in _bank_holidays(day.year)


def working_days_before(day: datetime.date, count: int) -> datetime.date:
    """The date `count` working days before `day` (0 gives `day` itself)."""
    current = day
    remaining = count
    while remaining > 0:
        current -= datetime.timedelta(days=1)
        if is_working_day(current):
            remaining -= 1
    return current
