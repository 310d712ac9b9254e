"""The partnership's practitioners and trainers, as the synthetic history needs them."""

from __future__ import annotations

from dataclasses import dataclass

from safeguarding.people.models import Membership, Partnership


@dataclass(frozen=True, slots=True)
class Member:
    user_id: int
    agency_id: int
    locality_id: int | None
    manager_id: int | None


def members_with_role(partnership: Partnership, role: str) -> list[Member]:
    """Memberships with `role` in the partnership, by e-mail address (a stable order)."""
    rows = (
        Membership.objects.filter(agency__partnership=partnership, role_grants__role=role)
        .order_by("user__email", "agency__name")
        .values_list(
            "user_id", "agency_id", "team__locality_id", "agency__locality_id", "line_manager_id"
        )
    )
    seen: set[int] = set()
    members = []
    for user_id, agency_id, team_locality, agency_locality, manager_id in rows:
        if user_id not in seen:
            seen.add(user_id)
            members.append(Member(user_id, agency_id, team_locality or agency_locality, manager_id))
    return members
