"""The demo training year tells the seed's story in numbers, and loading it twice adds nothing."""

from __future__ import annotations

from io import StringIO

import pytest
from django.core.management import call_command
from django.utils import timezone
from rest_framework.test import APIClient

from safeguarding.learning.demo.year import FY_END, FY_START
from safeguarding.learning.models import (
    Booking,
    Conference,
    Course,
    PracticeGroup,
    PracticeGroupAttendance,
    Session,
)
from safeguarding.learning.selectors.places import booking_is_open
from safeguarding.people.models import Role, User


@pytest.mark.django_db
def test_demo_training_year_matches_the_seed_report():
    call_command("load_demo", stdout=StringIO())
    in_year = Session.objects.filter(
        course__kind=Course.Kind.COURSE, starts_at__date__range=(FY_START, FY_END)
    )
    assert in_year.count() == 57
    attendances = Booking.objects.filter(
        session__in=in_year, attendance=Booking.Attendance.ATTENDED
    )
    assert 780 <= attendances.count() <= 799
    assert 780 <= attendances.values("person").distinct().count() <= 799
    assert PracticeGroup.objects.count() == 4
    assert PracticeGroupAttendance.objects.count() > 500
    conference = Conference.objects.get()
    assert "safety" in conference.theme.lower()
    assert conference.session.bookings.filter(attendance="attended").count() == 200
    # Every session in the year is run by a trainer from the pool, accredited for its course.
    for session in in_year.prefetch_related("sessiontrainer_set"):
        assert session.sessiontrainer_set.exists()
    upcoming = Session.objects.filter(starts_at__gt=timezone.now())
    assert upcoming.count() >= 10
    assert any(booking_is_open(s) for s in upcoming.select_related("course"))

    # The statistics API gives the seed's figures for the demo year.
    admin = User.objects.filter(memberships__role_grants__role=Role.ADMIN).first()
    client = APIClient()
    client.force_authenticate(admin)
    figures = client.get(
        "/api/v1/learning/statistics/", {"from": "2013-04-01", "to": "2014-03-31"}
    ).json()
    assert figures["courses_run"] == 57
    assert figures["sessions_run"] == 57
    assert 780 <= figures["attendances"] <= 799  # "nearly 800"
    assert 780 <= figures["distinct_attendees"] <= 799
    assert figures["practice_group_meetings"] > 0
    assert figures["practice_group_attendances"] > 500
    assert figures["conference_attendances"] == 200
    assert sum(row["attendances"] for row in figures["by_sector"]) == figures["attendances"]

    before = (Course.objects.count(), Booking.objects.count())
    out = StringIO()
    call_command("load_demo", stdout=out)
    assert (Course.objects.count(), Booking.objects.count()) == before
    assert "already loaded" in out.getvalue()
