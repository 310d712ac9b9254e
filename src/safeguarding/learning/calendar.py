"""Working days in England and Wales (booking cut-offs, the demo and synthetic years) and local
times of day."""

from __future__ import annotations

import datetime
from functools import lru_cache

import holidays
from django.utils import timezone


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


def working_days_between(start: datetime.date, end: datetime.date) -> list[datetime.date]:
    """The working days from `start` to `end`, both included."""
    days, day = [], start
    while day <= end:
        if is_working_day(day):
            days.append(day)
        day += datetime.timedelta(days=1)
    return days


def local_datetime(day: datetime.date, time: datetime.time) -> datetime.datetime:
    """`time` on `day` in the current time zone."""
    return timezone.make_aware(datetime.datetime.combine(day, time))


def local_day_bounds(
    start: datetime.date, end: datetime.date
) -> tuple[datetime.datetime, datetime.datetime]:
    """Aware datetimes from local midnight starting `start` to local midnight after `end`."""
    midnight = datetime.time.min
    return local_datetime(start, midnight), local_datetime(
        end + datetime.timedelta(days=1), midnight
    )
