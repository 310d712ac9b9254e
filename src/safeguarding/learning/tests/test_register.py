"""Registers: trainers and the business unit mark attended or did not attend, add walk-ins, and
print a register to sign."""

from __future__ import annotations

import datetime

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from safeguarding.conftest import signed_in
from safeguarding.core.models import AuditEntry
from safeguarding.learning.models import Booking, Certificate, Course
from safeguarding.learning.services import booking as booking_services
from safeguarding.learning.services import records
from safeguarding.learning.services import sessions as session_services
from safeguarding.people import services as people_services
from safeguarding.people.models import Role


def _move_to_today(session) -> None:
    """The session started an hour ago: its register can be kept."""
    now = timezone.now()
    type(session).objects.filter(pk=session.pk).update(
        starts_at=now - datetime.timedelta(hours=1), ends_at=now + datetime.timedelta(hours=5)
    )
    session.refresh_from_db()


@pytest.fixture
def register_bookings(session, practitioner_a, practitioner_b, line_manager_a):
    """practitioner_a and practitioner_b have places; line_manager_a cancelled late; the
    session is under way."""
    a = booking_services.booking_create(
        session=session, person=practitioner_a, actor=practitioner_a
    )
    b = booking_services.booking_create(
        session=session, person=practitioner_b, actor=practitioner_b
    )
    late = booking_services.booking_create(
        session=session, person=line_manager_a, actor=line_manager_a
    )
    Booking.objects.filter(pk=late.pk).update(
        status=Booking.Status.LATE_CANCELLED, cancelled_at=timezone.now()
    )
    _move_to_today(session)
    return {"a": a, "b": b, "late": late}


@pytest.fixture
def trainer_client(trainer_a):
    return signed_in(Client(), trainer_a)


@pytest.fixture
def other_trainer(agency_b):
    return people_services.person_create(
        email="otto.other@health.example",
        given_name="Otto",
        family_name="Other",
        agency=agency_b,
        roles=[Role.PRACTITIONER, Role.TRAINER],
        password="correct horse battery staple",
    )


def _url(session, name="learning:register"):
    return reverse(name, args=[session.pk])


def test_trainer_marks_attended_and_did_not_attend_in_one_post(
    trainer_client, trainer_a, session, register_bookings
):
    a, b = register_bookings["a"], register_bookings["b"]
    response = trainer_client.post(
        _url(session),
        {"form": "marks", f"booking_{a.pk}": "attended", f"booking_{b.pk}": "no_show"},
    )
    assert response.status_code == 302
    a.refresh_from_db()
    b.refresh_from_db()
    assert a.attendance == Booking.Attendance.ATTENDED
    assert b.attendance == Booking.Attendance.NO_SHOW
    marked = AuditEntry.objects.filter(action="learning.register.marked", actor=trainer_a)
    assert marked.count() == 2
    assert AuditEntry.objects.filter(action="learning.register.saved", actor=trainer_a).exists()
    page = trainer_client.get(_url(session))
    assert "Register saved: 1 attended, 1 did not attend." in page.content.decode()


def test_places_left_blank_are_not_changed(trainer_client, session, register_bookings):
    a, b = register_bookings["a"], register_bookings["b"]
    Booking.objects.filter(pk=b.pk).update(attendance=Booking.Attendance.NO_SHOW)
    trainer_client.post(_url(session), {"form": "marks", f"booking_{a.pk}": "attended"})
    b.refresh_from_db()
    assert b.attendance == Booking.Attendance.NO_SHOW


def test_register_page_shows_people_counts_and_late_cancellations(
    trainer_client, session, register_bookings, practitioner_a, line_manager_a
):
    Booking.objects.filter(pk=register_bookings["a"].pk).update(
        attendance=Booking.Attendance.ATTENDED
    )
    response = trainer_client.get(_url(session))
    assert response.status_code == 200
    html = response.content.decode()
    assert "Paul Police" in html and "Hana Health" in html
    assert f'name="booking_{register_bookings["a"].pk}" value="attended"' in html
    # The late cancellation is listed, read-only: no radios for it.
    assert "Lena Manager" in html and "Cancelled late" in html
    assert f"booking_{register_bookings['late'].pk}" not in html
    counts = response.context["register"]
    assert (counts.booked, counts.attended, counts.no_show, counts.walk_ins) == (2, 1, 0, 0)
    assert len(counts.late_cancelled) == 1


def test_register_page_is_a_stacked_layout_for_phones(trainer_client, session, register_bookings):
    html = trainer_client.get(_url(session)).content.decode()
    assert "<table" not in html
    assert "govuk-radios" in html and "govuk-summary-list" in html
    assert "style=" not in html and "<script>" not in html


def test_trainer_adds_a_walk_in_by_email(
    trainer_client, trainer_a, session, register_bookings, board_member
):
    response = trainer_client.post(
        _url(session), {"form": "walk_in", "email": "  BEA.Board@police.example "}
    )
    assert response.status_code == 302
    walk_in = Booking.objects.get(session=session, person=board_member)
    assert walk_in.is_walk_in
    assert walk_in.attendance == Booking.Attendance.ATTENDED
    assert Certificate.objects.filter(booking=walk_in).exists()
    assert AuditEntry.objects.filter(
        action="learning.register.walk_in_added", actor=trainer_a
    ).exists()
    assert trainer_client.get(_url(session)).context["register"].walk_ins == 1


