"""The demo's training year 2013/14: the catalogue, sessions, bookings and registers, and
the sessions open for booking in the coming weeks."""

from __future__ import annotations

import datetime
import random
from decimal import Decimal

from django.db import transaction
from django.utils import timezone

from safeguarding.core import audit
from safeguarding.learning.calendar import local_datetime, working_days_between
from safeguarding.learning.demo.catalogue import COURSES, LEVELS, MORE_COURSES, VENUES
from safeguarding.learning.demo.evaluations import write_evaluations
from safeguarding.learning.demo.events import write_conference, write_practice_groups
from safeguarding.learning.models import (
    Accreditation,
    Booking,
    Certificate,
    Course,
    FeeSchedule,
    Level,
    PracticeGroupAttendance,
    Session,
    SessionTrainer,
    Venue,
)
from safeguarding.people.models import Membership, Role

FY_START = datetime.date(2013, 4, 1)
FY_END = datetime.date(2014, 3, 31)
SESSIONS_IN_YEAR = 57
ATTENDEES_TARGET = 790


def load(partnership, stdout) -> None:
    if Course.objects.filter(partnership=partnership).exists():
        stdout.write("  Training programme: already loaded")
        return
    rng = random.Random(2014)
    with transaction.atomic():
        counts = _load(partnership, rng)
    audit.record(action="learning.demo.loaded", obj=partnership, actor=None, changes=counts)
    stdout.write(
        f"  Training programme 2013/14: {counts['courses']} courses, "
        f"{counts['sessions_in_year']} sessions run, {counts['attendances']} attendances; "
        f"{counts['practice_group_attendances']} practice group attendances; conference "
        f"with {counts['conference_attendances']} practitioners; "
        f"{counts['upcoming_sessions']} sessions open for booking"
    )


