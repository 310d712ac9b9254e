"""Booking journeys: booking for oneself and one's team, approval, prerequisites, capacity (also
under concurrent requests on PostgreSQL), the waiting list and its offers, cancellation, and the
e-mails with their calendar files."""

from __future__ import annotations

import datetime
import io
import itertools
import re
import threading

import pytest
from django.conf import settings as django_settings
from django.contrib.messages import get_messages
from django.core import mail
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.management import call_command
from django.db import connection
from django.test import Client
from django.urls import reverse
from django.utils import timezone
from icalendar import Calendar

from safeguarding.conftest import signed_in
from safeguarding.core.models import AuditEntry
from safeguarding.learning.models import (
    Accreditation,
    Booking,
    Course,
    Session,
    WaitingListEntry,
)
from safeguarding.learning.selectors import places as place_selectors
from safeguarding.learning.services import booking as services
from safeguarding.learning.services import register as register_services
from safeguarding.learning.services import sessions as session_services
from safeguarding.learning.services import waiting_list as waiting_list_services
from safeguarding.learning.services.booking import SessionFull
from safeguarding.people import services as people_services
from safeguarding.people.models import Role

# Fixtures ------------------------------------------------------------------------------------


@pytest.fixture
def booking_make_session(course, venue, admin, agency_a):
    """Make a session of a course `days` ahead, with its own accredited trainer (so sessions
    never clash)."""
    numbers = itertools.count(1)
    today = timezone.localdate()

    def make(*, of=None, capacity=10, days=40, **extra) -> Session:
        of = of or course
        number = next(numbers)
        trainer = people_services.person_create(
            email=f"trainer{number}.pool@police.example",
            given_name=f"Trainer{number}",
            family_name="Pool",
            agency=agency_a,
            roles=[Role.PRACTITIONER, Role.TRAINER],
        )
        Accreditation.objects.create(
            trainer=trainer,
            course=of,
            accredited_on=today - datetime.timedelta(days=30),
            expires_on=today + datetime.timedelta(days=400),
        )
        start = timezone.make_aware(
            datetime.datetime.combine(today + datetime.timedelta(days=days), datetime.time(9, 30))
        )
        return session_services.session_create(
            course=of,
            starts_at=start,
            ends_at=start + datetime.timedelta(hours=6),
            capacity=capacity,
            trainers=[trainer],
            venue=venue,
            joining_instructions="Sign in at reception and bring your ID badge.",
            actor=admin,
            **extra,
        )

    return make


@pytest.fixture
def booking_make_people(agency_a, line_manager_a):
    """Make practitioners in agency A managed by line_manager_a."""
    numbers = itertools.count(1)

    def make(count: int, prefix: str = "pat") -> list:
        people = []
        for _ in range(count):
            n = next(numbers)
            people.append(
                people_services.person_create(
                    email=f"{prefix}{n}.person@police.example",
                    given_name=f"{prefix.title()}{n}",
                    family_name="Person",
                    agency=agency_a,
                    line_manager=line_manager_a,
                )
            )
        return people

    return make


def _move_session(session: Session, starts_at: datetime.datetime) -> Session:
    """Move a session in time without the services (as if time had passed)."""
    starts_at = starts_at.replace(second=0, microsecond=0)
    Session.objects.filter(pk=session.pk).update(
        starts_at=starts_at, ends_at=starts_at + datetime.timedelta(hours=6)
    )
    session.refresh_from_db()
    return session


def _messages(response) -> list[str]:
    return [str(m) for m in get_messages(response.wsgi_request)]


def _events(message) -> list:
    """The VEVENTs of the one iCalendar attachment of an e-mail."""
    (attachment,) = message.attachments
    filename, content, mimetype = attachment
    assert filename.endswith(".ics")
    assert mimetype.startswith("text/calendar")
    return Calendar.from_ical(content).walk("VEVENT")


def _mail_to(email: str, subject_start: str = "") -> list:
    return [m for m in mail.outbox if email in m.to and m.subject.startswith(subject_start)]


def _fill(session: Session, people: list) -> None:
    for person in people:
        services.booking_create(session=session, person=person, actor=person)


def _entry(session, person) -> WaitingListEntry:
    return WaitingListEntry.objects.filter(session=session, person=person).latest("pk")


# Booking -------------------------------------------------------------------------------------


def test_practitioner_books_a_place_for_themselves_and_gets_a_calendar_file(
    client, session, practitioner_a, django_capture_on_commit_callbacks
):
    signed_in(client, practitioner_a)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("learning:book", args=[session.pk]))

    assert response.status_code == 302
    assert response["Location"] == reverse("learning:my-training")
    booking = Booking.objects.get(session=session, person=practitioner_a)
    assert booking.status == Booking.Status.CONFIRMED
    assert booking.booked_by == practitioner_a
    (message,) = _mail_to(practitioner_a.email, "Place confirmed")
    assert "Sign in at reception." in message.body
    (event,) = _events(message)
    assert event.decoded("dtstart") == session.starts_at
    assert AuditEntry.objects.filter(action="learning.booking.created").exists()


