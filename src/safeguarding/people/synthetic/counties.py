"""Synthetic counties for scale tests: the same seed gives the same plan."""

from __future__ import annotations

import math
import random
from collections.abc import Sequence

from safeguarding.people.models import Sector
from safeguarding.people.plan.building import (
    AgencySpec,
    EmailMaker,
    Plan,
    add_health_records_analysts,
    add_training_pool,
    ascii_slug,
    staff_plan,
    unique_name,
)

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
                    f"{ascii_slug(town)}-hospitals.{slug}.nhs.example",
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
                    f"{ascii_slug(locality)}-dc.{slug}.example",
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
    slug = ascii_slug(county)
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
            name = unique_name(name, used_names)
            domain = f"{ascii_slug(name, '-')[:40].strip('-')}.{slug}.example"
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
    staff_plan(plan, rng, EmailMaker(counter=True))
    add_health_records_analysts(
        plan,
        [
            a
            for a in agency_specs
            if a.sector in (Sector.COMMUNITY_HEALTH, Sector.HEALTH_COMMISSIONER)
        ],
    )
    add_training_pool(plan, rng, max(1, round(len(plan.people) * 0.015)))
    return plan