def test_walk_in_without_an_active_account_is_refused(
    trainer_client, session, register_bookings, board_member
):
    board_member.is_active = False
    board_member.save()
    for email in ["nobody@police.example", board_member.email]:
        response = trainer_client.post(_url(session), {"form": "walk_in", "email": email})
        assert response.status_code == 200
        assert "No active account has this e-mail address" in response.content.decode()
        assert "There is a problem" in response.content.decode()
    assert not Booking.objects.filter(session=session, is_walk_in=True).exists()


def test_walk_in_who_already_has_a_place_is_refused(
    trainer_client, session, register_bookings, practitioner_a
):
    response = trainer_client.post(
        _url(session), {"form": "walk_in", "email": practitioner_a.email}
    )
    assert response.status_code == 200
    assert "already has a place" in response.content.decode()
    assert session.bookings.filter(person=practitioner_a).count() == 1


def test_admin_keeps_any_register(admin, session, register_bookings):
    client = signed_in(Client(), admin)
    a = register_bookings["a"]
    response = client.post(_url(session), {"form": "marks", f"booking_{a.pk}": "attended"})
    assert response.status_code == 302
    a.refresh_from_db()
    assert a.attendance == Booking.Attendance.ATTENDED


def test_trainer_not_of_this_session_gets_403(other_trainer, session, register_bookings):
    client = signed_in(Client(), other_trainer)
    a = register_bookings["a"]
    assert client.get(_url(session)).status_code == 403
    assert client.get(_url(session, "learning:register-print")).status_code == 403
    response = client.post(_url(session), {"form": "marks", f"booking_{a.pk}": "attended"})
    assert response.status_code == 403
    a.refresh_from_db()
    assert a.attendance == Booking.Attendance.UNMARKED
    with pytest.raises(PermissionDenied):
        records.register_save(session=session, marks={a.pk: "attended"}, actor=other_trainer)


def test_practitioner_gets_403_for_a_published_session(practitioner_b, session, register_bookings):
    client = signed_in(Client(), practitioner_b)
    assert client.get(_url(session)).status_code == 403
    b = register_bookings["b"]
    response = client.post(_url(session), {"form": "marks", f"booking_{b.pk}": "attended"})
    assert response.status_code == 403


def test_practitioner_gets_404_for_a_session_they_cannot_see(practitioner_b, session):
    Course.objects.filter(pk=session.course_id).update(status=Course.Status.DRAFT)
    client = signed_in(Client(), practitioner_b)
    assert client.get(_url(session)).status_code == 404
    assert client.get(_url(session, "learning:register-print")).status_code == 404


def test_anonymous_is_sent_to_sign_in(client, session):
    response = client.get(_url(session))
    assert response.status_code == 302
    assert response["Location"].startswith("/sign-in/?next=")


def test_register_cannot_be_marked_before_the_day_of_the_session(
    trainer_client, trainer_a, session, practitioner_a
):
    booking = booking_services.booking_create(
        session=session, person=practitioner_a, actor=practitioner_a
    )
    page = trainer_client.get(_url(session))
    assert "You can mark the register from the day of the session" in page.content.decode()
    assert 'name="form" value="marks"' not in page.content.decode()
    trainer_client.post(_url(session), {"form": "marks", f"booking_{booking.pk}": "attended"})
    booking.refresh_from_db()
    assert booking.attendance == Booking.Attendance.UNMARKED
    with pytest.raises(ValidationError):
        records.register_save(session=session, marks={booking.pk: "attended"}, actor=trainer_a)
    assert not Certificate.objects.exists()


def test_a_cancelled_session_has_no_register_to_keep(
    trainer_a, admin, session, register_bookings, board_member
):
    session_services.session_cancel(session=session, reason="Trainer unwell", actor=admin)
    with pytest.raises(ValidationError):
        records.register_walk_in_add(session=session, person=board_member, actor=trainer_a)
    client = signed_in(Client(), trainer_a)
    assert "This session was cancelled" in client.get(_url(session)).content.decode()


def test_an_invalid_mark_shows_an_error_and_saves_nothing(
    trainer_client, session, register_bookings
):
    a, b = register_bookings["a"], register_bookings["b"]
    response = trainer_client.post(
        _url(session),
        {"form": "marks", f"booking_{a.pk}": "attended", f"booking_{b.pk}": "maybe"},
    )
    assert response.status_code == 200
    html = response.content.decode()
    assert "Choose attended or did not attend." in html
    assert f'href="#id_booking_{b.pk}"' in html and f'id="id_booking_{b.pk}"' in html
    a.refresh_from_db()
    assert a.attendance == Booking.Attendance.UNMARKED


def test_register_save_is_all_or_nothing(trainer_a, session, register_bookings):
    a, late = register_bookings["a"], register_bookings["late"]
    with pytest.raises(ValidationError):
        records.register_save(
            session=session, marks={a.pk: "attended", late.pk: "attended"}, actor=trainer_a
        )
    with pytest.raises(ValidationError):
        records.register_save(
            session=session, marks={a.pk: "attended", 999999: "attended"}, actor=trainer_a
        )
    a.refresh_from_db()
    assert a.attendance == Booking.Attendance.UNMARKED
    assert not Certificate.objects.exists()


def test_printable_register_has_names_agencies_and_a_signature_column(
    trainer_client, session, register_bookings
):
    response = trainer_client.get(_url(session, "learning:register-print"))
    assert response.status_code == 200
    html = response.content.decode()
    assert "Paul Police" in html and "Testshire Police" in html
    assert "Hana Health" in html and "Testshire Community Health" in html
    assert ">Signature</th>" in html
    assert "<caption" in html
    assert "govuk-!-display-none-print" in html
    assert "Tia Trainer" in html
