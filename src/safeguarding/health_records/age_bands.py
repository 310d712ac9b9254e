"""The age bands of the worklist and its breakdowns."""

from __future__ import annotations

import datetime

AGE_BANDS = ["Under 1", "1 to 2", "2 to 3", "3 to 4", "4 to 5", "5 and over", "Not known"]


def age_band(date_of_birth: datetime.date | None, on: datetime.date) -> str:
    if date_of_birth is None:
        return "Not known"
    months = (on.year - date_of_birth.year) * 12 + on.month - date_of_birth.month
    if on.day < date_of_birth.day:
        months -= 1
    if months < 0:
        return "Not known"
    if months < 12:
        return "Under 1"
    years = months // 12
    if years < 5:
        return f"{years} to {years + 1}"
    return "5 and over"
