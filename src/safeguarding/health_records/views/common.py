"""What every health-records page shares."""

from __future__ import annotations

from safeguarding.health_records import access

PER_PAGE = 50


def subnav(user) -> dict:
    """What the health-records sub-navigation offers this user."""
    return {"is_analyst": access.is_analyst(user), "sees_figures": access.may_see_aggregates(user)}
