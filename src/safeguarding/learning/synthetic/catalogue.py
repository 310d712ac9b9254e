"""The synthetic catalogue: levels, courses, venues and the training pool's accreditations."""

from __future__ import annotations

import datetime
import random
from dataclasses import dataclass

from django.utils.text import slugify

from safeguarding.learning.calendar import (
    local_datetime,
)
from safeguarding.learning.demo.catalogue import LEVELS
from safeguarding.learning.demo.evaluations import FOLLOW_UP_QUESTIONS, IMMEDIATE_QUESTIONS
from safeguarding.learning.models import (
    Accreditation,
    Course,
    FeeSchedule,
    Level,
    Questionnaire,
    Venue,
)
from safeguarding.learning.synthetic.members import Member
from safeguarding.learning.synthetic.plan import TOPICS, VENUE_KINDS
from safeguarding.learning.synthetic.writing import Output
from safeguarding.people.models import Partnership


@dataclass
class CourseSpec:
    course: Course
    weight: float  # how often it runs, relative to the others
    first_year: int
    last_year: int


def write_catalogue(
    partnership: Partnership, rng: random.Random, first_year: int, years: int, out: Output
) -> list[CourseSpec]:
    FeeSchedule.objects.get_or_create(partnership=partnership)
    levels = {
        code: Level.objects.get_or_create(
            partnership=partnership,
            code=code,
            defaults={"name": name, "description": text, "order": int(code)},
        )[0]
        for code, name, text in LEVELS
    }
    for stage, name, questions in (
        (Questionnaire.Stage.IMMEDIATE, "After the session", IMMEDIATE_QUESTIONS),
        (Questionnaire.Stage.FOLLOW_UP, "Six to eight weeks later", FOLLOW_UP_QUESTIONS),
    ):
        if not Questionnaire.objects.filter(partnership=partnership, stage=stage).exists():
            Questionnaire.objects.create(
                partnership=partnership,
                name=name,
                stage=stage,
                questions=questions,
                is_default=True,
            )
    last_year = first_year + years - 1
    specs: list[CourseSpec] = []
    courses: list[Course] = []
    for topic, covers, outcomes, basic, advanced in TOPICS:
        for variant in ("foundation", "advanced"):
            foundation = variant == "foundation"
            level = basic if foundation else advanced
            title = f"{topic}: {variant}"
            # A few courses start part-way through the decade; a few are retired before its end.
            roll = rng.random()
            starts = first_year + (rng.randint(1, max(1, years // 2)) if roll < 0.06 else 0)
            ends = last_year - (rng.randint(1, max(1, years // 3)) if roll > 0.94 else 0)
            course = Course(
                partnership=partnership,
                kind=Course.Kind.COURSE,
                title=title,
                slug=slugify(title)[:200],
                summary=(
                    f"An introduction to {covers}."
                    if foundation
                    else f"For practitioners who have done the foundation course: {covers}, "
                    "applied to complex cases."
                ),
                learning_outcomes=outcomes,
                audience="Practitioners in every partner agency whose work matches the level.",
                level=levels[level],
                duration=Course.Duration.FULL_DAY if foundation else Course.Duration.HALF_DAY,
                requires_manager_approval=int(level) >= 5,
                requires_evaluation_for_certificate=not foundation,
                charges_apply=True,
                status=Course.Status.PUBLISHED if ends == last_year else Course.Status.ARCHIVED,
                created_at=local_datetime(datetime.date(starts - 1, 12, 1), datetime.time(10)),
            )
            courses.append(course)
            specs.append(CourseSpec(course, 3.0 if foundation else 1.0, starts, ends))
    out.write(Course, courses)
    Prerequisite = Course.prerequisites.through
    out.write(
        Prerequisite,
        [
            Prerequisite(from_course_id=advanced.pk, to_course_id=foundation.pk)
            for foundation, advanced in zip(courses[::2], courses[1::2], strict=True)
        ],
    )
    return specs


def write_venues(partnership: Partnership, out: Output) -> list[Venue]:
    venues = []
    for locality in partnership.localities.order_by("name"):
        for kind, access in VENUE_KINDS:
            venues.append(
                Venue(
                    partnership=partnership,
                    name=f"{locality.name} {kind}",
                    address=f"{kind.capitalize()}\n{locality.name}",
                    access_information=access,
                    locality=locality,
                )
            )
    venues.append(
        Venue(
            partnership=partnership,
            name=f"{partnership.area} training centre",
            address=f"County Hall\n{partnership.area}",
            access_information="Step-free throughout; hearing loop in every room; parking.",
        )
    )
    out.write(Venue, venues)
    return venues


@dataclass
class Pool:
    """Who may lead each course, and when."""

    by_course: dict[int, list[tuple[Member, datetime.date, datetime.date]]]

    def available(self, course: Course, day: datetime.date, busy: set[int]) -> list[Member]:
        return [
            member
            for member, accredited_on, expires_on in self.by_course[course.pk]
            if accredited_on <= day <= expires_on and member.user_id not in busy
        ]


def write_pool(
    specs: list[CourseSpec],
    trainers: list[Member],
    rng: random.Random,
    first_year: int,
    years: int,
    out: Output,
) -> Pool:
    """Accredit every trainer for a few courses. The first two trainers of each course are
    accredited for the whole decade, so that every session can be led; the others for a few
    years somewhere in it (their accreditations start, lapse and are shown as expired)."""
    decade_start = datetime.date(first_year - 1, 9, 1)
    decade_end = datetime.date(first_year + years + 1, 8, 31)
    chosen: dict[int, list[Member]] = {spec.course.pk: [] for spec in specs}
    for member in trainers:
        for spec in rng.sample(specs, min(len(specs), rng.randint(2, 4))):
            chosen[spec.course.pk].append(member)
    for n, spec in enumerate(specs):
        needed = min(2, len(trainers))
        k = n
        while len(chosen[spec.course.pk]) < needed:
            member = trainers[k % len(trainers)]
            if member not in chosen[spec.course.pk]:
                chosen[spec.course.pk].append(member)
            k += 1
    by_course: dict[int, list[tuple[Member, datetime.date, datetime.date]]] = {}
    rows = []
    for spec in specs:
        entries = []
        for position, member in enumerate(chosen[spec.course.pk]):
            if position < 2:
                accredited_on, expires_on = decade_start, decade_end
            else:
                accredited_on = decade_start + datetime.timedelta(
                    days=rng.randint(0, max(1, (years - 1) * 365))
                )
                expires_on = accredited_on + datetime.timedelta(days=rng.randint(2, 5) * 365)
            entries.append((member, accredited_on, expires_on))
            rows.append(
                Accreditation(
                    trainer_id=member.user_id,
                    course=spec.course,
                    accredited_on=accredited_on,
                    expires_on=expires_on,
                )
            )
        by_course[spec.course.pk] = entries
    out.write(Accreditation, rows)
    return Pool(by_course)
