"""Fixtures shared by the training programme's tests. Each area adds its own, prefixed with its
name (events_..., booking_...), and never changes another area's."""

from __future__ import annotations

import datetime

import pytest
from django.utils import timezone

# Events: local practice groups and the annual conference ------------------------------------


@pytest.fixture
def events_group(partnership, admin):
    """The North locality's practice group."""
    from safeguarding.learning.services import events

    return events.practice_group_ensure(
        locality=partnership.localities.get(name="North"), actor=admin
    )


@pytest.fixture
def events_meeting(events_group, admin):
    """A meeting of the North group held a week ago."""
    from safeguarding.learning.services import events

    return events.meeting_create(
        group=events_group,
        starts_at=timezone.now() - datetime.timedelta(days=7),
        venue="Northtown children's centre",
        topics="Learning from serious case reviews\nMissing children",
        actor=admin,
    )


@pytest.fixture
def events_conference(partnership, venue, admin):
    """A conference 40 days ahead, 09:00 to 16:00, with 3 places, registration open."""
    from safeguarding.learning.services import events

    day = timezone.localdate() + datetime.timedelta(days=40)
    start = timezone.make_aware(datetime.datetime.combine(day, datetime.time(9, 0)))
    return events.conference_create(
        partnership=partnership,
        title="Annual conference",
        theme="E-safety: keeping youngsters safe online",
        starts_at=start,
        ends_at=start + datetime.timedelta(hours=7),
        venue=venue,
        capacity=3,
        actor=admin,
    )


# Reports: charges and statistics -------------------------------------------------------------


