"""The demo partnership's risk identifications: the matrix was launched through the local practice
groups in June 2014, so identifications start then, across agencies, with outcomes and reviews.
Synthetic families only. The practice group meetings and the domestic abuse course that
introduced the matrix are marked as training on the tool, for the board's adoption figures.

Each identification goes through the same services a practitioner's does (so each has its audit
entries). The demo practitioner (Tom Fairbairn, police) has some of his own, so that the journey
has content when he signs in."""

from __future__ import annotations

import datetime
import random

from django.db import transaction
from django.utils import timezone

from safeguarding.learning.selectors import public as learning_public
from safeguarding.people.demo import PERSONAS
from safeguarding.people.models import Membership, Role, Sector, User
from safeguarding.risk.calibration import demo as calibration_demo
from safeguarding.risk.instruments import get_instrument
from safeguarding.risk.models import HouseholdMember, Identification, MatrixTraining, Outcome
from safeguarding.risk.selectors.identifications import evaluate
from safeguarding.risk.services.households import household_create, household_member_add
from safeguarding.risk.services.identifications import (
    identification_answers_save,
    identification_confirm,
    identification_start,
)
from safeguarding.risk.services.referrals import outcome_record
from safeguarding.risk.services.reviews import review_complete

LAUNCH = datetime.date(2014, 6, 2)
FAMILY_NAMES = [
    "Ashby", "Brennan", "Carlisle", "Dawes", "Ellery", "Fenwick", "Garside", "Holloway",
    "Ingram", "Jessop", "Kershaw", "Lowther", "Marsden", "Norbury", "Oakley", "Pennock",
    "Quarmby", "Redfern", "Sutcliffe", "Thackray", "Underwood", "Varley", "Whitworth", "Yardley",
]  # fmt: skip
CHILD_NAMES = ["Ava", "Leo", "Maya", "Noah", "Isla", "Finn", "Ruby", "Alfie", "Evie", "Theo"]
ADULT_NAMES = ["Jo", "Sam", "Chris", "Alex", "Nicky", "Lee", "Dani", "Kim"]
SECTORS = [
    Sector.POLICE,
    Sector.COMMUNITY_HEALTH,
    Sector.SCHOOL,
    Sector.EARLY_HELP,
    Sector.ACUTE_HOSPITAL,
    Sector.VOLUNTARY,
]
CHILD_AGES = [0, *range(2, 16), *range(7, 16)]  # few babies; more school-age children
COUNT = 120


def load(partnership, stdout) -> None:
    calibration_demo.load(partnership, stdout)  # calibration exercises: risk/calibration/demo.py
    if Identification.objects.filter(agency__partnership=partnership).exists():
        stdout.write("  Risk identifications: already loaded")
        return
    rng = random.Random(2014)
    with transaction.atomic():
        _training_links(partnership)
        made = _identifications(partnership, rng)
    stdout.write(f"  Risk identifications since June 2014: {made} across agencies")


def _training_links(partnership) -> None:
    for course in learning_public.courses_matching(partnership, title_contains="domestic abuse"):
        MatrixTraining.objects.get_or_create(partnership=partnership, course=course)
    for meeting in learning_public.meetings_matching(
        partnership, topics_contains="risk identification matrix"
    ):
        MatrixTraining.objects.get_or_create(partnership=partnership, meeting=meeting)


def _practitioners(partnership) -> list[User]:
    """Practitioners in the sectors that see families, with the demo practitioner first, then
    mostly people trained on the tool (adoption follows training), and a few who were not."""
    demo_email = next(p.email for p in PERSONAS if p.key == "practitioner_a")
    memberships = (
        Membership.objects.filter(
            agency__partnership=partnership,
            agency__sector__in=SECTORS,
            role_grants__role=Role.PRACTITIONER,
        )
        .select_related("user")
        .order_by("user__email")
    )
    people = [m.user for m in memberships]
    links = MatrixTraining.objects.filter(partnership=partnership)
    trained = learning_public.attended_person_ids(
        course_ids=[pk for pk in links.values_list("course_id", flat=True) if pk],
        meeting_ids=[pk for pk in links.values_list("meeting_id", flat=True) if pk],
    )
    rng = random.Random(7)
    rng.shuffle(people)
    demo = [u for u in people if u.email == demo_email]
    others = [u for u in people if u.email != demo_email]
    return (
        demo
        + [u for u in others if u.pk in trained][:30]
        + [u for u in others if u.pk not in trained][:6]
    )


def _household(author, rng, family: str, day: datetime.date):
    agency = author.memberships.filter(agency__partnership__isnull=False).first().agency
    household = household_create(
        agency=agency,
        address=f"{rng.randint(1, 120)} {rng.choice(['Mill', 'Church', 'Station', 'Park'])} "
        f"{rng.choice(['Road', 'Lane', 'Close', 'Street'])}\nDemotown",
        postcode=f"DE{rng.randint(1, 9)} {rng.randint(1, 9)}{rng.choice('ABDEFGHJ')}"
        f"{rng.choice('LNPQRSTU')}",
        actor=author,
    )
    for role, given, age in [
        (HouseholdMember.Role.ADULT_VICTIM, rng.choice(ADULT_NAMES), rng.randint(22, 45)),
        (HouseholdMember.Role.ADULT_ABUSER, rng.choice(ADULT_NAMES), rng.randint(24, 50)),
    ] + [
        (HouseholdMember.Role.CHILD, rng.choice(CHILD_NAMES), rng.choice(CHILD_AGES))
        for _ in range(rng.randint(1, 3))
    ]:
        household_member_add(
            household=household,
            role=role,
            given_name=given,
            family_name=family,
            date_of_birth=day - datetime.timedelta(days=365 * age + rng.randint(0, 360)),
            actor=author,
        )
    return household


