"""The demo's sign-in accounts (personas) and the demo plan they are placed in."""

from __future__ import annotations

import random
from dataclasses import dataclass

from safeguarding.people.demo.agencies import (
    BUSINESS_UNIT,
    COMMUNITY_HEALTH,
    CSC,
    DEMO_AGENCIES,
    DEMO_AREA,
    DEMO_LOCALITIES,
    DEMO_PARTNERSHIP,
    DEMO_SEED,
    DEMO_TRAINERS,
    EARLY_HELP,
    POLICE,
)
from safeguarding.people.models import Role
from safeguarding.people.plan.building import (
    EmailMaker,
    PersonSpec,
    Plan,
    add_health_records_analysts,
    add_training_pool,
    ascii_slug,
    staff_plan,
)


@dataclass(frozen=True)
class Persona:
    key: str
    label: str
    given_name: str
    family_name: str
    agency: str
    job_title: str
    roles: tuple[str, ...]

    @property
    def email(self) -> str:
        domain = next(a.domain for a in DEMO_AGENCIES if a.name == self.agency)
        return f"{ascii_slug(self.given_name)}.{ascii_slug(self.family_name)}@{domain}"


# The demo's sign-in accounts, in the order they are printed. Each takes the place of a generated
# person in the plan (see _place_personas), so it has a team, colleagues and a line manager.
PERSONAS: tuple[Persona, ...] = (
    Persona(
        "admin",
        "Business unit admin",
        "Helen",
        "Carver",
        BUSINESS_UNIT,
        "Partnership business manager",
        (Role.ADMIN, Role.LINE_MANAGER, Role.AGENCY_APPROVER),
    ),
    Persona(
        "practitioner_a",
        "Practitioner (police)",
        "Tom",
        "Fairbairn",
        POLICE,
        "Detective constable",
        (Role.PRACTITIONER,),
    ),
    Persona(
        "practitioner_b",
        "Practitioner (community health)",
        "Amira",
        "Haddad",
        COMMUNITY_HEALTH,
        "Health visitor",
        (Role.PRACTITIONER,),
    ),
    Persona(
        "line_manager",
        "Line manager (police)",
        "Grace",
        "Okonkwo",
        POLICE,
        "Detective sergeant",
        (Role.PRACTITIONER, Role.LINE_MANAGER),
    ),
    Persona(
        "trainer",
        "Trainer (early help)",
        "Martin",
        "Ashdown",
        EARLY_HELP,
        "Early help practitioner",
        (Role.PRACTITIONER, Role.TRAINER),
    ),
    Persona(
        "board_member",
        "Board member (children's social care)",
        "Richard",
        "Ashworth",
        CSC,
        "Service director, children's social care",
        (Role.BOARD_MEMBER,),
    ),
    Persona(
        "health_records_analyst",
        "Health records analyst",
        "Nadia",
        "Kowalczyk",
        COMMUNITY_HEALTH,
        "Child health information analyst",
        (Role.HEALTH_RECORDS_ANALYST,),
    ),
    Persona(
        "auditor",
        "Auditor (information governance)",
        "Owen",
        "Pritchard-Lewis",
        BUSINESS_UNIT,
        "Information governance officer",
        (Role.AUDITOR,),
    ),
    Persona(
        "agency_approver",
        "Agency approver (community health)",
        "Julie",
        "Bennington",
        COMMUNITY_HEALTH,
        "Named nurse for safeguarding children",
        (Role.SAFEGUARDING_LEAD, Role.AGENCY_APPROVER),
    ),
)


def demo_plan() -> Plan:
    """The demo partnership, the same every time."""
    rng = random.Random(DEMO_SEED)
    plan = Plan(DEMO_PARTNERSHIP, DEMO_AREA, list(DEMO_LOCALITIES), list(DEMO_AGENCIES))
    email = EmailMaker(counter=False, reserved=[p.email for p in PERSONAS])
    staff_plan(plan, rng, email)
    community_health = next(a for a in plan.agencies if a.name == COMMUNITY_HEALTH)
    add_health_records_analysts(plan, [community_health])
    add_training_pool(plan, rng, DEMO_TRAINERS - 1)  # the trainer persona makes it 30
    _place_personas(plan)
    return plan


def _place_personas(plan: Plan) -> None:
    by_key = {p.key: p for p in PERSONAS}

    def first(pred) -> PersonSpec:
        return next(p for p in plan.people if p.persona is None and pred(p))

    def take(spec: PersonSpec, persona: Persona) -> None:
        old = spec.email
        spec.email, spec.given_name, spec.family_name = (
            persona.email,
            persona.given_name,
            persona.family_name,
        )
        spec.job_title, spec.roles, spec.persona = persona.job_title, persona.roles, persona.key
        for other in plan.people:
            if other.manager == old:
                other.manager = spec.email

    take(
        first(
            lambda p: (
                p.agency == BUSINESS_UNIT and Role.ADMIN in p.roles and Role.LINE_MANAGER in p.roles
            )
        ),
        by_key["admin"],
    )
    take(
        first(lambda p: p.agency == BUSINESS_UNIT and p.roles == (Role.AUDITOR,)), by_key["auditor"]
    )
    line_manager = first(lambda p: p.agency == POLICE and Role.LINE_MANAGER in p.roles)
    take(line_manager, by_key["line_manager"])
    take(
        first(lambda p: p.team == line_manager.team and p.roles == (Role.PRACTITIONER,)),
        by_key["practitioner_a"],
    )
    take(
        first(
            lambda p: (
                p.agency == COMMUNITY_HEALTH
                and p.roles == (Role.PRACTITIONER,)
                and p.team
                and p.team.startswith("Health visiting")
            )
        ),
        by_key["practitioner_b"],
    )
    take(
        first(lambda p: p.agency == COMMUNITY_HEALTH and p.roles == (Role.HEALTH_RECORDS_ANALYST,)),
        by_key["health_records_analyst"],
    )
    take(
        first(lambda p: p.agency == COMMUNITY_HEALTH and Role.AGENCY_APPROVER in p.roles),
        by_key["agency_approver"],
    )
    take(
        first(lambda p: p.agency == CSC and p.roles == (Role.BOARD_MEMBER,)), by_key["board_member"]
    )
    take(
        first(lambda p: p.agency == EARLY_HELP and p.roles == (Role.PRACTITIONER,)),
        by_key["trainer"],
    )