def test_line_manager_books_team_member_confirmed_without_approval(
    client, session, course, practitioner_a, line_manager_a
):
    Course.objects.filter(pk=course.pk).update(requires_manager_approval=True)
    signed_in(client, line_manager_a)
    response = client.post(
        reverse("learning:book", args=[session.pk]), {"person": practitioner_a.pk}
    )

    assert response["Location"] == reverse("learning:team-training")
    booking = Booking.objects.get(session=session, person=practitioner_a)
    assert booking.status == Booking.Status.CONFIRMED
    assert booking.booked_by == line_manager_a


def test_practitioner_cannot_book_for_someone_else(client, session, practitioner_a, practitioner_b):
    signed_in(client, practitioner_b)
    response = client.post(
        reverse("learning:book", args=[session.pk]), {"person": practitioner_a.pk}
    )

    assert response.status_code == 403
    assert not Booking.objects.exists()
    with pytest.raises(PermissionDenied):
        services.booking_create(session=session, person=practitioner_a, actor=practitioner_b)


def test_booking_for_an_unknown_person_is_refused_like_anyone_else(client, session, practitioner_b):
    signed_in(client, practitioner_b)
    response = client.post(reverse("learning:book", args=[session.pk]), {"person": "99999"})
    assert response.status_code == 403


def test_one_place_per_person_per_session(client, session, practitioner_a):
    services.booking_create(session=session, person=practitioner_a, actor=practitioner_a)
    with pytest.raises(ValidationError, match="already has a place"):
        services.booking_create(session=session, person=practitioner_a, actor=practitioner_a)

    signed_in(client, practitioner_a)
    response = client.post(reverse("learning:book", args=[session.pk]))
    assert response["Location"] == reverse("learning:session-detail", args=[session.pk])
    assert any("already has a place" in m for m in _messages(response))
    assert Booking.objects.filter(session=session, person=practitioner_a).count() == 1


def test_prerequisites_are_enforced(
    client, partnership, course, practitioner_a, admin, booking_make_session
):
    advanced = Course.objects.create(
        partnership=partnership,
        title="Advanced safeguarding",
        slug="advanced",
        summary="For designated leads.",
        learning_outcomes="Lead a strategy discussion",
        status=Course.Status.PUBLISHED,
    )
    advanced.prerequisites.add(course)
    advanced_session = booking_make_session(of=advanced, days=60)

    with pytest.raises(ValidationError, match="must attend"):
        services.booking_create(session=advanced_session, person=practitioner_a, actor=admin)
    signed_in(client, practitioner_a)
    response = client.post(reverse("learning:book", args=[advanced_session.pk]))
    assert any(course.title in m for m in _messages(response))
    assert not Booking.objects.filter(session=advanced_session).exists()

    basic = booking_make_session(of=course, days=20)
    done = services.booking_create(session=basic, person=practitioner_a, actor=practitioner_a)
    register_services.register_mark(
        booking=done, attendance=Booking.Attendance.ATTENDED, actor=admin
    )
    booking = services.booking_create(
        session=advanced_session, person=practitioner_a, actor=practitioner_a
    )
    assert booking.status == Booking.Status.CONFIRMED


def test_booking_after_the_cut_off_is_refused(client, practitioner_a, booking_make_session):
    tomorrow = booking_make_session(days=1)
    assert not place_selectors.booking_is_open(tomorrow)
    with pytest.raises(ValidationError, match="closed"):
        services.booking_create(session=tomorrow, person=practitioner_a, actor=practitioner_a)

    signed_in(client, practitioner_a)
    response = client.post(reverse("learning:book", args=[tomorrow.pk]))
    assert any("closed" in m for m in _messages(response))
    assert not Booking.objects.filter(session=tomorrow).exists()


def test_booking_a_draft_course_session_is_not_found(client, session, course, practitioner_a):
    Course.objects.filter(pk=course.pk).update(status=Course.Status.DRAFT)
    signed_in(client, practitioner_a)
    assert client.post(reverse("learning:book", args=[session.pk])).status_code == 404


def test_anonymous_visitor_is_sent_to_sign_in_to_book(client, session):
    response = client.post(reverse("learning:book", args=[session.pk]))
    assert response.status_code == 302
    assert response["Location"].startswith("/sign-in/")
    assert not Booking.objects.exists()


# Approval ------------------------------------------------------------------------------------


def test_approval_flow_emails_the_line_manager_then_confirms_with_a_calendar_file(
    client, session, course, practitioner_a, line_manager_a, django_capture_on_commit_callbacks
):
    Course.objects.filter(pk=course.pk).update(requires_manager_approval=True)
    signed_in(client, practitioner_a)
    with django_capture_on_commit_callbacks(execute=True):
        client.post(reverse("learning:book", args=[session.pk]))
    booking = Booking.objects.get(session=session, person=practitioner_a)
    assert booking.status == Booking.Status.AWAITING_APPROVAL
    (request_mail,) = _mail_to(line_manager_a.email, "Please approve")
    assert reverse("learning:approvals") in request_mail.body
    assert place_selectors.places_left(session) == session.capacity - 1  # the place is held

    manager = signed_in(Client(), line_manager_a)
    listing = manager.get(reverse("learning:approvals"))
    assert listing.status_code == 200
    assert reverse("learning:approval-decide", args=[booking.pk]) in listing.content.decode()
    page = manager.get(reverse("learning:approval-decide", args=[booking.pk]))
    assert page.status_code == 200
    assert "Approve a place for" in page.content.decode()

    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        response = manager.post(
            reverse("learning:approval-decide", args=[booking.pk]), {"decision": "approve"}
        )
    assert response["Location"] == reverse("learning:approvals")
    booking.refresh_from_db()
    assert booking.status == Booking.Status.CONFIRMED
    assert booking.decided_by == line_manager_a
    (confirmation,) = _mail_to(practitioner_a.email, "Place confirmed")
    (event,) = _events(confirmation)
    assert event.decoded("dtstart") == session.starts_at
    assert AuditEntry.objects.filter(action="learning.booking.approved").exists()


