"""Synthetic people for the demo partnership (`load_demo`) and for scale tests
(`generate_synthetic`).

Everything here is invented. Agency names follow the pattern of the real Cambridgeshire partnership
in 2013/14 (the seed), but every e-mail domain ends in `.example` and every person is generated from
name lists with a fixed random seed, so the same seed always gives the same people.

A *plan* (agencies, teams, people with roles and line managers) is built in memory first, as plain
data, and then written with bulk inserts. Building is deterministic; writing is idempotent: rows
that already exist (matched by agency name, team name, e-mail address, membership and role) are
left alone, so loading a plan twice leaves the same data.
"""

from __future__ import annotations

import base64
import importlib
import math
import random
import re
import secrets
import unicodedata
from collections import Counter
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from typing import Any

from django.contrib.auth.hashers import UNUSABLE_PASSWORD_PREFIX
from django.db import reset_queries, transaction

from safeguarding.core import audit
from safeguarding.people import services
from safeguarding.people.models import (
    Agency,
    Locality,
    Membership,
    Partnership,
    Role,
    RoleGrant,
    Sector,
    Team,
    User,
)

# Names ----------------------------------------------------------------------------------------


def _words(text: str) -> list[str]:
    return text.split()


FIRST_NAMES: tuple[str, ...] = tuple(
    dict.fromkeys(
        _words("""
Olivia Amelia Isla Ava Emily Sophie Grace Lily Chloe Ella Jessica Hannah Lucy Charlotte Ruby Evie
Holly Megan Rebecca Sarah Laura Emma Rachel Claire Helen Joanne Nicola Karen Julie Alison Deborah
Susan Catherine Victoria Gemma Kirsty Natalie Zoe Leanne Donna Kelly Stacey Amy Hayley Lauren Jade
Priya Aisha Fatima Amira Zainab Nadia Ayesha Sana Anjali Deepa Mei Lin Agnieszka Katarzyna Ewa
Ioana Maria Ana Chiamaka Ngozi Abena Funmilayo Siobhan Niamh Bethan Rhiannon Mairi Eilidh Kerry
Louise Joanna Samantha Fiona Anne Margaret Jennifer Elizabeth Tracey Lisa Michelle Sharon Angela
Oliver Jack Harry George Noah Charlie Jacob Thomas Oscar William James Daniel Matthew David Andrew
Mark Paul Richard Simon Stephen Michael Christopher Robert Peter Jonathan Ian Gary Darren Lee
Craig Wayne Neil Stuart Martin Adam Ben Sam Luke Ryan Callum Liam Connor Mohammed Ahmed Imran
Bilal Omar Yusuf Hamza Arjun Rahul Sanjay Vikram Wei Jun Tomasz Piotr Marek Andrei Kwame Chinedu
Tunde Emeka Kofi Rhys Owen Gareth Dylan Euan Declan Sean Patrick Aidan Alan Graham Nigel Philip
Keith Kevin Anthony Joseph Edward Nathan Jamie Scott Dominic Toby Alfie Joshua Reece Kieran
""")
    )
)

LAST_NAMES: tuple[str, ...] = tuple(
    dict.fromkeys(
        _words("""
Smith Jones Williams Taylor Brown Davies Evans Wilson Thomas Johnson Roberts Robinson Thompson
Wright Walker White Edwards Hughes Green Hall Lewis Harris Clarke Patel Jackson Wood Turner Martin
Cooper Hill Ward Morris Moore Clark Lee King Baker Harrison Morgan Allen James Scott Phillips
Watson Davis Parker Price Bennett Young Griffiths Mitchell Kelly Cook Carter Richardson Bailey
Collins Bell Shaw Murphy Miller Cox Richards Khan Marshall Anderson Simpson Ellis Adams Singh
Begum Wilkinson Foster Chapman Powell Webb Rogers Gray Mason Ali Hunt Hussain Campbell Matthews
Owen Palmer Holmes Mills Barnes Knight Lloyd Butler Russell Barker Fisher Stevens Jenkins Murray
Dixon Harvey Graham Pearson Ahmed Fletcher Walsh Kaur Gibson Howard Andrews Stewart Elliott
Reynolds Saunders Payne Fox Ford Pearce Day Brooks West Lawrence Cole Atkinson Bradley Spencer
Gill Dawson Ball Burton O'Brien Watts Rose Booth Perry Ryan Grant Wells Armstrong Francis Rees
Hayes Hart Hudson Newman Barrett Webster Hunter Gregory Carr Lowe Page Marsh Riley Dunn Woods
Parsons Berry Stone Reid Holland Hawkins Harding Porter Robertson Newton Oliver Reed Kennedy
Williamson Bird Gardner Shah Dodd Quinn Mahmood Chowdhury Nowak Kowalski Popescu Okafor Adeyemi
Mensah Osei Nguyen Chen Wong Zhang Sharma Mistry Desai Malik Iqbal Rahman Uddin O'Connor McDonald
MacLeod Fraser Hamilton Pritchard Llewellyn Vaughan Doherty Gallagher Byrne Brennan Clarke-Hughes
Lloyd-Evans Akhtar Begg Chaudhry Hale Dempsey Fenwick Goddard Hurst Ingram Jarvis Kemp Lamb Nash
Oakley
""")
    )
)


# What people in each kind of agency are called, and how their teams are organised -------------


@dataclass(frozen=True)
class Profile:
    titles: tuple[str, ...]  # practitioners' job titles (repeat a title to make it commoner)
    manager_titles: tuple[str, ...]  # the first is used for the first team
    team_bases: tuple[str, ...]
    lead_title: str = "Safeguarding lead"
    board_title: str = ""
    team_size: int = 12


