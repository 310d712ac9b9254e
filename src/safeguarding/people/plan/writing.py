"""Writing a plan with bulk inserts. Idempotent: rows that already exist (matched by agency name,
team name, e-mail address, membership and role) are left alone."""

from __future__ import annotations

import secrets
from collections import Counter
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from typing import Any

from django.contrib.auth.hashers import UNUSABLE_PASSWORD_PREFIX
from django.db import reset_queries

from safeguarding.people.models import (
    Agency,
    Locality,
    Membership,
    Partnership,
    RoleGrant,
    Team,
    User,
)
from safeguarding.people.plan.building import Plan


@dataclass
class Written:
    partnership: Partnership
    localities: dict[str, Locality]
    agencies: dict[str, Agency]
    teams: dict[tuple[str, str], Team]
    created: Counter = field(default_factory=Counter)


def _chunks(items: Sequence[Any], size: int) -> Iterator[Sequence[Any]]:
    for start in range(0, len(items), size):
        yield items[start : start + size]


def write_structure(plan: Plan, *, batch_size: int = 2000) -> Written:
    """The partnership, its localities, agencies and teams; only what does not exist yet."""
    created: Counter = Counter()
    partnership = Partnership.objects.filter(name=plan.partnership).first()
    if partnership is None:
        partnership = Partnership.objects.create(name=plan.partnership, area=plan.area)
        created["partnerships"] += 1

    localities = {loc.name: loc for loc in partnership.localities.all()}
    new = [
        Locality(partnership=partnership, name=n) for n in plan.localities if n not in localities
    ]
    Locality.objects.bulk_create(new, batch_size=batch_size)
    localities.update({loc.name: loc for loc in partnership.localities.all()})
    created["localities"] += len(new)

    agencies = {a.name.lower(): a for a in partnership.agencies.all()}
    new_agencies = [
        Agency(
            partnership=partnership,
            name=spec.name,
            sector=spec.sector,
            is_statutory_partner=spec.statutory,
            funds_partnership=spec.funds,
            email_domains=[spec.domain],
            locality=localities.get(spec.locality or ""),
        )
        for spec in plan.agencies
        if spec.name.lower() not in agencies
    ]
    Agency.objects.bulk_create(new_agencies, batch_size=batch_size)
    created["agencies"] += len(new_agencies)
    agencies = {a.name.lower(): a for a in partnership.agencies.all()}
    by_name = {spec.name: agencies[spec.name.lower()] for spec in plan.agencies}

    teams = {(t.agency_id, t.name): t for t in Team.objects.filter(agency__partnership=partnership)}
    new_teams = [
        Team(
            agency=by_name[spec.agency],
            name=spec.name,
            locality=localities.get(spec.locality or ""),
        )
        for spec in plan.teams
        if (by_name[spec.agency].pk, spec.name) not in teams
    ]
    Team.objects.bulk_create(new_teams, batch_size=batch_size)
    created["teams"] += len(new_teams)
    teams = {(t.agency_id, t.name): t for t in Team.objects.filter(agency__partnership=partnership)}
    agency_names = {a.pk: spec_name for spec_name, a in by_name.items()}
    team_map = {
        (agency_names[aid], name): t for (aid, name), t in teams.items() if aid in agency_names
    }
    reset_queries()
    return Written(partnership, localities, by_name, team_map, created)


def _user_ids(emails: Iterable[str]) -> dict[str, int]:
    wanted = sorted({e.lower() for e in emails})
    found: dict[str, int] = {}
    for chunk in _chunks(wanted, 500):
        found.update(User.objects.filter(email__in=chunk).values_list("email", "id"))
    return found


def unusable_password() -> str:
    """What User.set_unusable_password() stores, without its per-call cost at 100,000 users."""
    return UNUSABLE_PASSWORD_PREFIX + secrets.token_hex(20)


def write_people(plan: Plan, written: Written, *, batch_size: int = 2000, progress=None) -> Counter:
    """Users, memberships and role grants for everyone in the plan who is not a persona.

    Bulk inserts in batches; rows that already exist are left as they are. The caller audits.
    """
    created: Counter = Counter()
    partnership = written.partnership
    memberships: dict[tuple[int, int], int] = {
        (u, a): m
        for u, a, m in Membership.objects.filter(agency__partnership=partnership).values_list(
            "user_id", "agency_id", "id"
        )
    }
    grants = set(
        RoleGrant.objects.filter(membership__agency__partnership=partnership).values_list(
            "membership_id", "role"
        )
    )
    ids: dict[str, int] = {}
    people = [p for p in plan.people if p.persona is None]
    for batch in _chunks(people, batch_size):
        wanted = {p.email for p in batch} | {p.manager for p in batch if p.manager}
        ids.update(_user_ids(wanted - ids.keys()))
        new_users = [
            User(
                email=p.email.lower(),
                given_name=p.given_name,
                family_name=p.family_name,
                password=unusable_password(),
            )
            for p in batch
            if p.email not in ids
        ]
        User.objects.bulk_create(new_users, batch_size=batch_size)
        created["users"] += len(new_users)
        ids.update(_user_ids(u.email for u in new_users if u.pk is None))
        ids.update({u.email: u.pk for u in new_users if u.pk is not None})

        new_memberships = []
        for p in batch:
            agency = written.agencies[p.agency]
            if (ids[p.email], agency.pk) in memberships:
                continue
            team = written.teams.get((p.agency, p.team)) if p.team else None
            new_memberships.append(
                Membership(
                    user_id=ids[p.email],
                    agency=agency,
                    team=team,
                    job_title=p.job_title,
                    line_manager_id=ids.get(p.manager) if p.manager else None,
                )
            )
        Membership.objects.bulk_create(new_memberships, batch_size=batch_size)
        created["memberships"] += len(new_memberships)
        if any(m.pk is None for m in new_memberships):
            user_ids = [m.user_id for m in new_memberships]
            for chunk in _chunks(user_ids, 500):
                memberships.update(
                    {
                        (u, a): m
                        for u, a, m in Membership.objects.filter(user_id__in=chunk).values_list(
                            "user_id", "agency_id", "id"
                        )
                    }
                )
        else:
            memberships.update({(m.user_id, m.agency_id): m.pk for m in new_memberships})

        new_grants = []
        for p in batch:
            membership_id = memberships[(ids[p.email], written.agencies[p.agency].pk)]
            for role in p.roles:
                if (membership_id, role) not in grants:
                    grants.add((membership_id, role))
                    new_grants.append(RoleGrant(membership_id=membership_id, role=role))
        RoleGrant.objects.bulk_create(new_grants, batch_size=batch_size)
        created["role_grants"] += len(new_grants)
        reset_queries()  # with DEBUG on, Django would otherwise keep every INSERT's text
        if progress is not None:
            progress.update(len(batch))
    return created