def test_approval_decision_must_be_chosen(client, session, course, practitioner_a, line_manager_a):
    Course.objects.filter(pk=course.pk).update(requires_manager_approval=True)
    booking = services.booking_create(session=session, person=practitioner_a, actor=practitioner_a)
    signed_in(client, line_manager_a)
    response = client.post(reverse("learning:approval-decide", args=[booking.pk]), {})
    assert response.status_code == 200
    assert "Choose whether to approve or decline the place" in response.content.decode()
    booking.refresh_from_db()
    assert booking.status == Booking.Status.AWAITING_APPROVAL


def test_only_the_line_manager_decides(
    client, session, course, practitioner_a, practitioner_b, line_manager_a
):
    Course.objects.filter(pk=course.pk).update(requires_manager_approval=True)
    own = services.booking_create(session=session, person=practitioner_a, actor=practitioner_a)
    other = services.booking_create(session=session, person=practitioner_b, actor=practitioner_b)

    signed_in(client, practitioner_a)
    url = reverse("learning:approval-decide", args=[own.pk])
    assert client.get(url).status_code == 403
    assert client.post(url, {"decision": "approve"}).status_code == 403
    assert client.get(reverse("learning:approvals")).status_code == 403

    manager = signed_in(Client(), line_manager_a)
    # Not their team member: they may not know the booking exists.
    assert manager.get(reverse("learning:approval-decide", args=[other.pk])).status_code == 404
    assert (
        reverse("learning:approval-decide", args=[other.pk])
        not in manager.get(reverse("learning:approvals")).content.decode()
    )
    own.refresh_from_db()
    assert own.status == Booking.Status.AWAITING_APPROVAL


def test_business_unit_sees_every_booking_awaiting_approval(
    client, session, course, practitioner_a, practitioner_b, admin
):
    Course.objects.filter(pk=course.pk).update(requires_manager_approval=True)
    first = services.booking_create(session=session, person=practitioner_a, actor=practitioner_a)
    second = services.booking_create(session=session, person=practitioner_b, actor=practitioner_b)
    signed_in(client, admin)
    page = client.get(reverse("learning:approvals")).content.decode()
    assert reverse("learning:approval-decide", args=[first.pk]) in page
    assert reverse("learning:approval-decide", args=[second.pk]) in page


def test_decline_frees_the_place_and_offers_it_to_the_waiting_list(
    client,
    course,
    practitioner_a,
    practitioner_b,
    line_manager_a,
    booking_make_session,
    django_capture_on_commit_callbacks,
):
    Course.objects.filter(pk=course.pk).update(requires_manager_approval=True)
    course.refresh_from_db()
    small = booking_make_session(capacity=1)
    booking = services.booking_create(session=small, person=practitioner_a, actor=practitioner_a)
    with pytest.raises(SessionFull):
        services.booking_create(session=small, person=practitioner_b, actor=practitioner_b)
    entry = waiting_list_services.waiting_list_join(
        session=small, person=practitioner_b, actor=practitioner_b
    )

    signed_in(client, line_manager_a)
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        client.post(reverse("learning:approval-decide", args=[booking.pk]), {"decision": "decline"})

    booking.refresh_from_db()
    entry.refresh_from_db()
    assert booking.status == Booking.Status.DECLINED
    assert entry.status == WaitingListEntry.Status.OFFERED
    assert _mail_to(practitioner_a.email, "Training place not approved")
    (offer,) = _mail_to(practitioner_b.email, "A place is free")
    (event,) = _events(offer)
    assert event.decoded("dtstart") == small.starts_at


# Full sessions and the waiting list ----------------------------------------------------------


def test_full_session_raises_session_full_and_the_page_offers_the_waiting_list(
    client, practitioner_a, practitioner_b, booking_make_session
):
    small = booking_make_session(capacity=1)
    services.booking_create(session=small, person=practitioner_b, actor=practitioner_b)
    with pytest.raises(SessionFull):
        services.booking_create(session=small, person=practitioner_a, actor=practitioner_a)

    signed_in(client, practitioner_a)
    response = client.post(reverse("learning:book", args=[small.pk]))
    assert response["Location"] == reverse("learning:session-detail", args=[small.pk])
    assert any("Join the waiting list" in m for m in _messages(response))

    response = client.post(reverse("learning:waiting-list-join", args=[small.pk]))
    assert response["Location"] == reverse("learning:my-training")
    entry = _entry(small, practitioner_a)
    assert entry.status == WaitingListEntry.Status.WAITING