PROFILES: dict[str, Profile] = {
    Sector.CHILDRENS_SOCIAL_CARE: Profile(
        ("Social worker",) * 4
        + ("Senior social worker",) * 2
        + (
            "Advanced practitioner",
            "Family support worker",
            "Family support worker",
            "Social work assistant",
            "Independent reviewing officer",
            "Child protection conference chair",
            "Consultant social worker",
        ),
        ("Team manager", "Assistant team manager"),
        (
            "Assessment team",
            "Child in need and child protection team",
            "Looked after children team",
            "Disabled children's team",
            "Multi-agency safeguarding hub",
            "Fostering team",
            "Leaving care team",
        ),
        "Head of safeguarding and quality assurance",
        "Service director, children's social care",
        10,
    ),
    Sector.EARLY_HELP: Profile(
        ("Early help practitioner",) * 3
        + ("Family worker",) * 2
        + (
            "Children's centre worker",
            "Children's centre worker",
            "Parenting practitioner",
            "Locality keyworker",
            "Young people's worker",
        ),
        ("Early help locality manager", "Children's centre manager"),
        (
            "Locality team",
            "Children's centres",
            "Family intervention partnership",
            "Young people's services",
        ),
        "Head of early help",
        "Service director, enhanced and preventative services",
    ),
    Sector.EDUCATION: Profile(
        (
            "Education welfare officer",
            "Education welfare officer",
            "Education safeguarding adviser",
            "SEN casework officer",
            "Virtual school adviser",
            "Attendance officer",
            "Children missing education officer",
            "Early years adviser",
        ),
        ("Education safeguarding manager", "Senior education welfare officer"),
        (
            "Education welfare service",
            "Education safeguarding team",
            "Special educational needs team",
            "Virtual school",
        ),
        "Education safeguarding lead",
        "Service director, learning",
        10,
    ),
    Sector.DISTRICT_COUNCIL: Profile(
        (
            "Housing options officer",
            "Housing options officer",
            "Tenancy support officer",
            "Community safety officer",
            "Environmental health officer",
            "Licensing officer",
            "Leisure development officer",
            "Homelessness prevention officer",
        ),
        ("Housing services manager", "Community services manager"),
        (
            "Housing options",
            "Community safety",
            "Licensing and environmental health",
            "Leisure and community",
        ),
        "Safeguarding lead officer",
        "Head of community services",
        10,
    ),
    Sector.POLICE: Profile(
        ("Police constable",) * 3
        + ("Detective constable",) * 3
        + (
            "Police community support officer",
            "Police community support officer",
            "Public protection investigator",
            "MASH researcher",
            "Missing persons coordinator",
            "Domestic abuse officer",
        ),
        ("Detective sergeant", "Police sergeant", "Detective inspector"),
        (
            "Child abuse investigation unit",
            "Neighbourhood policing team",
            "Domestic abuse investigation and safeguarding unit",
            "Multi-agency safeguarding hub",
            "Missing and exploited children team",
            "Online child abuse investigation team",
        ),
        "Detective chief inspector, public protection",
        "Detective superintendent, head of public protection",
        10,
    ),
    Sector.PROBATION: Profile(
        ("Probation officer",) * 3
        + ("Probation services officer",) * 2
        + ("Victim liaison officer", "Programmes facilitator"),
        ("Senior probation officer",),
        ("Offender management unit", "Public protection team", "Community payback and programmes"),
        "Safeguarding lead, probation",
        "Director of offender management",
    ),
    Sector.YOUTH_OFFENDING: Profile(
        ("Youth offending case manager",) * 3
        + ("Youth justice worker",) * 2
        + (
            "Restorative justice worker",
            "Substance misuse worker",
            "Education, training and employment officer",
        ),
        ("Youth offending team manager", "Senior practitioner"),
        ("Youth offending team", "Prevention team"),
        "Deputy head of youth offending service",
        "Head of youth offending service",
        10,
    ),
    Sector.HEALTH_COMMISSIONER: Profile(
        (
            "Designated nurse for safeguarding children",
            "Named GP for safeguarding children",
            "Commissioning manager",
            "Commissioning manager",
            "Quality and patient safety lead",
            "Designated doctor for safeguarding children",
            "Designated nurse for looked after children",
            "Safeguarding administrator",
        ),
        ("Head of safeguarding", "Head of children's commissioning"),
        ("Safeguarding team", "Children's commissioning", "Quality team"),
        "Deputy chief nurse, safeguarding",
        "Chief nurse",
        10,
    ),
    Sector.ACUTE_HOSPITAL: Profile(
        ("Staff nurse (paediatrics)",) * 3
        + ("Midwife",) * 3
        + (
            "Emergency department nurse",
            "Emergency department nurse",
            "Paediatric registrar",
            "Consultant paediatrician",
            "Healthcare assistant",
            "Safeguarding children nurse specialist",
            "Maternity support worker",
        ),
        ("Ward manager", "Matron", "Midwifery team leader"),
        (
            "Children's ward",
            "Emergency department",
            "Maternity services",
            "Neonatal unit",
            "Paediatric outpatients",
            "Safeguarding team",
        ),
        "Named nurse for safeguarding children",
        "Director of nursing",
    ),
    Sector.COMMUNITY_HEALTH: Profile(
        ("Health visitor",) * 4
        + ("School nurse",) * 2
        + (
            "Community nursery nurse",
            "Community nursery nurse",
            "Family nurse",
            "Community paediatric nurse",
            "Speech and language therapist",
            "Children's physiotherapist",
            "Looked after children nurse",
        ),
        ("Health visiting team leader", "School nursing team leader", "Locality lead"),
        (
            "Health visiting team",
            "School nursing team",
            "Family nurse partnership",
            "Children's therapies",
        ),
        "Named nurse for safeguarding children",
        "Director of nursing and quality",
    ),
    Sector.MENTAL_HEALTH: Profile(
        ("CAMHS practitioner",) * 3
        + ("Community psychiatric nurse",) * 2
        + (
            "Clinical psychologist",
            "Mental health social worker",
            "Adult mental health nurse",
            "Perinatal mental health practitioner",
            "Consultant psychiatrist",
        ),
        ("CAMHS team leader", "Community mental health team manager"),
        (
            "CAMHS team",
            "Adult community mental health team",
            "Perinatal mental health team",
            "Crisis resolution team",
        ),
        "Named professional for safeguarding children",
        "Executive director of nursing",
    ),
    Sector.GP_PRACTICE: Profile(
        (
            "General practitioner",
            "General practitioner",
            "Salaried GP",
            "Practice nurse",
            "Practice nurse",
            "Nurse practitioner",
            "Healthcare assistant",
            "Receptionist",
            "Receptionist",
        ),
        ("GP partner", "Practice manager"),
        ("Practice team",),
        "Safeguarding lead GP",
        "GP partner",
        60,
    ),
    "primary": Profile(
        ("Class teacher",) * 4
        + ("Teaching assistant",) * 3
        + (
            "Learning mentor",
            "Special educational needs coordinator",
            "Pastoral support worker",
            "Family support worker (school)",
        ),
        ("Headteacher", "Deputy headteacher"),
        ("Whole school", "Support staff"),
        "Designated safeguarding lead",
        "Headteacher",
        40,
    ),
    "secondary": Profile(
        ("Subject teacher",) * 4
        + ("Teaching assistant",) * 2
        + (
            "Head of year",
            "Learning mentor",
            "Special educational needs coordinator",
            "Pastoral support worker",
            "Attendance officer (school)",
            "School counsellor",
        ),
        ("Headteacher", "Deputy headteacher", "Assistant headteacher"),
        ("Pastoral team", "Teaching staff", "Support staff", "Sixth form"),
        "Designated safeguarding lead",
        "Headteacher",
        25,
    ),
    "special_school": Profile(
        ("Class teacher",) * 2
        + ("Teaching assistant",) * 3
        + (
            "Specialist teaching assistant",
            "Speech and language therapist (school)",
            "Family support worker (school)",
        ),
        ("Headteacher", "Deputy headteacher"),
        ("Whole school", "Support staff"),
        "Designated safeguarding lead",
        "Headteacher",
        40,
    ),
    Sector.COLLEGE: Profile(
        ("Lecturer",) * 3
        + ("Learning support assistant",) * 2
        + (
            "Student support officer",
            "Pastoral tutor",
            "Careers adviser",
            "Student welfare officer",
        ),
        ("Head of student services", "Curriculum manager"),
        ("Student services", "Curriculum team", "Learning support"),
        "Designated safeguarding lead",
        "Principal",
        15,
    ),
    Sector.VOLUNTARY: Profile(
        (
            "Family support worker",
            "Family support worker",
            "Youth worker",
            "Youth worker",
            "Volunteer coordinator",
            "Outreach worker",
            "Children's domestic abuse worker",
            "Play worker",
            "Counsellor",
            "Project worker",
            "Project worker",
        ),
        ("Service manager", "Project manager"),
        ("Project team", "Outreach team"),
        "Safeguarding lead",
        "Chief executive",
        20,
    ),
    "nursery": Profile(
        ("Early years practitioner",) * 3
        + ("Nursery nurse",) * 2
        + ("Room leader", "Apprentice early years practitioner"),
        ("Nursery manager",),
        ("Nursery team",),
        "Designated safeguarding lead",
        "Nursery manager",
        40,
    ),
    "childrens_home": Profile(
        ("Residential support worker",) * 3
        + ("Senior residential support worker", "Night care worker"),
        ("Registered manager",),
        ("Care team",),
        "Designated safeguarding lead",
        "Registered manager",
        40,
    ),
    "fostering": Profile(
        (
            "Supervising social worker",
            "Supervising social worker",
            "Family placement worker",
            "Recruitment officer",
        ),
        ("Registered manager",),
        ("Fostering team",),
        "Designated safeguarding lead",
        "Registered manager",
        40,
    ),
    "cafcass": Profile(
        ("Family court adviser",) * 3
        + (
            "Children's guardian",
            "Children's guardian",
            "Practice supervisor",
            "Business support officer",
        ),
        ("Service manager",),
        ("Private law team", "Public law team"),
        "Head of practice",
        "Head of practice",
        10,
    ),
    Sector.OTHER: Profile(
        ("Project worker",),
        ("Manager",),
        ("Team",),
        "Safeguarding lead",
        "Director",
        20,
    ),
}

