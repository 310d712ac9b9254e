"""The demo partnership's localities and agencies: Cambridgeshire, 2013/14 (invented people, real
pattern of agency names; every e-mail domain ends in `.example`)."""

from __future__ import annotations

from safeguarding.people.models import Sector
from safeguarding.people.plan.building import AgencySpec

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