def test_waiting_list_is_refused_while_places_are_left(client, session, practitioner_a):
    signed_in(client, practitioner_a)
    response = client.post(reverse("learning:waiting-list-join", args=[session.pk]))
    assert any("book one instead" in m for m in _messages(response))
    assert not WaitingListEntry.objects.exists()


def test_cancellation_offers_the_place_first_come_first_served_and_expired_offers_pass_on(
    settings, booking_make_people, booking_make_session, django_capture_on_commit_callbacks
):
    settings.LEARNING_OFFER_HOURS = 48
    small = booking_make_session(capacity=1)
    holder, first, second = booking_make_people(3)
    _fill(small, [holder])
    for person in (first, second):
        waiting_list_services.waiting_list_join(session=small, person=person, actor=person)

    booking = Booking.objects.get(session=small, person=holder)
    before = timezone.now()
    with django_capture_on_commit_callbacks(execute=True):
        services.booking_cancel(booking=booking, actor=holder)
    offered = _entry(small, first)
    assert offered.status == WaitingListEntry.Status.OFFERED
    assert _entry(small, second).status == WaitingListEntry.Status.WAITING
    expected = before + datetime.timedelta(hours=48)
    assert abs(offered.offer_expires_at - expected) < datetime.timedelta(minutes=1)
    (offer,) = _mail_to(first.email, "A place is free")
    assert "Sign in at reception and bring your ID badge." in offer.body
    assert len(_events(offer)) == 1
    # The offered place is reserved: nobody else can book it.
    assert place_selectors.places_left(small) == 0

    # Not yet expired: nothing happens.
    assert (
        waiting_list_services.expire_offers(
            now=offered.offer_expires_at - datetime.timedelta(minutes=1)
        )
        == 0
    )
    with django_capture_on_commit_callbacks(execute=True):
        expired = waiting_list_services.expire_offers(
            now=offered.offer_expires_at + datetime.timedelta(seconds=1)
        )
    assert expired == 1
    assert _entry(small, first).status == WaitingListEntry.Status.EXPIRED
    assert _entry(small, second).status == WaitingListEntry.Status.OFFERED
    assert _mail_to(second.email, "A place is free")


def test_offer_time_is_configurable(settings, booking_make_people, booking_make_session):
    settings.LEARNING_OFFER_HOURS = 6
    small = booking_make_session(capacity=1)
    holder, waiting = booking_make_people(2)
    _fill(small, [holder])
    waiting_list_services.waiting_list_join(session=small, person=waiting, actor=waiting)
    services.booking_cancel(booking=Booking.objects.get(person=holder), actor=holder)
    entry = _entry(small, waiting)
    assert entry.offer_expires_at - entry.offered_at == datetime.timedelta(hours=6)


def test_claiming_an_offer_books_the_place(
    client, booking_make_people, booking_make_session, django_capture_on_commit_callbacks
):
    small = booking_make_session(capacity=1)
    holder, waiting = booking_make_people(2)
    _fill(small, [holder])
    waiting_list_services.waiting_list_join(session=small, person=waiting, actor=waiting)
    services.booking_cancel(booking=Booking.objects.get(person=holder), actor=holder)
    entry = _entry(small, waiting)

    signed_in(client, waiting)
    page = client.get(reverse("learning:my-training")).content.decode()
    assert reverse("learning:waiting-list-claim", args=[entry.pk]) in page
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("learning:waiting-list-claim", args=[entry.pk]))
    assert response["Location"] == reverse("learning:my-training")
    entry.refresh_from_db()
    assert entry.status == WaitingListEntry.Status.CLAIMED
    booking = Booking.objects.get(session=small, person=waiting, status__in=Booking.HOLDING)
    assert booking.status == Booking.Status.CONFIRMED
    assert place_selectors.places_left(small) == 0
    (confirmation,) = _mail_to(waiting.email, "Place confirmed")
    assert _events(confirmation)[0].decoded("dtstart") == small.starts_at


def test_claiming_an_expired_offer_is_refused(client, booking_make_people, booking_make_session):
    small = booking_make_session(capacity=1)
    holder, waiting = booking_make_people(2)
    _fill(small, [holder])
    waiting_list_services.waiting_list_join(session=small, person=waiting, actor=waiting)
    services.booking_cancel(booking=Booking.objects.get(person=holder), actor=holder)
    entry = _entry(small, waiting)
    WaitingListEntry.objects.filter(pk=entry.pk).update(
        offer_expires_at=timezone.now() - datetime.timedelta(minutes=1)
    )

    signed_in(client, waiting)
    response = client.post(reverse("learning:waiting-list-claim", args=[entry.pk]))
    assert any("expired" in m for m in _messages(response))
    assert not Booking.objects.filter(session=small, person=waiting).exists()