def _load(partnership, rng: random.Random) -> dict:
    FeeSchedule.objects.get_or_create(partnership=partnership)
    levels = {
        code: Level.objects.create(
            partnership=partnership, code=code, name=name, description=text, order=int(code)
        )
        for code, name, text in LEVELS
    }
    courses = {}
    for title, level, duration, approval, summary, outcomes, _ in COURSES:
        courses[title] = Course.objects.create(
            partnership=partnership,
            title=title,
            slug=_slug(title),
            summary=summary,
            learning_outcomes=outcomes,
            level=levels[level],
            duration=duration,
            requires_manager_approval=approval,
            status=Course.Status.PUBLISHED,
            audience="Practitioners in every partner agency whose work matches the level.",
        )
    for title, level, duration, summary, outcomes in MORE_COURSES:
        courses[title] = Course.objects.create(
            partnership=partnership,
            title=title,
            slug=_slug(title),
            summary=summary,
            learning_outcomes=outcomes,
            level=levels[level],
            duration=duration,
            status=Course.Status.PUBLISHED,
            audience="Practitioners in every partner agency whose work matches the level.",
        )
    for title, *_, prerequisite in COURSES:
        if prerequisite:
            courses[title].prerequisites.add(courses[prerequisite])
    localities = list(partnership.localities.order_by("name"))
    venues = [
        Venue.objects.create(
            partnership=partnership,
            name=name,
            address=address,
            postcode=postcode,
            access_information=access,
            locality=localities[n % len(localities)],
        )
        for n, (name, address, postcode, access) in enumerate(VENUES)
    ]

    trainers = list(
        Membership.objects.filter(agency__partnership=partnership, role_grants__role=Role.TRAINER)
        .select_related("user", "agency")
        .order_by("user__email")
    )
    course_list = list(courses.values())
    accredited: dict[int, list[Membership]] = {c.pk: [] for c in course_list}
    accreditations = []
    # Every course has at least two accredited trainers (round robin), and each trainer a few more.
    for n, course in enumerate(course_list * 2):
        membership = trainers[n % len(trainers)]
        if membership not in accredited[course.pk]:
            accredited[course.pk].append(membership)
    for membership in trainers:
        for course in rng.sample(course_list, 2):
            if membership not in accredited[course.pk]:
                accredited[course.pk].append(membership)
    for course in course_list:
        for membership in accredited[course.pk]:
            accreditations.append(
                Accreditation(
                    trainer=membership.user,
                    course=course,
                    accredited_on=datetime.date(2012, 9, 1),
                    expires_on=datetime.date(2028, 8, 31),
                )
            )
    Accreditation.objects.bulk_create(accreditations)

    # 57 sessions spread over the year's working days, plus a few in the coming weeks.
    days = working_days_between(FY_START, FY_END)
    chosen = sorted(rng.sample(days, SESSIONS_IN_YEAR))
    today = timezone.localdate()
    upcoming_days = working_days_between(
        today + datetime.timedelta(days=10), today + datetime.timedelta(days=80)
    )
    upcoming = sorted(rng.sample(upcoming_days, 12))
    busy: dict[int, set[datetime.date]] = {}
    sessions = []
    for n, day in enumerate(chosen + upcoming):
        course = course_list[n % len(course_list)]
        pool = [m for m in accredited[course.pk] if day not in busy.get(m.user_id, set())]
        team = rng.sample(pool, min(len(pool), 2 if n % 3 == 0 else 1))
        for m in team:
            busy.setdefault(m.user_id, set()).add(day)
        start = (
            local_datetime(day, datetime.time(9, 30))
            if course.duration == "full_day"
            else local_datetime(day, datetime.time(13, 30))
        )
        hours = 6 if course.duration == "full_day" else 3
        session = Session.objects.create(
            course=course,
            starts_at=start,
            ends_at=start + datetime.timedelta(hours=hours),
            venue=venues[n % len(venues)],
            capacity=rng.choice([16, 18, 20]),
            joining_instructions="Please sign in at reception 15 minutes before the start. "
            "Lunch is not provided on half-day courses.",
            cutoff_working_days=2,
        )
        SessionTrainer.objects.bulk_create(
            SessionTrainer(session=session, trainer=m.user, agency=m.agency) for m in team
        )
        sessions.append(session)
    held, open_sessions = sessions[:SESSIONS_IN_YEAR], sessions[SESSIONS_IN_YEAR:]

    practitioners = list(
        Membership.objects.filter(
            agency__partnership=partnership, role_grants__role=Role.PRACTITIONER
        )
        .exclude(role_grants__role=Role.TRAINER)
        .select_related("user", "agency")
        .order_by("user__email")
        .distinct()
    )
    bookings = []
    # Walk through a shuffled list of practitioners so that most attendees are different people,
    # as in the seed ("nearly 800 people attended one of our training courses").
    queue = rng.sample(practitioners, len(practitioners))
    per_session = round(ATTENDEES_TARGET / SESSIONS_IN_YEAR / 0.83)
    for n, session in enumerate(held):
        group = [queue[(n * per_session + k) % len(queue)] for k in range(per_session)]
        for k, m in enumerate(group):
            roll = rng.random()
            if k >= session.capacity:
                break
            if roll < 0.05:
                status, attendance = Booking.Status.LATE_CANCELLED, ""
            elif roll < 0.10:
                status, attendance = Booking.Status.CANCELLED, ""
            elif roll < 0.17:
                status, attendance = Booking.Status.CONFIRMED, Booking.Attendance.NO_SHOW
            else:
                status, attendance = Booking.Status.CONFIRMED, Booking.Attendance.ATTENDED
            bookings.append(
                Booking(
                    session=session,
                    person=m.user,
                    agency=m.agency,
                    booked_by=m.user,
                    status=status,
                    attendance=attendance,
                    is_walk_in=roll > 0.97,
                )
            )
    # The seed says "nearly 800": settle the year's attendances between 780 and 799 by turning a
    # few no-shows into attendances (or the reverse), deterministically.
    attended_now = [b for b in bookings if b.attendance == Booking.Attendance.ATTENDED]
    no_shows = [b for b in bookings if b.attendance == Booking.Attendance.NO_SHOW]
    while len(attended_now) < ATTENDEES_TARGET - 5 and no_shows:
        booking = no_shows.pop()
        booking.attendance = Booking.Attendance.ATTENDED
        attended_now.append(booking)
    while len(attended_now) > ATTENDEES_TARGET + 5:
        attended_now.pop().attendance = Booking.Attendance.NO_SHOW
    Booking.objects.bulk_create(bookings, batch_size=1000)
    # A few bookings already made on the sessions open now.
    for session in open_sessions[:6]:
        for m in rng.sample(practitioners, session.capacity // 2):
            Booking.objects.create(
                session=session,
                person=m.user,
                agency=m.agency,
                booked_by=m.user,
                status=Booking.Status.CONFIRMED,
            )
    attended = list(
        Booking.objects.filter(session__in=held, attendance=Booking.Attendance.ATTENDED)
    )
    Certificate.objects.bulk_create([Certificate(booking=b) for b in attended], batch_size=1000)
    write_evaluations(partnership, attended, rng)

    meetings, lpg_attendances = write_practice_groups(partnership, practitioners, rng)
    conference_attendances = write_conference(partnership, venues[0], practitioners, rng)
    for model, count in [
        (Booking, len(bookings)),
        (Certificate, len(attended)),
        (PracticeGroupAttendance, lpg_attendances),
    ]:
        audit.record(
            action="learning.demo.bulk_created",
            object_type=model._meta.label_lower,
            changes={"count": count},
            object_repr=str(partnership),
        )
    return {
        "courses": len(courses),
        "sessions_in_year": len(held),
        "attendances": len(attended),
        "practice_group_meetings": meetings,
        "practice_group_attendances": lpg_attendances,
        "conference_attendances": conference_attendances,
        "upcoming_sessions": len(open_sessions),
        "trainers": len(trainers),
    }


def _slug(title: str) -> str:
    from django.utils.text import slugify

    return slugify(title)[:200]


def trainer_days(partnership) -> Decimal:
    """Total trainer-days given in 2013/14 (used by the demo's own test)."""
    rows = SessionTrainer.objects.filter(
        session__course__partnership=partnership,
        session__course__kind=Course.Kind.COURSE,
        session__starts_at__date__range=(FY_START, FY_END),
    ).select_related("session__course")
    return sum((row.session.course.trainer_days for row in rows), Decimal(0))
