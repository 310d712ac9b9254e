"""A plan of a partnership (agencies, teams, people with roles and line managers) built in memory
as plain data; the same random seed gives the same plan."""

from __future__ import annotations

import random
import re
import unicodedata
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field

from safeguarding.people.models import Role
from safeguarding.people.plan.names import FIRST_NAMES, LAST_NAMES
from safeguarding.people.plan.profiles import PROFILES, TRAINER_SECTORS, Profile


@dataclass(frozen=True, slots=True)
class AgencySpec:
    name: str
    sector: str
    domain: str
    statutory: bool = False
    funds: bool = False
    locality: str | None = None  # None: works across the whole area
    headcount: int = 10
    kind: str = ""  # which Profile (defaults to the sector); "business_unit" is special

    @property
    def profile(self) -> Profile:
        return PROFILES[self.kind or self.sector]


@dataclass(frozen=True, slots=True)
class TeamSpec:
    agency: str
    name: str
    locality: str | None


@dataclass(slots=True)
class PersonSpec:
    email: str
    given_name: str
    family_name: str
    agency: str
    job_title: str
    roles: tuple[str, ...]
    team: str | None = None
    manager: str | None = None  # the line manager's e-mail address (earlier in the plan)
    persona: str | None = None  # set for the demo's sign-in accounts


@dataclass
class Plan:
    partnership: str
    area: str
    localities: list[str]
    agencies: list[AgencySpec]
    teams: list[TeamSpec] = field(default_factory=list)
    people: list[PersonSpec] = field(default_factory=list)

    def counts(self) -> dict[str, int]:
        return {
            "localities": len(self.localities),
            "agencies": len(self.agencies),
            "teams": len(self.teams),
            "practitioners": len(self.people),
            "role_grants": sum(len(p.roles) for p in self.people),
        }


def ascii_slug(text: str, sep: str = "") -> str:
    plain = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode().lower()
    plain = plain.replace("'", "")
    return re.sub(r"[^a-z0-9]+", sep, plain).strip(sep)


class EmailMaker:
    """Unique work e-mail addresses: given.family@domain, or given.family.N@domain (counter)."""

    def __init__(self, *, counter: bool, reserved: Iterable[str] = ()):
        self.counter = counter
        self.taken = {e.lower() for e in reserved}
        self.n = 0

    def __call__(self, given: str, family: str, domain: str) -> str:
        local = f"{ascii_slug(given, '-')}.{ascii_slug(family, '-')}"
        if self.counter:
            self.n += 1
            email = f"{local}.{self.n}@{domain}"
        else:
            email, k = f"{local}@{domain}", 1
            while email in self.taken:
                k += 1
                email = f"{local}{k}@{domain}"
        self.taken.add(email)
        return email


def unique_name(name: str, used: set[str]) -> str:
    candidate, k = name, 1
    while candidate.lower() in used:
        k += 1
        candidate = f"{name} {k}"
    used.add(candidate.lower())
    return candidate