def test_someone_else_cannot_claim_or_leave_an_entry(
    client, practitioner_b, booking_make_people, booking_make_session
):
    small = booking_make_session(capacity=1)
    holder, waiting = booking_make_people(2)
    _fill(small, [holder])
    entry = waiting_list_services.waiting_list_join(session=small, person=waiting, actor=waiting)
    signed_in(client, practitioner_b)
    assert client.post(reverse("learning:waiting-list-claim", args=[entry.pk])).status_code == 404
    assert client.post(reverse("learning:waiting-list-leave", args=[entry.pk])).status_code == 404
    entry.refresh_from_db()
    assert entry.status == WaitingListEntry.Status.WAITING


def test_leaving_the_list_while_offered_passes_the_place_on(
    client, booking_make_people, booking_make_session, django_capture_on_commit_callbacks
):
    small = booking_make_session(capacity=1)
    holder, first, second = booking_make_people(3)
    _fill(small, [holder])
    for person in (first, second):
        waiting_list_services.waiting_list_join(session=small, person=person, actor=person)
    services.booking_cancel(booking=Booking.objects.get(person=holder), actor=holder)
    entry = _entry(small, first)
    assert entry.status == WaitingListEntry.Status.OFFERED

    signed_in(client, first)
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("learning:waiting-list-leave", args=[entry.pk]))
    assert response["Location"] == reverse("learning:my-training")
    entry.refresh_from_db()
    assert entry.status == WaitingListEntry.Status.LEFT
    assert _entry(small, second).status == WaitingListEntry.Status.OFFERED
    assert _mail_to(second.email, "A place is free")


def test_leaving_the_list_while_waiting_moves_others_up(
    client, booking_make_people, booking_make_session
):
    small = booking_make_session(capacity=1)
    holder, first, second, third = booking_make_people(4)
    _fill(small, [holder])
    for person in (first, second, third):
        waiting_list_services.waiting_list_join(session=small, person=person, actor=person)

    signed_in(client, third)
    page = client.get(reverse("learning:my-training"))
    (waiting,) = page.context["waiting"]
    assert waiting.position == 3

    waiting_list_services.waiting_list_leave(entry=_entry(small, first), actor=first)
    page = client.get(reverse("learning:my-training"))
    assert page.context["waiting"][0].position == 2


def test_offer_made_after_the_cut_off_can_still_be_claimed(
    booking_make_people, booking_make_session
):
    small = booking_make_session(capacity=1)
    holder, waiting = booking_make_people(2)
    _fill(small, [holder])
    waiting_list_services.waiting_list_join(session=small, person=waiting, actor=waiting)
    _move_session(small, timezone.now() + datetime.timedelta(hours=20))
    assert not place_selectors.booking_is_open(small)

    cancelled = services.booking_cancel(booking=Booking.objects.get(person=holder), actor=holder)
    assert cancelled.status == Booking.Status.LATE_CANCELLED
    entry = _entry(small, waiting)
    assert entry.status == WaitingListEntry.Status.OFFERED
    assert entry.offer_expires_at <= small.starts_at
    booking = waiting_list_services.waiting_list_claim(entry=entry, actor=waiting)
    assert booking.status == Booking.Status.CONFIRMED


def test_no_offers_once_the_session_has_started(
    booking_make_people, booking_make_session, django_capture_on_commit_callbacks
):
    small = booking_make_session(capacity=1)
    holder, first, second = booking_make_people(3)
    _fill(small, [holder])
    for person in (first, second):
        waiting_list_services.waiting_list_join(session=small, person=person, actor=person)
    # Less than the offer time before the session: the offer runs until the session starts.
    _move_session(small, timezone.now() + datetime.timedelta(hours=20))
    services.booking_cancel(booking=Booking.objects.get(person=holder), actor=holder)
    assert _entry(small, first).offer_expires_at == small.starts_at

    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        assert (
            waiting_list_services.expire_offers(now=small.starts_at + datetime.timedelta(minutes=1))
            == 1
        )
    assert _entry(small, first).status == WaitingListEntry.Status.EXPIRED
    assert _entry(small, second).status == WaitingListEntry.Status.WAITING
    assert not mail.outbox


def test_booking_directly_while_offered_takes_the_offered_place(
    booking_make_people, booking_make_session
):
    small = booking_make_session(capacity=1)
    holder, waiting = booking_make_people(2)
    _fill(small, [holder])
    waiting_list_services.waiting_list_join(session=small, person=waiting, actor=waiting)
    services.booking_cancel(booking=Booking.objects.get(person=holder), actor=holder)

    booking = services.booking_create(session=small, person=waiting, actor=waiting)
    assert booking.status == Booking.Status.CONFIRMED
    assert _entry(small, waiting).status == WaitingListEntry.Status.CLAIMED
    assert place_selectors.places_taken(small) == 1


# Cancellation --------------------------------------------------------------------------------


def test_cancelling_before_the_cut_off_is_free(
    client, session, practitioner_a, django_capture_on_commit_callbacks
):
    booking = services.booking_create(session=session, person=practitioner_a, actor=practitioner_a)
    signed_in(client, practitioner_a)
    url = reverse("learning:booking-cancel", args=[booking.pk])
    page = client.get(url)
    assert page.status_code == 200
    assert not page.context["late"]
    assert "There is no charge" in page.content.decode()

    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(url)
    assert response["Location"] == reverse("learning:my-training")
    booking.refresh_from_db()
    assert booking.status == Booking.Status.CANCELLED
    (message,) = _mail_to(practitioner_a.email, "Place cancelled")
    (event,) = _events(message)
    assert str(event["status"]) == "CANCELLED"