# Sectors whose practitioners join the multi-agency training pool.
TRAINER_SECTORS = frozenset(
    {
        Sector.CHILDRENS_SOCIAL_CARE,
        Sector.EARLY_HELP,
        Sector.EDUCATION,
        Sector.POLICE,
        Sector.PROBATION,
        Sector.YOUTH_OFFENDING,
        Sector.ACUTE_HOSPITAL,
        Sector.COMMUNITY_HEALTH,
        Sector.MENTAL_HEALTH,
        Sector.SCHOOL,
        Sector.VOLUNTARY,
    }
)

# The plan -------------------------------------------------------------------------------------


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


def _ascii_slug(text: str, sep: str = "") -> str:
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
        local = f"{_ascii_slug(given, '-')}.{_ascii_slug(family, '-')}"
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


def _unique(name: str, used: set[str]) -> str:
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
            name = _unique(f"{base} ({locality})", used)
        else:
            locality = agency.locality
            name = _unique(profile.team_bases[i % len(profile.team_bases)], used)
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


def _add_training_pool(plan: Plan, rng: random.Random, count: int) -> None:
    sectors = {a.name: a.sector for a in plan.agencies}
    eligible = [
        p
        for p in plan.people
        if p.roles == (Role.PRACTITIONER,) and sectors[p.agency] in TRAINER_SECTORS
    ]
    for p in rng.sample(eligible, min(count, len(eligible))):
        p.roles = (Role.PRACTITIONER, Role.TRAINER)


def _add_health_records_analysts(plan: Plan, agencies: Iterable[AgencySpec]) -> None:
    for agency in agencies:
        candidates = [
            p for p in plan.people if p.agency == agency.name and p.roles == (Role.PRACTITIONER,)
        ]
        if candidates:
            analyst = candidates[-1]
            analyst.roles = (Role.HEALTH_RECORDS_ANALYST,)
            analyst.job_title = "Child health information analyst"