@pytest.fixture
def reports_world(
    partnership,
    admin,
    agency_a,
    agency_b,
    practitioner_a,
    practitioner_b,
    line_manager_a,
    trainer_a,
    course,
    venue,
):
    """A small known training year for charges and statistics (see test_reports.py for the
    figures it gives). Dates are relative to today; the period runs from 60 days ago to 60 days
    ahead.

    - s1: `course` (full day, charged), 10 places, 20 days ago, trainer_a (agency A):
      practitioner_a attended, practitioner_b attended, the teacher did not attend, colleague_b
      not marked, line_manager_a cancelled late, the volunteer cancelled early, the walker
      walked in (attended), one request declined and one still awaiting approval.
    - s2: `half_day` course (charged), 5 places, 10 days ago, trainer_a: practitioner_a and
      the teacher attended.
    - a cancelled session 15 days ago and a session 30 days ahead, each with a place on it;
    - a free conference 5 days ago: practitioner_a attended, practitioner_b registered;
    - a North practice group meeting 3 days ago: practitioner_a and the teacher attended.
    """
    from safeguarding.learning.models import (
        Booking,
        Conference,
        Course,
        PracticeGroup,
        PracticeGroupAttendance,
        PracticeGroupMeeting,
        Session,
        SessionTrainer,
    )
    from safeguarding.people import services as people_services
    from safeguarding.people.models import Role, Sector

    school = people_services.agency_create(
        partnership=partnership,
        name="Testford Primary School",
        sector=Sector.SCHOOL,
        email_domains=["school.example"],
    )
    voluntary = people_services.agency_create(
        partnership=partnership,
        name="Testshire Youth Club",
        sector=Sector.VOLUNTARY,
        email_domains=["youth.example"],
    )

    def person(email, agency):
        given, family = email.split("@")[0].split(".")
        return people_services.person_create(
            email=email,
            given_name=given.title(),
            family_name=family.title(),
            agency=agency,
            roles=[Role.PRACTITIONER],
            password="correct horse battery staple",
        )

    teacher = person("tess.teacher@school.example", school)
    colleague_b = person("cole.colleague@health.example", agency_b)
    volunteer = person("val.volunteer@youth.example", voluntary)
    walker = person("wes.walker@youth.example", voluntary)
    declined = person("dee.declined@health.example", agency_b)
    awaiting = person("ava.awaiting@health.example", agency_b)

    half_day = Course.objects.create(
        partnership=partnership,
        title="Domestic abuse awareness",
        slug="domestic-abuse-awareness",
        summary="Recognising domestic abuse.",
        learning_outcomes="Spot the signs",
        duration=Course.Duration.HALF_DAY,
        status=Course.Status.PUBLISHED,
    )
    conference_course = Course.objects.create(
        partnership=partnership,
        kind=Course.Kind.CONFERENCE,
        title="Annual conference",
        slug="annual-conference",
        summary="E-safety",
        learning_outcomes="E-safety",
        status=Course.Status.PUBLISHED,
        charges_apply=False,
    )
    today = timezone.localdate()

    def session(course_, days, capacity, *, hours=6, status=Session.Status.SCHEDULED):
        start = timezone.make_aware(
            datetime.datetime.combine(today + datetime.timedelta(days=days), datetime.time(9, 30))
        )
        made = Session.objects.create(
            course=course_,
            starts_at=start,
            ends_at=start + datetime.timedelta(hours=hours),
            capacity=capacity,
            venue=venue,
            status=status,
        )
        if course_.kind == Course.Kind.COURSE:
            SessionTrainer.objects.create(session=made, trainer=trainer_a, agency=agency_a)
        return made

    s1 = session(course, -20, 10)
    s2 = session(half_day, -10, 5, hours=3)
    cancelled = session(course, -15, 8, status=Session.Status.CANCELLED)
    future = session(course, 30, 12)
    conference_session = session(conference_course, -5, 100)
    Conference.objects.create(
        partnership=partnership,
        title="Annual conference",
        theme="E-safety",
        session=conference_session,
    )

    agencies = {}

    def book(session_, who, status, attendance="", walk_in=False):
        if who.pk not in agencies:
            agencies[who.pk] = who.memberships.get().agency
        return Booking.objects.create(
            session=session_,
            person=who,
            agency=agencies[who.pk],
            booked_by=who,
            status=status,
            attendance=attendance,
            is_walk_in=walk_in,
        )

    confirmed, attended, no_show = (
        Booking.Status.CONFIRMED,
        Booking.Attendance.ATTENDED,
        Booking.Attendance.NO_SHOW,
    )
    bookings = {
        "s1_a": book(s1, practitioner_a, confirmed, attended),
        "s1_b": book(s1, practitioner_b, confirmed, attended),
        "s1_teacher": book(s1, teacher, confirmed, no_show),
        "s1_colleague": book(s1, colleague_b, confirmed),
        "s1_late": book(s1, line_manager_a, Booking.Status.LATE_CANCELLED),
        "s1_early": book(s1, volunteer, Booking.Status.CANCELLED),
        "s1_walk_in": book(s1, walker, confirmed, attended, walk_in=True),
        "s1_declined": book(s1, declined, Booking.Status.DECLINED),
        "s1_awaiting": book(s1, awaiting, Booking.Status.AWAITING_APPROVAL),
        "s2_a": book(s2, practitioner_a, confirmed, attended),
        "s2_teacher": book(s2, teacher, confirmed, attended),
        "cancelled_b": book(cancelled, practitioner_b, Booking.Status.SESSION_CANCELLED),
        "future_b": book(future, practitioner_b, confirmed),
        "conference_a": book(conference_session, practitioner_a, confirmed, attended),
        "conference_b": book(conference_session, practitioner_b, confirmed),
    }

    group = PracticeGroup.objects.create(
        locality=partnership.localities.get(name="North"), name="North practice group"
    )
    meeting = PracticeGroupMeeting.objects.create(
        group=group,
        starts_at=timezone.now() - datetime.timedelta(days=3),
        venue="Northtown children's centre",
        topics="Missing children",
    )
    PracticeGroupAttendance.objects.create(meeting=meeting, person=practitioner_a, agency=agency_a)
    PracticeGroupAttendance.objects.create(meeting=meeting, person=teacher, agency=school)

    return {
        "start": today - datetime.timedelta(days=60),
        "end": today + datetime.timedelta(days=60),
        "school": school,
        "voluntary": voluntary,
        "teacher": teacher,
        "colleague_b": colleague_b,
        "volunteer": volunteer,
        "walker": walker,
        "half_day": half_day,
        "s1": s1,
        "s2": s2,
        "cancelled": cancelled,
        "future": future,
        "bookings": bookings,
    }