def test_late_cancellation_after_the_cut_off_is_flagged_for_charging(
    client, practitioner_a, booking_make_session
):
    small = booking_make_session()
    booking = services.booking_create(session=small, person=practitioner_a, actor=practitioner_a)
    _move_session(small, timezone.now() + datetime.timedelta(days=1))

    signed_in(client, practitioner_a)
    url = reverse("learning:booking-cancel", args=[booking.pk])
    page = client.get(url)
    assert page.context["late"]
    content = page.content.decode()
    assert "late cancellation" in content
    assert "£50.00" in content

    response = client.post(url)
    booking.refresh_from_db()
    assert booking.status == Booking.Status.LATE_CANCELLED
    assert any("charge may apply" in m for m in _messages(response))
    assert AuditEntry.objects.filter(
        action="learning.booking.cancelled", changes__late=True
    ).exists()


def test_line_manager_cancels_team_members_place(client, session, practitioner_a, line_manager_a):
    booking = services.booking_create(session=session, person=practitioner_a, actor=practitioner_a)
    signed_in(client, line_manager_a)
    response = client.post(reverse("learning:booking-cancel", args=[booking.pk]))
    assert response["Location"] == reverse("learning:team-training")
    booking.refresh_from_db()
    assert booking.status == Booking.Status.CANCELLED


def test_practitioner_in_other_agency_gets_404_cancelling_a_place(
    client, session, practitioner_a, practitioner_b
):
    booking = services.booking_create(session=session, person=practitioner_a, actor=practitioner_a)
    signed_in(client, practitioner_b)
    assert client.post(reverse("learning:booking-cancel", args=[booking.pk])).status_code == 404
    booking.refresh_from_db()
    assert booking.status == Booking.Status.CONFIRMED


def test_cancelling_an_already_cancelled_place_shows_no_button(client, session, practitioner_a):
    booking = services.booking_create(session=session, person=practitioner_a, actor=practitioner_a)
    services.booking_cancel(booking=booking, actor=practitioner_a)
    signed_in(client, practitioner_a)
    url = reverse("learning:booking-cancel", args=[booking.pk])
    page = client.get(url)
    assert "This place cannot be cancelled" in page.content.decode()
    response = client.post(url)
    assert response.status_code == 200
    assert "already cancelled" in response.content.decode()


# My training and the team page ---------------------------------------------------------------


def test_my_training_lists_upcoming_offers_waiting_and_past_sessions(
    client, session, practitioner_a, admin, booking_make_people, booking_make_session
):
    upcoming = services.booking_create(session=session, person=practitioner_a, actor=practitioner_a)
    past_session = booking_make_session(days=10)
    past = services.booking_create(
        session=past_session, person=practitioner_a, actor=practitioner_a
    )
    register_services.register_mark(
        booking=past, attendance=Booking.Attendance.ATTENDED, actor=admin
    )
    _move_session(past_session, timezone.now() - datetime.timedelta(days=20))

    full = booking_make_session(capacity=1, days=50)
    (other,) = booking_make_people(1)
    _fill(full, [other])
    waiting_list_services.waiting_list_join(
        session=full, person=practitioner_a, actor=practitioner_a
    )

    signed_in(client, practitioner_a)
    response = client.get(reverse("learning:my-training"))
    assert response.status_code == 200
    assert [b.pk for b in response.context["upcoming"]] == [upcoming.pk]
    assert [b.pk for b in response.context["page"]] == [past.pk]
    (entry,) = response.context["waiting"]
    assert entry.position == 1
    content = response.content.decode()
    assert reverse("learning:booking-cancel", args=[upcoming.pk]) in content
    assert "Attended" in content
    assert timezone.localtime(session.starts_at).strftime("%B %Y, %H:%M") in content

    services.booking_cancel(booking=Booking.objects.get(session=full), actor=other)
    response = client.get(reverse("learning:my-training"))
    (offer,) = response.context["offers"]
    assert offer.session == full
    assert "Take the place" in response.content.decode()


def test_team_page_lists_the_team_and_books_a_member(
    client, session, practitioner_a, practitioner_b, line_manager_a
):
    services.booking_create(session=session, person=practitioner_a, actor=practitioner_a)
    signed_in(client, line_manager_a)
    page = client.get(reverse("learning:team-training"))
    assert page.status_code == 200
    assert [m.pk for m in page.context["members"]] == [practitioner_a.pk]
    assert practitioner_b.full_name not in page.content.decode()
    assert session.course.title in page.content.decode()

    # Someone outside the team cannot be chosen.
    response = client.post(
        reverse("learning:team-training"), {"person": practitioner_b.pk, "session": session.pk}
    )
    assert response.status_code == 200
    assert "Choose someone in your team" in response.content.decode()
    assert not Booking.objects.filter(person=practitioner_b).exists()