def _staff_plan(plan: Plan, rng: random.Random, email) -> None:
    for agency in plan.agencies:
        teams, people = staff_agency(agency, plan.localities, rng, email)
        plan.teams.extend(teams)
        plan.people.extend(people)


# The demo partnership: Cambridgeshire, 2013/14 --------------------------------------------------

DEMO_SEED = 201314
DEMO_PARTNERSHIP = "Cambridgeshire Local Safeguarding Children Board"
DEMO_AREA = "Cambridgeshire"
CAMBRIDGE = "Cambridge and South Cambridgeshire"
EAST = "East Cambridgeshire"
FENLAND = "Fenland"
HUNTS = "Huntingdonshire"
DEMO_LOCALITIES = [CAMBRIDGE, EAST, FENLAND, HUNTS]

BUSINESS_UNIT = "Cambridgeshire LSCB Business Unit"
CSC = "Cambridgeshire County Council: Children's Social Care"
POLICE = "Cambridgeshire Constabulary"
COMMUNITY_HEALTH = "Cambridgeshire Community Services NHS Trust"
EARLY_HELP = "Cambridgeshire County Council: Early Help"

_S = Sector
DEMO_AGENCIES: list[AgencySpec] = [
    AgencySpec(BUSINESS_UNIT, _S.OTHER, "cambs-lscb.example", headcount=7, kind="business_unit"),
    AgencySpec(CSC, _S.CHILDRENS_SOCIAL_CARE, "cambridgeshire-cc.example", True, True, None, 125),
    AgencySpec(EARLY_HELP, _S.EARLY_HELP, "cambridgeshire-cc.example", True, True, None, 70),
    AgencySpec(
        "Cambridgeshire County Council: Education and Learning",
        _S.EDUCATION,
        "cambridgeshire-cc.example",
        True,
        True,
        None,
        30,
    ),
    AgencySpec(
        "Cambridge City Council",
        _S.DISTRICT_COUNCIL,
        "cambridge-city.example",
        True,
        True,
        CAMBRIDGE,
        12,
    ),
    AgencySpec(
        "South Cambridgeshire District Council",
        _S.DISTRICT_COUNCIL,
        "scambs-dc.example",
        True,
        True,
        CAMBRIDGE,
        12,
    ),
    AgencySpec(
        "East Cambridgeshire District Council",
        _S.DISTRICT_COUNCIL,
        "eastcambs-dc.example",
        True,
        True,
        EAST,
        12,
    ),
    AgencySpec(
        "Fenland District Council",
        _S.DISTRICT_COUNCIL,
        "fenland-dc.example",
        True,
        True,
        FENLAND,
        12,
    ),
    AgencySpec(
        "Huntingdonshire District Council",
        _S.DISTRICT_COUNCIL,
        "hunts-dc.example",
        True,
        True,
        HUNTS,
        12,
    ),
    AgencySpec(POLICE, _S.POLICE, "cambs.police.example", True, True, None, 120),
    AgencySpec(
        "Cambridgeshire and Peterborough Probation Trust",
        _S.PROBATION,
        "cambs-probation.example",
        True,
        True,
        None,
        25,
    ),
    AgencySpec(
        "Cambridgeshire Youth Offending Service",
        _S.YOUTH_OFFENDING,
        "cambs-yos.example",
        True,
        False,
        None,
        25,
    ),
    AgencySpec(
        "Cambridgeshire and Peterborough Clinical Commissioning Group",
        _S.HEALTH_COMMISSIONER,
        "cambs-ccg.nhs.example",
        True,
        True,
        None,
        14,
    ),
    AgencySpec(
        "Cambridge University Hospitals NHS Foundation Trust",
        _S.ACUTE_HOSPITAL,
        "cuh.nhs.example",
        True,
        False,
        CAMBRIDGE,
        80,
    ),
    AgencySpec(
        "Hinchingbrooke Health Care NHS Trust",
        _S.ACUTE_HOSPITAL,
        "hinchingbrooke.nhs.example",
        True,
        False,
        HUNTS,
        40,
    ),
    AgencySpec(
        "Peterborough and Stamford Hospitals NHS Foundation Trust",
        _S.ACUTE_HOSPITAL,
        "pbh.nhs.example",
        True,
        False,
        FENLAND,
        25,
    ),
    AgencySpec(COMMUNITY_HEALTH, _S.COMMUNITY_HEALTH, "ccs.nhs.example", True, False, None, 110),
    AgencySpec(
        "Cambridgeshire and Peterborough NHS Foundation Trust",
        _S.MENTAL_HEALTH,
        "cpft.nhs.example",
        True,
        False,
        None,
        60,
    ),
    AgencySpec(
        "Cafcass (East of England)",
        _S.OTHER,
        "cafcass-east.example",
        True,
        True,
        None,
        10,
        "cafcass",
    ),
    # GP practices
    AgencySpec(
        "Parkside Medical Practice, Cambridge",
        _S.GP_PRACTICE,
        "parkside-gp.nhs.example",
        locality=CAMBRIDGE,
        headcount=6,
    ),
    AgencySpec(
        "Sawston Green Surgery",
        _S.GP_PRACTICE,
        "sawstongreen-gp.nhs.example",
        locality=CAMBRIDGE,
        headcount=6,
    ),
    AgencySpec(
        "Cathedral View Surgery, Ely",
        _S.GP_PRACTICE,
        "cathedralview-gp.nhs.example",
        locality=EAST,
        headcount=6,
    ),
    AgencySpec(
        "Market Street Health Centre, Wisbech",
        _S.GP_PRACTICE,
        "marketstreet-gp.nhs.example",
        locality=FENLAND,
        headcount=6,
    ),
    AgencySpec(
        "Riverside Surgery, St Neots",
        _S.GP_PRACTICE,
        "riverside-stneots-gp.nhs.example",
        locality=HUNTS,
        headcount=6,
    ),
    AgencySpec(
        "Priory Fields Medical Centre, Huntingdon",
        _S.GP_PRACTICE,
        "prioryfields-gp.nhs.example",
        locality=HUNTS,
        headcount=6,
    ),
    # Schools and colleges
    AgencySpec(
        "Castle Hill Primary School, Cambridge",
        _S.SCHOOL,
        "castlehill.cambs-sch.example",
        locality=CAMBRIDGE,
        headcount=14,
        kind="primary",
    ),
    AgencySpec(
        "St Andrew's CofE Primary School, Histon",
        _S.SCHOOL,
        "standrews-histon.cambs-sch.example",
        locality=CAMBRIDGE,
        headcount=12,
        kind="primary",
    ),
    AgencySpec(
        "Cam Valley Community College",
        _S.SCHOOL,
        "camvalley.cambs-sch.example",
        locality=CAMBRIDGE,
        headcount=20,
        kind="secondary",
    ),
    AgencySpec(
        "Fenside Primary School, Ely",
        _S.SCHOOL,
        "fenside-ely.cambs-sch.example",
        locality=EAST,
        headcount=12,
        kind="primary",
    ),
    AgencySpec(
        "Soham Meadows Village College",
        _S.SCHOOL,
        "sohammeadows.cambs-sch.example",
        locality=EAST,
        headcount=18,
        kind="secondary",
    ),
    AgencySpec(
        "Orchard Primary School, Wisbech",
        _S.SCHOOL,
        "orchard-wisbech.cambs-sch.example",
        locality=FENLAND,
        headcount=12,
        kind="primary",
    ),
    AgencySpec(
        "March Fenland Academy",
        _S.SCHOOL,
        "marchfenland.cambs-sch.example",
        locality=FENLAND,
        headcount=18,
        kind="secondary",
    ),
    AgencySpec(
        "Ouse Valley Primary School, Huntingdon",
        _S.SCHOOL,
        "ousevalley.cambs-sch.example",
        locality=HUNTS,
        headcount=12,
        kind="primary",
    ),
    AgencySpec(
        "St Neots Riverside Academy",
        _S.SCHOOL,
        "riverside-academy.cambs-sch.example",
        locality=HUNTS,
        headcount=18,
        kind="secondary",
    ),
    AgencySpec(
        "Spring Meadow Special School, St Ives",
        _S.SCHOOL,
        "springmeadow.cambs-sch.example",
        locality=HUNTS,
        headcount=12,
        kind="special_school",
    ),
    AgencySpec(
        "Cambridge and Fens College",
        _S.COLLEGE,
        "cambsfens-college.example",
        True,
        False,
        CAMBRIDGE,
        22,
    ),
    AgencySpec(
        "Huntingdonshire Sixth Form College",
        _S.COLLEGE,
        "hunts-sixthform.example",
        True,
        False,
        HUNTS,
        18,
    ),
    # Voluntary and community organisations
    AgencySpec(
        "Fenland Family Support Network",
        _S.VOLUNTARY,
        "fenland-family.org.example",
        locality=FENLAND,
        headcount=8,
    ),
    AgencySpec(
        "Cambridge Women's Refuge Trust",
        _S.VOLUNTARY,
        "cambs-refuge.org.example",
        locality=CAMBRIDGE,
        headcount=8,
    ),
    AgencySpec(
        "Huntingdonshire Young Carers",
        _S.VOLUNTARY,
        "hunts-youngcarers.org.example",
        locality=HUNTS,
        headcount=6,
    ),
    AgencySpec(
        "East Cambs Youth Project",
        _S.VOLUNTARY,
        "eastcambs-youth.org.example",
        locality=EAST,
        headcount=6,
    ),
    AgencySpec(
        "Cambridgeshire Parent Partnership", _S.VOLUNTARY, "cambs-parents.org.example", headcount=8
    ),
    AgencySpec(
        "Safe Space Counselling for Young People",
        _S.VOLUNTARY,
        "safespace-counselling.org.example",
        headcount=8,
    ),
]
DEMO_TRAINERS = 30


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
        return f"{_ascii_slug(self.given_name)}.{_ascii_slug(self.family_name)}@{domain}"


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
    _staff_plan(plan, rng, email)
    community_health = next(a for a in plan.agencies if a.name == COMMUNITY_HEALTH)
    _add_health_records_analysts(plan, [community_health])
    _add_training_pool(plan, rng, DEMO_TRAINERS - 1)  # the trainer persona makes it 30
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


