"""learning.selectors.public: what other apps (risk) read of the training programme."""

from __future__ import annotations

import datetime

import pytest
from django.utils import timezone

from safeguarding.learning.models import Booking, PracticeGroupAttendance
from safeguarding.learning.selectors import public
from safeguarding.people import services as people_services

pytestmark = pytest.mark.django_db


def _book(session, person, agency, status=Booking.Status.CONFIRMED, attendance=""):
    return Booking.objects.create(
        session=session,
        person=person,
        agency=agency,
        booked_by=person,
        status=status,
        attendance=attendance,
    )


@pytest.fixture
def trained(session, events_meeting, agency_a, agency_b, practitioner_a, practitioner_b):
    """practitioner_a attended `session` (30 days ahead); practitioner_b did not come to it but
    was at `events_meeting` (a week ago) for agency B."""
    _book(session, practitioner_a, agency_a, attendance=Booking.Attendance.ATTENDED)
    _book(session, practitioner_b, agency_b, attendance=Booking.Attendance.NO_SHOW)
    PracticeGroupAttendance.objects.create(
        meeting=events_meeting, person=practitioner_b, agency=agency_b
    )
    return session, events_meeting


def test_attendances_are_person_and_agency_pairs(
    trained, agency_a, agency_b, practitioner_a, practitioner_b
):
    session, meeting = trained
    assert public.attendances(course_ids=[session.course_id], meeting_ids=[meeting.pk]) == {
        (practitioner_a.pk, agency_a.pk),
        (practitioner_b.pk, agency_b.pk),
    }
    assert public.attendances(course_ids=[session.course_id]) == {(practitioner_a.pk, agency_a.pk)}
    assert public.attendances(meeting_ids=[meeting.pk]) == {(practitioner_b.pk, agency_b.pk)}
    assert public.attendances() == set()


def test_attendances_until_a_date_leave_out_later_events(trained, practitioner_a, practitioner_b):
    session, meeting = trained
    today = timezone.localdate()
    ids = {"course_ids": [session.course_id], "meeting_ids": [meeting.pk]}
    assert public.attended_person_ids(**ids, until=today) == {practitioner_b.pk}
    assert public.attended_person_ids(**ids, until=today - datetime.timedelta(days=8)) == set()
    assert public.attended_person_ids(**ids, until=today + datetime.timedelta(days=31)) == {
        practitioner_a.pk,
        practitioner_b.pk,
    }


def test_people_booked_or_attending_leave_out_no_shows_and_cancellations(
    session,
    events_meeting,
    agency_a,
    agency_b,
    practitioner_a,
    practitioner_b,
    line_manager_a,
    trainer_a,
):
    _book(session, practitioner_a, agency_a)  # confirmed, not yet marked
    _book(session, practitioner_b, agency_b, attendance=Booking.Attendance.NO_SHOW)
    _book(session, line_manager_a, agency_a, status=Booking.Status.CANCELLED)
    PracticeGroupAttendance.objects.create(
        meeting=events_meeting, person=trainer_a, agency=agency_a
    )
    assert public.people_booked_or_attending(session_id=session.pk) == {practitioner_a.pk}
    assert public.people_booked_or_attending(meeting_id=events_meeting.pk) == {trainer_a.pk}
    assert public.people_booked_or_attending(
        session_id=session.pk, meeting_id=events_meeting.pk
    ) == {practitioner_a.pk, trainer_a.pk}
    assert public.people_booked_or_attending() == set()


def test_sessions_and_meetings_are_the_partnerships_own(partnership, session, events_meeting):
    other = people_services.partnership_create(name="Elsewhere SCP", area="Elsewhere")
    assert list(public.sessions_for_partnership(partnership)) == [session]
    assert list(public.sessions_for_partnership(other)) == []
    assert list(public.practice_group_meetings_for_partnership(partnership)) == [events_meeting]
    assert list(public.practice_group_meetings_for_partnership(other)) == []


def test_courses_and_meetings_matching_words(partnership, course, events_meeting):
    assert list(public.courses_matching(partnership, title_contains="WORKING together")) == [course]
    assert list(public.courses_matching(partnership, title_contains="domestic abuse")) == []
    assert list(public.meetings_matching(partnership, topics_contains="missing CHILDREN")) == [
        events_meeting
    ]
    assert list(public.meetings_matching(partnership, topics_contains="matrix")) == []


def test_meeting_near_a_day(partnership, events_meeting):
    held = timezone.localtime(events_meeting.starts_at).date()
    assert public.meeting_near(partnership, held + datetime.timedelta(days=14)) == events_meeting
    assert public.meeting_near(partnership, held - datetime.timedelta(days=14)) == events_meeting
    assert public.meeting_near(partnership, held + datetime.timedelta(days=15)) is None
    assert public.meeting_near(partnership, held + datetime.timedelta(days=3), days=2) is None