def test_team_page_books_a_team_member_or_adds_them_to_the_waiting_list(
    client, course, line_manager_a, booking_make_people, booking_make_session
):
    Course.objects.filter(pk=course.pk).update(requires_manager_approval=True)
    small = booking_make_session(capacity=1)
    first, second = booking_make_people(2)
    signed_in(client, line_manager_a)
    url = reverse("learning:team-training")

    response = client.post(url, {"person": first.pk, "session": small.pk})
    assert response["Location"] == url
    assert Booking.objects.get(person=first).status == Booking.Status.CONFIRMED

    response = client.post(url, {"person": second.pk, "session": small.pk})
    assert response.status_code == 200
    assert "There are no places left" in response.content.decode()
    assert not WaitingListEntry.objects.exists()

    response = client.post(
        url, {"person": second.pk, "session": small.pk, "waiting_list_if_full": "on"}
    )
    assert response["Location"] == url
    assert _entry(small, second).status == WaitingListEntry.Status.WAITING


def test_team_page_is_for_line_managers_only(client, practitioner_a):
    signed_in(client, practitioner_a)
    assert client.get(reverse("learning:team-training")).status_code == 403


# Reminders and the timed jobs ----------------------------------------------------------------


def test_reminders_are_sent_once_by_run_training_jobs(
    settings, session, booking_make_people, booking_make_session, django_capture_on_commit_callbacks
):
    settings.LEARNING_REMINDER_DAYS = 3
    soon = booking_make_session(days=20)
    people = booking_make_people(3)
    _fill(soon, people)
    services.booking_cancel(
        booking=Booking.objects.get(session=soon, person=people[2]), actor=people[2]
    )
    _fill(session, people[:1])  # 30 days ahead: not reminded yet
    _move_session(soon, timezone.now() + datetime.timedelta(days=2))

    mail.outbox.clear()
    out = io.StringIO()
    with django_capture_on_commit_callbacks(execute=True):
        call_command("run_training_jobs", stdout=out)
    reminders = [m for m in mail.outbox if m.subject.startswith("Reminder")]
    assert sorted(m.to[0] for m in reminders) == sorted(p.email for p in people[:2])
    assert "Sign in at reception and bring your ID badge." in reminders[0].body
    assert _events(reminders[0])[0].decoded("dtstart") == soon.starts_at
    assert "2 reminder(s) sent for 1 session(s)" in out.getvalue()
    soon.refresh_from_db()
    session.refresh_from_db()
    assert soon.reminder_sent_at is not None
    assert session.reminder_sent_at is None
    assert AuditEntry.objects.filter(action="learning.session.reminded").count() == 1

    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        call_command("run_training_jobs", stdout=io.StringIO())
    assert not mail.outbox


def test_run_training_jobs_expires_offers(booking_make_people, booking_make_session):
    small = booking_make_session(capacity=1)
    holder, first, second = booking_make_people(3)
    _fill(small, [holder])
    for person in (first, second):
        waiting_list_services.waiting_list_join(session=small, person=person, actor=person)
    services.booking_cancel(booking=Booking.objects.get(person=holder), actor=holder)
    WaitingListEntry.objects.filter(session=small, person=first).update(
        offer_expires_at=timezone.now() - datetime.timedelta(minutes=1)
    )
    out = io.StringIO()
    call_command("run_training_jobs", stdout=out)
    assert "1 waiting-list offer(s) expired" in out.getvalue()
    assert _entry(small, first).status == WaitingListEntry.Status.EXPIRED
    assert _entry(small, second).status == WaitingListEntry.Status.OFFERED


def test_run_training_jobs_help_says_it_runs_from_cron():
    from safeguarding.learning.management.commands.run_training_jobs import Command

    assert "every 15 minutes" in Command.help


# Concurrency (PostgreSQL) ----------------------------------------------------------------------


def _needs_postgresql():
    if connection.vendor != "postgresql":
        pytest.skip("Concurrent bookings are tested on PostgreSQL (SQLite serialises writers).")