# Synthetic counties ----------------------------------------------------------------------------

COUNTIES = ("Barsetshire", "Loamshire", "Midsomer", "Mallowshire", "Wyvernshire")
SCALES: dict[str, tuple[int, int, int]] = {  # counties, agencies per county, people per county
    "test": (1, 40, 300),
    "county": (1, 600, 20_000),
    "region": (5, 600, 20_000),
}
_TOWN_START = (
    "Ash",
    "Bram",
    "Brook",
    "Carl",
    "Dun",
    "Elm",
    "Fern",
    "Gold",
    "Hart",
    "Hazel",
    "Kings",
    "Lang",
    "Mill",
    "Nether",
    "Oak",
    "Red",
    "Sand",
    "Stan",
    "Thorn",
    "Wick",
    "Whit",
    "Wood",
    "Alder",
    "Bur",
    "Chal",
    "Cold",
    "Fair",
    "Hol",
    "Marl",
    "Roth",
)
_TOWN_END = (
    "ford",
    "ton",
    "bury",
    "ley",
    "ham",
    "field",
    "wick",
    "worth",
    "stead",
    "bridge",
    "combe",
    "minster",
    "thorpe",
    "by",
    "well",
    "mere",
    "hurst",
)
_FEATURES = (
    "Meadow",
    "Orchard",
    "Riverside",
    "Park",
    "Church",
    "Castle",
    "Brook",
    "Willow",
    "Oakfield",
    "Hillside",
    "Green Lane",
    "Station Road",
    "Abbey",
    "Priory",
    "Mill",
)
_SAINTS = (
    "Mary",
    "John",
    "Peter",
    "Andrew",
    "Michael",
    "Nicholas",
    "Margaret",
    "Luke",
    "Thomas",
    "Anne",
    "Edmund",
    "Botolph",
)
# (sector, kind, share of the "many" agencies, typical headcount)
_MANY = (
    (Sector.SCHOOL, "primary", 180, 20),
    (Sector.SCHOOL, "secondary", 55, 70),
    (Sector.SCHOOL, "special_school", 15, 30),
    (Sector.GP_PRACTICE, "", 80, 10),
    (Sector.COLLEGE, "", 12, 80),
    (Sector.VOLUNTARY, "", 200, 8),
    (Sector.OTHER, "nursery", 25, 12),
    (Sector.OTHER, "childrens_home", 10, 10),
    (Sector.OTHER, "fostering", 5, 10),
)
_N_LOCALITIES = 5
# The years of history other apps add to a synthetic county (see history_generators): by
# default April 2016 to March 2026, years that have all ended, so the same seed gives the same data.
HISTORY_FIRST_YEAR = 2016
HISTORY_YEARS = 10
MIN_AGENCIES = 19 + len(_MANY)  # the county-wide agencies, the district councils, one of each