def staff_agency(
    agency: AgencySpec,
    localities: Sequence[str],
    rng: random.Random,
    email: Callable[[str, str, str], str],
) -> tuple[list[TeamSpec], list[PersonSpec]]:
    """Teams and people for one agency. Managers come before the people who report to them."""
    if agency.kind == "business_unit":
        return _staff_business_unit(agency, rng, email)
    profile = agency.profile
    teams: list[TeamSpec] = []
    people: list[PersonSpec] = []

    def person(
        title: str, roles: tuple[str, ...], team: str | None = None, manager: str | None = None
    ) -> PersonSpec:
        given, family = rng.choice(FIRST_NAMES), rng.choice(LAST_NAMES)
        spec = PersonSpec(
            email(given, family, agency.domain),
            given,
            family,
            agency.name,
            title,
            roles,
            team,
            manager,
        )
        people.append(spec)
        return spec

    remaining = agency.headcount
    if agency.statutory and remaining >= 3:
        person(profile.board_title, (Role.BOARD_MEMBER,))
        remaining -= 1
    has_lead = remaining >= 20
    if has_lead:
        person(profile.lead_title, (Role.SAFEGUARDING_LEAD, Role.AGENCY_APPROVER))
        remaining -= 1
    if remaining <= 0:
        return teams, people

    n_teams = max(1, round(remaining / profile.team_size))
    used: set[str] = set()
    for i in range(n_teams):
        size = remaining // n_teams + (1 if i < remaining % n_teams else 0)
        if agency.locality is None and len(localities) > 1:
            locality = localities[i % len(localities)]
            base = profile.team_bases[(i // len(localities)) % len(profile.team_bases)]
            name = unique_name(f"{base} ({locality})", used)
        else:
            locality = agency.locality
            name = unique_name(profile.team_bases[i % len(profile.team_bases)], used)
        teams.append(TeamSpec(agency.name, name, locality))
        manager_title = (
            profile.manager_titles[0]
            if i == 0
            else rng.choice(profile.manager_titles[1:] or profile.manager_titles)
        )
        manager_roles: tuple[str, ...] = (Role.PRACTITIONER, Role.LINE_MANAGER)
        if i == 0 and not has_lead:
            # In a small agency the first manager is its safeguarding lead and approves accounts.
            manager_roles += (Role.SAFEGUARDING_LEAD, Role.AGENCY_APPROVER)
        manager = person(manager_title, manager_roles, name)
        for _ in range(size - 1):
            person(rng.choice(profile.titles), (Role.PRACTITIONER,), name, manager.email)
    return teams, people


def _staff_business_unit(
    agency: AgencySpec, rng: random.Random, email
) -> tuple[list[TeamSpec], list[PersonSpec]]:
    team = TeamSpec(agency.name, "Business unit", None)
    people: list[PersonSpec] = []

    def person(title, roles, manager=None):
        given, family = rng.choice(FIRST_NAMES), rng.choice(LAST_NAMES)
        spec = PersonSpec(
            email(given, family, agency.domain),
            given,
            family,
            agency.name,
            title,
            roles,
            team.name,
            manager,
        )
        people.append(spec)
        return spec

    boss = person(
        "Partnership business manager", (Role.ADMIN, Role.LINE_MANAGER, Role.AGENCY_APPROVER)
    )
    person("Training manager", (Role.ADMIN,), boss.email)
    person("Information governance officer", (Role.AUDITOR,), boss.email)
    for _ in range(max(1, agency.headcount - 3)):
        person(
            rng.choice(
                (
                    "Partnership administrator",
                    "Partnership administrator",
                    "Training administrator",
                    "Business support officer",
                )
            ),
            (Role.ADMIN,),
            boss.email,
        )
    return [team], people


def add_training_pool(plan: Plan, rng: random.Random, count: int) -> None:
    sectors = {a.name: a.sector for a in plan.agencies}
    eligible = [
        p
        for p in plan.people
        if p.roles == (Role.PRACTITIONER,) and sectors[p.agency] in TRAINER_SECTORS
    ]
    for p in rng.sample(eligible, min(count, len(eligible))):
        p.roles = (Role.PRACTITIONER, Role.TRAINER)


def add_health_records_analysts(plan: Plan, agencies: Iterable[AgencySpec]) -> None:
    for agency in agencies:
        candidates = [
            p for p in plan.people if p.agency == agency.name and p.roles == (Role.PRACTITIONER,)
        ]
        if candidates:
            analyst = candidates[-1]
            analyst.roles = (Role.HEALTH_RECORDS_ANALYST,)
            analyst.job_title = "Child health information analyst"


def staff_plan(plan: Plan, rng: random.Random, email) -> None:
    for agency in plan.agencies:
        teams, people = staff_agency(agency, plan.localities, rng, email)
        plan.teams.extend(teams)
        plan.people.extend(people)