def _race(actions: list) -> list[str]:
    """Run each action in its own thread (and database connection), all released at once.
    Returns the outcome of each: "ok", "full", "refused" or the unexpected exception."""
    barrier = threading.Barrier(len(actions))
    outcomes: list[str] = [""] * len(actions)

    def run(index, action):
        try:
            barrier.wait(timeout=30)
            action()
            outcomes[index] = "ok"
        except SessionFull:
            outcomes[index] = "full"
        except ValidationError:
            outcomes[index] = "refused"
        except Exception as error:  # noqa: BLE001 - reported by the assertions
            outcomes[index] = repr(error)
        finally:
            connection.close()

    threads = [threading.Thread(target=run, args=(i, a)) for i, a in enumerate(actions)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    return outcomes


@pytest.mark.django_db(transaction=True)
def test_parallel_bookings_for_the_last_places_never_exceed_capacity(
    booking_make_people, booking_make_session
):
    _needs_postgresql()
    small = booking_make_session(capacity=3)
    people = booking_make_people(12)

    def booking_for(person):
        return lambda: services.booking_create(session=small, person=person, actor=person)

    outcomes = _race([booking_for(p) for p in people])

    assert outcomes.count("ok") == 3, outcomes
    assert outcomes.count("full") == 9, outcomes
    assert Booking.objects.filter(session=small, status__in=Booking.HOLDING).count() == 3
    assert Booking.objects.filter(session=small).count() == 3


@pytest.mark.django_db(transaction=True)
def test_racing_claims_cancellations_and_bookings_never_exceed_capacity(
    booking_make_people, booking_make_session
):
    _needs_postgresql()
    capacity = 4
    small = booking_make_session(capacity=capacity)
    holders = booking_make_people(capacity, prefix="holder")
    waiters = booking_make_people(10, prefix="waiter")
    latecomers = booking_make_people(6, prefix="late")
    _fill(small, holders)
    for person in waiters:
        waiting_list_services.waiting_list_join(session=small, person=person, actor=person)
    # Two places free: offered to the first two waiting.
    for person in holders[:2]:
        services.booking_cancel(booking=Booking.objects.get(person=person), actor=person)
    assert [_entry(small, w).status for w in waiters[:3]] == ["offered", "offered", "waiting"]

    def claim(person):
        return lambda: waiting_list_services.waiting_list_claim(
            entry=_entry(small, person), actor=person
        )

    def leave(person):
        return lambda: waiting_list_services.waiting_list_leave(
            entry=_entry(small, person), actor=person
        )

    def cancel(person):
        return lambda: services.booking_cancel(
            booking=Booking.objects.get(person=person, status=Booking.Status.CONFIRMED),
            actor=person,
        )

    def book(person):
        return lambda: services.booking_create(session=small, person=person, actor=person)

    held_seen: list[int] = []
    done = threading.Event()

    def watch():
        try:
            while not done.is_set():
                held_seen.append(
                    Booking.objects.filter(session=small, status__in=Booking.HOLDING).count()
                )
        finally:
            connection.close()

    watcher = threading.Thread(target=watch)
    watcher.start()
    try:
        outcomes = _race(
            [claim(w) for w in waiters[:2]]
            + [cancel(h) for h in holders[2:]]
            + [leave(w) for w in waiters[2:4]]
            + [claim(w) for w in waiters[4:7]]
            + [book(p) for p in latecomers]
        )
    finally:
        done.set()
        watcher.join(timeout=30)

    unexpected = [o for o in outcomes if o not in ("ok", "full", "refused")]
    assert not unexpected, outcomes
    # The two offers were taken, the cancellations and leavings went through.
    assert outcomes[:6] == ["ok"] * 6, outcomes
    # Every place stayed held or reserved throughout, so latecomers never got one.
    assert outcomes[-len(latecomers) :] == ["full"] * len(latecomers), outcomes
    held = Booking.objects.filter(session=small, status__in=Booking.HOLDING)
    offered = WaitingListEntry.objects.filter(session=small, status=WaitingListEntry.Status.OFFERED)
    assert held.count() + offered.count() == capacity
    assert max(held_seen, default=0) <= capacity
    assert held.values("person").distinct().count() == held.count()
    assert not held.filter(person__in=offered.values("person")).exists()
    assert django_settings.LEARNING_OFFER_HOURS >= 1


# Pages ----------------------------------------------------------------------------------------


def _assert_page(response, what: str) -> str:
    assert response.status_code == 200, what
    html = response.content.decode()
    assert html.count("<h1") == 1, (what, "exactly one h1")
    assert 'style="' not in html, (what, "inline style attribute")
    assert not re.search(r"<script(?![^>]*\bsrc=)", html), (what, "inline script")
    for table in re.findall(r"<table.*?</table>", html, re.S):
        assert "<caption" in table, (what, "table without a caption")
    return html


def test_booking_pages_render_with_one_h1_captions_and_no_inline_code(
    course, session, practitioner_a, line_manager_a, booking_make_people, booking_make_session
):
    Course.objects.filter(pk=course.pk).update(requires_manager_approval=True)
    booking = services.booking_create(session=session, person=practitioner_a, actor=practitioner_a)
    full = booking_make_session(capacity=1, days=50)
    (other, third) = booking_make_people(2)
    services.booking_create(session=full, person=other, actor=line_manager_a)
    waiting_list_services.waiting_list_join(
        session=full, person=practitioner_a, actor=practitioner_a
    )
    waiting_list_services.waiting_list_join(session=full, person=third, actor=third)
    services.booking_cancel(booking=Booking.objects.get(session=full, person=other), actor=other)

    person = signed_in(Client(), practitioner_a)
    html = _assert_page(person.get(reverse("learning:my-training")), "my training")
    assert "Places offered to you" in html and "Upcoming sessions" in html
    _assert_page(person.get(reverse("learning:booking-cancel", args=[booking.pk])), "cancel page")

    manager = signed_in(Client(), line_manager_a)
    _assert_page(manager.get(reverse("learning:approvals")), "approvals")
    url = reverse("learning:approval-decide", args=[booking.pk])
    _assert_page(manager.get(url), "approval page")
    html = _assert_page(manager.post(url, {}), "approval page with an error")
    assert "govuk-error-summary" in html
    html = _assert_page(manager.get(reverse("learning:team-training")), "team page")
    assert "Offered a place" in html or "Take off the list" in html
    html = _assert_page(manager.post(reverse("learning:team-training"), {}), "team form errors")
    assert "Choose the team member to book" in html