def _matrix_answers(rng, household, day) -> dict:
    inst = get_instrument("children-da-matrix")
    # Most families sit at scales 1 and 2; fewer at 3 and 4.
    top = rng.choices([1, 2, 3, 4], weights=[35, 35, 20, 10])[0]
    indicators = [q for q in inst.questions if q.kind == "indicator" and (q.scale or 0) <= top]
    chosen = rng.sample(indicators, k=min(len(indicators), rng.randint(1, 4)))
    if not any(q.scale == top for q in chosen):
        chosen.append(rng.choice([q for q in indicators if q.scale == top]))
    children = [m for m in household.members.all() if m.is_child]
    answers = {q.code: "yes" for q in chosen}
    answers["child_under_7"] = "yes" if any((m.age_on(day) or 0) < 7 for m in children) else "no"
    answers["special_needs"] = rng.choices(["no", "yes", "dont_know"], weights=[80, 12, 8])[0]
    answers["pregnancy_or_baby_under_1"] = (
        "yes" if any((m.age_on(day) or 0) < 1 for m in children) else "no"
    )
    protective = [q.code for q in inst.questions if q.kind == "protective_factor"]
    for code in rng.sample(protective, k=rng.randint(0, 2)):
        answers[code] = "yes"
    return answers


def _dash_answers(rng, day) -> dict:
    inst = get_instrument("dash-2009")
    counted = [q.code for q in inst.questions if q.kind == "indicator"]
    yes = rng.choices([rng.randint(2, 9), rng.randint(10, 13), rng.randint(14, 19)], [55, 30, 15])[
        0
    ]
    answers = dict.fromkeys(counted, "no")
    for code in rng.sample(counted, k=yes):
        answers[code] = "yes"
    for code in rng.sample([c for c in counted if answers[c] == "no"], k=rng.randint(0, 3)):
        answers[code] = "dont_know"
    answers["children_in_household"] = "yes"
    answers["incident_dates"] = sorted(
        (day - datetime.timedelta(days=rng.randint(0, 330))).isoformat()
        for _ in range(rng.randint(1, 4))
    )
    return answers


def _identifications(partnership, rng) -> int:
    practitioners = _practitioners(partnership)
    if not practitioners:
        return 0
    today = timezone.localdate()
    span = (min(today, datetime.date(2015, 3, 31)) - LAUNCH).days
    made = 0
    for n in range(COUNT):
        author = practitioners[0] if n % 8 == 0 else rng.choice(practitioners[1:] or practitioners)
        day = LAUNCH + datetime.timedelta(days=int(span * (n / COUNT) ** 0.8))
        household = _household(author, rng, rng.choice(FAMILY_NAMES), day)
        children = [m for m in household.members.all() if m.is_child]
        use_dash = rng.random() < 0.3
        identification = identification_start(
            household=household,
            instrument_code="dash-2009" if use_dash else "children-da-matrix",
            subject=household.members.get(role=HouseholdMember.Role.ADULT_VICTIM)
            if use_dash
            else None,
            children=[] if use_dash else children,
            actor=author,
            assessed_on=day,
        )
        answers = _dash_answers(rng, day) if use_dash else _matrix_answers(rng, household, day)
        identification = identification_answers_save(
            identification=identification, answers=answers, actor=author
        )
        if n == COUNT - 1:
            made += 1
            break  # the last one is left in progress, to be resumed
        suggested = evaluate(identification).level.value
        raise_it = not use_dash and suggested in (1, 2) and rng.random() < 0.12
        identification = identification_confirm(
            identification=identification,
            level=suggested + 1 if raise_it else suggested,
            rationale="A child's worrying disclosure at school." if raise_it else "",
            actor=author,
        )
        _outcome(identification, author, rng, day, use_dash, today)
        review = identification.reviews.first()
        if review and review.due_on < today and rng.random() < 0.8:
            late = rng.random() < 0.25
            review_complete(
                review=review,
                note="Reviewed with the family; safety plan still in place.",
                actor=author,
                today=min(
                    today,
                    review.due_on + datetime.timedelta(days=rng.randint(1, 20) if late else 0),
                ),
            )
        made += 1
    return made


def _outcome(identification, author, rng, day, use_dash, today) -> None:
    level = identification.confirmed_level
    criteria = identification.evaluation.get("details", {}).get("marac_criteria", [])
    if use_dash:
        kind = (
            Outcome.Kind.MARAC
            if criteria
            else rng.choice([Outcome.Kind.NONE, Outcome.Kind.EARLY_HELP])
        )
    elif level >= 3:
        kind = rng.choices(
            [Outcome.Kind.CHILDRENS_SOCIAL_CARE, Outcome.Kind.FRONT_DOOR, Outcome.Kind.EARLY_HELP],
            [60, 30, 10],
        )[0]
    else:
        kind = rng.choices([Outcome.Kind.EARLY_HELP, Outcome.Kind.NONE], [70, 30])[0]
    receiving = None
    if kind in (Outcome.Kind.CHILDRENS_SOCIAL_CARE, Outcome.Kind.FRONT_DOOR):
        receiving = identification.agency.partnership.agencies.filter(
            sector=Sector.CHILDRENS_SOCIAL_CARE
        ).first()
    outcome_record(
        identification=identification,
        kind=kind,
        date=min(today, day + datetime.timedelta(days=rng.randint(0, 3))),
        reference=f"{kind[:3].upper()}-{identification.pk:05d}"
        if kind not in ("none", "early_help")
        else "",
        receiving_agency=receiving,
        actor=author,
    )
