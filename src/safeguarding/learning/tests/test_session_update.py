"""Changing a session: capacity never below the places taken, extra places go to the waiting
list, people with a place get the new details with an updated calendar entry."""

from __future__ import annotations

import datetime

import pytest
from django.core import mail
from django.urls import reverse
from django.utils import timezone
from icalendar import Calendar

from safeguarding.conftest import signed_in
from safeguarding.core.models import AuditEntry
from safeguarding.learning.models import Booking, Session, WaitingListEntry
from safeguarding.learning.services import booking as booking_services
from safeguarding.learning.services import sessions as session_services
from safeguarding.learning.services import waiting_list as waiting_list_services

pytestmark = pytest.mark.django_db


def _post(session, **overrides) -> dict:
    start = timezone.localtime(session.starts_at)
    data = {
        "date_day": start.day,
        "date_month": start.month,
        "date_year": start.year,
        "start_time": start.strftime("%H:%M"),
        "end_time": timezone.localtime(session.ends_at).strftime("%H:%M"),
        "venue": session.venue_id or "",
        "online_url": session.online_url,
        "joining_instructions": session.joining_instructions,
        "capacity": str(session.capacity),
        "trainers": [t.pk for t in session.trainers.all()],
        "cutoff_working_days": str(session.cutoff_working_days),
    }
    data.update(overrides)
    return data


@pytest.fixture
def full_session(session, admin, practitioner_a, practitioner_b):
    Session.objects.filter(pk=session.pk).update(capacity=1)
    session.refresh_from_db()
    booking_services.booking_create(session=session, person=practitioner_a, actor=practitioner_a)
    waiting_list_services.waiting_list_join(
        session=session, person=practitioner_b, actor=practitioner_b
    )
    return session


def test_edit_page_shows_the_session_as_it_is(client, admin, session):
    page = signed_in(client, admin).get(reverse("learning:session-update", args=[session.pk]))
    assert page.status_code == 200
    html = page.content.decode()
    assert "Change this session" in html
    assert 'value="10"' in html  # the capacity
    assert "Choose a course" not in html  # the course cannot change


def test_capacity_below_the_places_taken_is_refused_and_nothing_changes(
    client, admin, full_session
):
    before = AuditEntry.objects.count()
    response = signed_in(client, admin).post(
        reverse("learning:session-update", args=[full_session.pk]),
        _post(full_session, capacity="0"),
    )
    assert response.status_code == 200
    assert "There must be at least 1 place" in response.content.decode()
    Session.objects.filter(pk=full_session.pk).update(capacity=3)
    full_session.refresh_from_db()
    booking_services.booking_create(
        session=full_session,
        person=full_session.waiting_list.get().person,
        actor=admin,
    )
    response = client.post(
        reverse("learning:session-update", args=[full_session.pk]),
        _post(full_session, capacity="1"),
    )
    html = response.content.decode()
    assert response.status_code == 200
    assert "govuk-error-summary" in html
    assert "2 places are already taken" in html
    full_session.refresh_from_db()
    assert full_session.capacity == 3
    assert not AuditEntry.objects.filter(action="learning.session.updated").exists()
    assert AuditEntry.objects.count() >= before


def test_service_refuses_capacity_below_places_taken(admin, full_session):
    from django.core.exceptions import ValidationError

    arguments = _service_arguments(full_session)
    arguments["capacity"] = 0
    with pytest.raises(ValidationError):
        session_services.session_update(session=full_session, actor=admin, **arguments)


def _service_arguments(session) -> dict:
    return {
        "starts_at": session.starts_at,
        "ends_at": session.ends_at,
        "capacity": session.capacity,
        "trainers": list(session.trainers.all()),
        "venue": session.venue,
        "online_url": session.online_url,
        "joining_instructions": session.joining_instructions,
        "booking_opens_at": session.booking_opens_at,
        "cutoff_working_days": session.cutoff_working_days,
    }


def test_more_places_are_offered_to_the_waiting_list_at_once(
    client, admin, full_session, practitioner_b, django_capture_on_commit_callbacks
):
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        response = signed_in(client, admin).post(
            reverse("learning:session-update", args=[full_session.pk]),
            _post(full_session, capacity="2"),
        )
    assert response.status_code == 302
    entry = WaitingListEntry.objects.get(session=full_session, person=practitioner_b)
    assert entry.status == WaitingListEntry.Status.OFFERED
    assert [m.to[0] for m in mail.outbox] == [practitioner_b.email]  # only the offer
    update = AuditEntry.objects.get(action="learning.session.updated")
    assert update.changes["capacity"] == {"from": 1, "to": 2}


def test_new_time_is_sent_to_people_with_a_place_with_an_updated_calendar_entry(
    client, admin, full_session, practitioner_a, django_capture_on_commit_callbacks
):
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        response = signed_in(client, admin).post(
            reverse("learning:session-update", args=[full_session.pk]),
            _post(full_session, start_time="10:00", end_time="15:00"),
        )
    assert response.status_code == 302
    full_session.refresh_from_db()
    assert timezone.localtime(full_session.starts_at).hour == 10
    assert full_session.sequence == 1
    assert [m.to[0] for m in mail.outbox] == [practitioner_a.email]
    message = mail.outbox[0]
    assert "has changed" in message.body and "10:00" in message.body
    calendar = Calendar.from_ical(message.attachments[0][1])
    event = calendar.walk("VEVENT")[0]
    assert int(event["SEQUENCE"]) == 1
    assert event["UID"].startswith(f"session-{full_session.pk}@")


def test_a_trainer_busy_elsewhere_is_refused_on_edit(
    client, admin, session, course, trainer_a, venue
):
    other = session_services.session_create(
        course=course,
        starts_at=session.starts_at + datetime.timedelta(days=1),
        ends_at=session.ends_at + datetime.timedelta(days=1),
        capacity=5,
        trainers=[trainer_a],
        venue=venue,
        actor=admin,
    )
    day = timezone.localtime(session.starts_at).date()
    response = signed_in(client, admin).post(
        reverse("learning:session-update", args=[other.pk]),
        _post(other, date_day=day.day, date_month=day.month, date_year=day.year),
    )
    assert response.status_code == 200
    assert "already training" in response.content.decode()
    other.refresh_from_db()
    assert other.starts_at > session.starts_at


def test_only_the_business_unit_changes_sessions(client, practitioner_a, trainer_a, session):
    url = reverse("learning:session-update", args=[session.pk])
    assert signed_in(client, practitioner_a).get(url).status_code == 403
    assert signed_in(client, trainer_a).post(url, _post(session)).status_code == 403
    assert client.logout() is None
    assert client.get(url).status_code == 302


def test_a_cancelled_session_cannot_be_changed(client, admin, session):
    session_services.session_cancel(session=session, reason="Trainer ill", actor=admin)
    response = signed_in(client, admin).get(reverse("learning:session-update", args=[session.pk]))
    assert response.status_code == 302
    assert Booking.objects.filter(session=session).count() == 0