def synthetic_partnership_name(county: str) -> str:
    return f"{county} Safeguarding Children Partnership"


def _fixed_agencies(
    county: str, slug: str, localities: Sequence[str], towns: Sequence[str]
) -> list[tuple[AgencySpec, float]]:
    cc = f"{slug}-cc.example"
    rows: list[tuple[AgencySpec, float]] = [
        (
            AgencySpec(
                f"{county} Safeguarding Children Partnership Business Unit",
                Sector.OTHER,
                f"{slug}-scp.example",
                kind="business_unit",
            ),
            8,
        ),
        (
            AgencySpec(
                f"{county} County Council: Children's Social Care",
                Sector.CHILDRENS_SOCIAL_CARE,
                cc,
                True,
                True,
            ),
            1500,
        ),
        (
            AgencySpec(f"{county} County Council: Early Help", Sector.EARLY_HELP, cc, True, True),
            400,
        ),
        (
            AgencySpec(
                f"{county} County Council: Education and Learning", Sector.EDUCATION, cc, True, True
            ),
            300,
        ),
        (AgencySpec(f"{county} Police", Sector.POLICE, f"{slug}.police.example", True, True), 2000),
        (
            AgencySpec(
                f"{county} Probation Trust",
                Sector.PROBATION,
                f"{slug}-probation.example",
                True,
                True,
            ),
            250,
        ),
        (
            AgencySpec(
                f"{county} Youth Offending Service",
                Sector.YOUTH_OFFENDING,
                f"{slug}-yos.example",
                True,
            ),
            100,
        ),
        (
            AgencySpec(
                f"{county} Clinical Commissioning Group",
                Sector.HEALTH_COMMISSIONER,
                f"{slug}-ccg.nhs.example",
                True,
                True,
            ),
            60,
        ),
        (
            AgencySpec(
                f"{county} Community Health Services NHS Trust",
                Sector.COMMUNITY_HEALTH,
                f"{slug}-community.nhs.example",
                True,
            ),
            1500,
        ),
        (
            AgencySpec(
                f"{county} Partnership NHS Foundation Trust",
                Sector.MENTAL_HEALTH,
                f"{slug}-partnership.nhs.example",
                True,
            ),
            800,
        ),
        (
            AgencySpec(
                f"Cafcass ({county})",
                Sector.OTHER,
                f"cafcass-{slug}.example",
                True,
                True,
                kind="cafcass",
            ),
            40,
        ),
    ]
    for i, town in enumerate(towns[_N_LOCALITIES : _N_LOCALITIES + 3]):
        rows.append(
            (
                AgencySpec(
                    f"{town} Hospitals NHS Foundation Trust",
                    Sector.ACUTE_HOSPITAL,
                    f"{_ascii_slug(town)}-hospitals.{slug}.nhs.example",
                    True,
                    False,
                    localities[i % len(localities)],
                ),
                1000,
            )
        )
    for locality in localities:
        rows.append(
            (
                AgencySpec(
                    f"{locality} District Council",
                    Sector.DISTRICT_COUNCIL,
                    f"{_ascii_slug(locality)}-dc.{slug}.example",
                    True,
                    True,
                    locality,
                ),
                80,
            )
        )
    return rows


def _many_name(kind: str, sector: str, rng: random.Random, town: str, county: str) -> str:
    feature, saint = rng.choice(_FEATURES), rng.choice(_SAINTS)
    options = {
        "primary": (
            f"{town} Primary School",
            f"St {saint}'s CofE Primary School, {town}",
            f"{feature} Primary School, {town}",
            f"{town} {feature} Primary Academy",
            f"{town} Infant School",
            f"{town} Junior School",
        ),
        "secondary": (
            f"{town} Academy",
            f"{town} Community College",
            f"{town} High School",
            f"{feature} Academy, {town}",
            f"St {saint}'s Catholic High School, {town}",
        ),
        "special_school": (f"{feature} Special School, {town}", f"{town} {feature} School"),
        "nursery": (
            f"{feature} Day Nursery, {town}",
            f"{town} Pre-school",
            f"Little Acorns Nursery, {town}",
        ),
        "childrens_home": (f"{feature} House Children's Home, {town}",),
        "fostering": (f"{feature} Fostering Services ({county})",),
    }.get(kind) or {
        Sector.GP_PRACTICE: (
            f"{feature} Surgery, {town}",
            f"{town} Medical Centre",
            f"{feature} Medical Practice, {town}",
            f"{town} Health Centre",
        ),
        Sector.COLLEGE: (
            f"{town} College",
            f"{town} Sixth Form College",
            f"{town} College of Further Education",
        ),
        Sector.VOLUNTARY: (
            f"{town} Family Support Network",
            f"{town} Young Carers",
            f"{town} Youth Project",
            f"{town} Women's Aid",
            f"{town} Counselling for Young People",
            f"{town} Foodbank",
            f"{town} Parent and Toddler Network",
            f"{town} Junior Football Club",
            f"{town} Scouts and Guides District",
            f"{feature} Church Youth Group, {town}",
            f"{town} Home-Visiting Volunteers",
        ),
    }[sector]
    return rng.choice(options)


