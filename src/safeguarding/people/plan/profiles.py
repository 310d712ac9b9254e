"""What people in each kind of agency are called, and how their teams are organised."""

from __future__ import annotations

from dataclasses import dataclass

from safeguarding.people.models import Sector


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