def _allocate(total: int, weights: Sequence[float], minimums: Sequence[int]) -> list[int]:
    """Split `total` in proportion to `weights` (largest remainders), giving each its minimum."""
    spare = max(0, total - sum(minimums))
    weight_sum = sum(weights)
    shares = [spare * w / weight_sum for w in weights]
    counts = [math.floor(s) for s in shares]
    short = spare - sum(counts)
    by_remainder = sorted(range(len(shares)), key=lambda i: (counts[i] - shares[i], i))
    for i in by_remainder[:short]:
        counts[i] += 1
    return [c + m for c, m in zip(counts, minimums, strict=True)]


def synthetic_plan(*, seed: int, index: int, agencies: int, practitioners: int) -> Plan:
    """County number `index` (0-4) of a synthetic region. The same arguments give the same plan."""
    county = COUNTIES[index]
    slug = _ascii_slug(county)
    rng = random.Random(f"safeguarding-synthetic:{seed}:{index}")
    towns: list[str] = []
    while len(towns) < 40:
        town = rng.choice(_TOWN_START) + rng.choice(_TOWN_END)
        if town not in towns:
            towns.append(town)
    localities = towns[:_N_LOCALITIES]
    town_locality = {t: localities[i % _N_LOCALITIES] for i, t in enumerate(towns)}

    fixed = _fixed_agencies(county, slug, localities, towns)
    many_slots = max(0, agencies - len(fixed))
    share_total = sum(row[2] for row in _MANY)
    many_counts = _allocate(
        many_slots,
        [row[2] / share_total for row in _MANY],
        [1] * len(_MANY) if many_slots >= len(_MANY) else [0] * len(_MANY),
    )
    used_names = {spec.name.lower() for spec, _ in fixed}
    specs: list[tuple[AgencySpec, float]] = list(fixed)
    for (sector, kind, _share, typical), count in zip(_MANY, many_counts, strict=True):
        for _ in range(count):
            for _attempt in range(10):  # prefer another real-sounding name to a numbered one
                town = rng.choice(towns)
                name = _many_name(kind, sector, rng, town, county)
                if name.lower() not in used_names:
                    break
            name = _unique(name, used_names)
            domain = f"{_ascii_slug(name, '-')[:40].strip('-')}.{slug}.example"
            statutory = sector == Sector.COLLEGE
            specs.append(
                (
                    AgencySpec(
                        name, sector, domain, statutory, False, town_locality[town], kind=kind
                    ),
                    typical * rng.uniform(0.6, 1.5),
                )
            )
    minimums = [4 if s.kind == "business_unit" else 3 if s.statutory else 2 for s, _ in specs]
    headcounts = _allocate(practitioners, [w for _, w in specs], minimums)
    agency_specs = [
        AgencySpec(s.name, s.sector, s.domain, s.statutory, s.funds, s.locality, n, s.kind)
        for (s, _), n in zip(specs, headcounts, strict=True)
    ]
    plan = Plan(synthetic_partnership_name(county), county, localities, agency_specs)
    _staff_plan(plan, rng, EmailMaker(counter=True))
    _add_health_records_analysts(
        plan,
        [
            a
            for a in agency_specs
            if a.sector in (Sector.COMMUNITY_HEALTH, Sector.HEALTH_COMMISSIONER)
        ],
    )
    _add_training_pool(plan, rng, max(1, round(len(plan.people) * 0.015)))
    return plan


# Writing a plan --------------------------------------------------------------------------------


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


# load_demo -----------------------------------------------------------------------------------


@dataclass
class PersonaAccount:
    persona: Persona
    user: User
    password: str
    totp_key: str  # base32, as authenticator apps and `oathtool --totp -b` take it
    device_created: bool


@dataclass
class DemoResult:
    partnership: Partnership
    accounts: list[PersonaAccount]
    created: Counter
    totals: dict[str, int]


def _ensure_persona(
    persona: Persona, spec: PersonSpec, written: Written, manager: User | None
) -> User:
    agency = written.agencies[spec.agency]
    team = written.teams.get((spec.agency, spec.team)) if spec.team else None
    user = User.objects.filter(email__iexact=persona.email).first()
    if user is None:
        return services.person_create(
            email=persona.email,
            given_name=persona.given_name,
            family_name=persona.family_name,
            agency=agency,
            roles=persona.roles,
            job_title=persona.job_title,
            team=team,
            line_manager=manager,
        )
    if not user.is_active:
        services.user_reactivate(user=user, actor=None)
    services.person_update(
        user=user, actor=None, given_name=persona.given_name, family_name=persona.family_name
    )
    membership = Membership.objects.filter(user=user, agency=agency).first()
    if membership is None:
        services.membership_create(
            user=user,
            agency=agency,
            roles=persona.roles,
            job_title=persona.job_title,
            team=team,
            line_manager=manager,
        )
    else:
        values: dict[str, Any] = {"team": team, "job_title": persona.job_title}
        if manager is not None:
            values["line_manager"] = manager
        services.membership_update(membership=membership, actor=None, roles=persona.roles, **values)
    return user


def _persona_device(user: User) -> tuple[Any, bool]:
    from django_otp.plugins.otp_totp.models import TOTPDevice

    device = TOTPDevice.objects.filter(user=user, confirmed=True).order_by("pk").first()
    if device is not None:
        return device, False
    device = TOTPDevice.objects.create(user=user, name="Demo authenticator", confirmed=True)
    audit.record(
        action="people.user.second_factor_added",
        obj=user,
        changes={"device": device.name, "by": "load_demo"},
    )
    return device, True


def load_demo(*, progress_factory=None) -> DemoResult:
    """Load (or refresh) the demo partnership and issue new passwords to the persona accounts."""
    plan = demo_plan()
    personas = {p.key: p for p in PERSONAS}
    specs = {p.persona: p for p in plan.people if p.persona}
    with transaction.atomic():
        partnership = Partnership.objects.filter(name=plan.partnership).first()
        if partnership is None:
            partnership = services.partnership_create(name=plan.partnership, area=plan.area)
        existing = set(partnership.localities.values_list("name", flat=True))
        for name in plan.localities:
            if name not in existing:
                services.locality_create(partnership=partnership, name=name)
        written = write_structure(plan)
        created = Counter(written.created)
        _audit_bulk(partnership, Agency, written.created["agencies"])
        _audit_bulk(partnership, Team, written.created["teams"])

        # Personas first (through the services), so bulk-loaded colleagues can report to them.
        users: dict[str, User] = {}
        for key in sorted(specs, key=lambda k: Role.LINE_MANAGER not in specs[k].roles):
            spec = specs[key]
            manager = (
                User.objects.filter(email__iexact=spec.manager).first() if spec.manager else None
            )
            users[key] = _ensure_persona(personas[key], spec, written, manager)

        progress = progress_factory(len(plan.people) - len(specs)) if progress_factory else None
        try:
            people_created = write_people(plan, written, progress=progress)
        finally:
            if progress is not None:
                progress.close()
        created.update(people_created)
        _audit_bulk(partnership, User, people_created["users"])
        _audit_bulk(partnership, Membership, people_created["memberships"])
        _audit_bulk(partnership, RoleGrant, people_created["role_grants"])

        # Line managers of personas who report to bulk-loaded people exist only now.
        for key, spec in specs.items():
            if spec.manager:
                manager = User.objects.get(email__iexact=spec.manager)
                membership = Membership.objects.get(
                    user=users[key], agency=written.agencies[spec.agency]
                )
                if membership.line_manager_id != manager.pk:
                    services.membership_update(
                        membership=membership, actor=None, line_manager=manager
                    )

        accounts = []
        for persona in PERSONAS:
            user = users[persona.key]
            password = secrets.token_urlsafe(15)
            while not password[0].isalnum():  # easier to paste into a terminal
                password = secrets.token_urlsafe(15)
            user.set_password(password)
            user.save(update_fields=["password"])
            audit.record(
                action="people.user.password_set_by_demo",
                obj=user,
                changes={"password": "new random password printed by load_demo"},
            )
            device, device_created = _persona_device(user)
            key = base64.b32encode(device.bin_key).decode().rstrip("=")
            accounts.append(PersonaAccount(persona, user, password, key, device_created))

        totals = {
            "localities": partnership.localities.count(),
            "agencies": partnership.agencies.count(),
            "teams": Team.objects.filter(agency__partnership=partnership).count(),
            "people": User.objects.filter(memberships__agency__partnership=partnership)
            .distinct()
            .count(),
            "trainers": RoleGrant.objects.filter(
                membership__agency__partnership=partnership, role=Role.TRAINER
            ).count(),
        }
        audit.record(
            action="people.demo.loaded",
            obj=partnership,
            changes={"created": dict(created), "totals": totals},
        )
    return DemoResult(partnership, accounts, created, totals)


def _audit_bulk(partnership: Partnership, model, count: int) -> None:
    if count:
        audit.record(
            action="people.demo.bulk_created",
            object_type=model._meta.label_lower,
            object_repr=f"{count} {model._meta.verbose_name_plural} for {partnership}"[:200],
            changes={"created": count, "partnership": partnership.name},
        )


# generate_synthetic -----------------------------------------------------------------------------


def history_generators() -> list[Callable]:
    """Each app's `synthetic.generate`, in app order: the apps that add years of history (the
    training programme, meetings...) to a synthetic county once its people are written. Found
    like load_demo finds each app's `demo.py`, so that people depends on no other app."""
    from django.apps import apps

    found = []
    for config in apps.get_app_configs():
        if not config.name.startswith("safeguarding.") or config.label == "people":
            continue
        try:
            module = importlib.import_module(f"{config.name}.synthetic")
        except ModuleNotFoundError as error:
            if error.name != f"{config.name}.synthetic":
                raise
            continue
        found.append(module.generate)
    return found


def generate_synthetic(
    *,
    seed: int,
    counties: int,
    agencies: int,
    practitioners: int,
    batch_size: int = 2000,
    progress=None,
    scale: str = "",
    history: dict | None = None,
    history_progress_factory: Callable | None = None,
) -> list[dict]:
    """Write `counties` synthetic counties in one transaction, audited by one summary entry.

    With `history` ({"first_year": 2016, "years": 10}), each app's synthetic.generate then adds
    that many financial years of its records to every county (see `history_generators`); the
    counts of what they wrote are in each county's row under "history"."""
    names = [synthetic_partnership_name(c) for c in COUNTIES[:counties]]
    clash = Partnership.objects.filter(name__in=names).values_list("name", flat=True)
    if clash:
        raise ValueError(f"Already in this database: {', '.join(clash)}. Use a fresh database.")
    summary = []
    with transaction.atomic():
        for index in range(counties):
            if progress is not None:
                progress.set_description(COUNTIES[index])
            plan = synthetic_plan(
                seed=seed, index=index, agencies=agencies, practitioners=practitioners
            )
            written = write_structure(plan, batch_size=batch_size)
            created = write_people(plan, written, batch_size=batch_size, progress=progress)
            row = {"county": COUNTIES[index], **plan.counts(), "users_created": created["users"]}
            if history is not None:
                row["history"] = {}
                for generate in history_generators():
                    row["history"].update(
                        generate(
                            written.partnership,
                            seed=seed,
                            first_year=history["first_year"],
                            years=history["years"],
                            batch_size=batch_size,
                            progress_factory=history_progress_factory,
                        )
                    )
                    reset_queries()
            summary.append(row)
            del plan, written
        totals = {
            key: sum(row[key] for row in summary)
            for key in ("localities", "agencies", "teams", "practitioners", "role_grants")
        }
        audit.record(
            action="people.synthetic.generated",
            object_type="people.partnership",
            object_repr=f"{counties} synthetic counties (seed {seed})",
            changes={"scale": scale, "seed": seed, "counties": summary, "totals": totals},
        )
    return summary
