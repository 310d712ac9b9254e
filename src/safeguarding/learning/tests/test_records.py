"""Certificates (issued, withdrawn, downloaded as PDF, verified in public) and each person's own
training record."""

from __future__ import annotations

import datetime

import pytest
from django.core.exceptions import ValidationError
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from safeguarding.conftest import signed_in
from safeguarding.core.models import AuditEntry
from safeguarding.learning.certificates import certificate_pdf
from safeguarding.learning.models import (
    Booking,
    Certificate,
    EvaluationResponse,
    Questionnaire,
)
from safeguarding.learning.services import booking as booking_services
from safeguarding.learning.services import records
from safeguarding.learning.services import sessions as session_services


def _move_to_today(session) -> None:
    now = timezone.now()
    type(session).objects.filter(pk=session.pk).update(
        starts_at=now - datetime.timedelta(hours=1), ends_at=now + datetime.timedelta(hours=5)
    )
    session.refresh_from_db()


@pytest.fixture
def booking_a(session, practitioner_a):
    booking = booking_services.booking_create(
        session=session, person=practitioner_a, actor=practitioner_a
    )
    _move_to_today(session)
    return booking


@pytest.fixture
def certificate_a(booking_a, trainer_a, session):
    records.register_save(session=session, marks={booking_a.pk: "attended"}, actor=trainer_a)
    return Certificate.objects.get(booking=booking_a)


def _evaluate(booking, partnership):
    questionnaire = Questionnaire.objects.create(
        partnership=partnership, name="Straight after", stage=Questionnaire.Stage.IMMEDIATE
    )
    return EvaluationResponse.objects.create(
        booking=booking,
        questionnaire=questionnaire,
        stage=Questionnaire.Stage.IMMEDIATE,
        answers={},
    )


# Issuing -------------------------------------------------------------------------------------


def test_marking_attended_issues_a_certificate(booking_a, trainer_a, session):
    records.register_save(session=session, marks={booking_a.pk: "attended"}, actor=trainer_a)
    certificate = Certificate.objects.get(booking=booking_a)
    assert len(certificate.code) == 12
    entry = AuditEntry.objects.get(action="learning.certificate.issued")
    assert entry.actor == trainer_a


def test_did_not_attend_gets_no_certificate(booking_a, trainer_a, session):
    records.register_save(session=session, marks={booking_a.pk: "no_show"}, actor=trainer_a)
    assert not Certificate.objects.exists()
    booking_a.refresh_from_db()
    with pytest.raises(ValidationError):
        records.certificate_issue(booking=booking_a, actor=trainer_a)


def test_no_certificate_until_the_required_evaluation_is_sent(
    booking_a, trainer_a, practitioner_a, session, partnership
):
    session.course.requires_evaluation_for_certificate = True
    session.course.save()
    records.register_save(session=session, marks={booking_a.pk: "attended"}, actor=trainer_a)
    assert not Certificate.objects.exists()
    assert records.certificate_issue_if_due(booking=booking_a, actor=practitioner_a) is None

    _evaluate(booking_a, partnership)
    certificate = records.certificate_issue_if_due(booking=booking_a, actor=practitioner_a)
    assert certificate is not None and certificate.booking_id == booking_a.pk
    # Calling it again returns the same certificate rather than a second one.
    assert records.certificate_issue_if_due(booking=booking_a, actor=practitioner_a) == certificate
    assert Certificate.objects.count() == 1
    assert AuditEntry.objects.filter(action="learning.certificate.issued").count() == 1


def test_correcting_attended_to_did_not_attend_withdraws_the_certificate(
    certificate_a, booking_a, trainer_a, session, client
):
    code = certificate_a.code
    records.register_save(session=session, marks={booking_a.pk: "no_show"}, actor=trainer_a)
    assert not Certificate.objects.filter(booking=booking_a).exists()
    entry = AuditEntry.objects.get(action="learning.certificate.withdrawn")
    assert entry.changes["code"] == code
    assert client.get(reverse("learning:certificate-verify", args=[code])).status_code == 404


# The PDF -------------------------------------------------------------------------------------


def test_holder_downloads_their_certificate_as_pdf(certificate_a, practitioner_a):
    response = signed_in(Client(), practitioner_a).get(
        reverse("learning:certificate-pdf", args=[certificate_a.pk])
    )
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert certificate_a.code in response["Content-Disposition"]
    assert response.content.startswith(b"%PDF")


def test_certificate_pdf_carries_the_details_and_verification_code(certificate_a, settings):
    settings.PARTNERSHIP_NAME = "Testshire Safeguarding Children Partnership"
    pdf = certificate_pdf(certificate_a, compress=False)
    assert pdf.startswith(b"%PDF")
    for text in [
        "Testshire Safeguarding Children Partnership",
        "Certificate of attendance",
        "Paul Police",
        "Safeguarding children: working together",
        "Tia Trainer",
        "Recognise signs of abuse",
        "Know how to refer",
        "Full day",
        certificate_a.code,
        f"{settings.SITE_URL}/certificates/verify/{certificate_a.code}/",
    ]:
        assert text.encode() in pdf, text


def test_other_people_get_404_for_a_certificate(
    certificate_a, practitioner_b, line_manager_a, trainer_a, admin
):
    url = reverse("learning:certificate-pdf", args=[certificate_a.pk])
    for person in [practitioner_b, line_manager_a, trainer_a]:
        assert signed_in(Client(), person).get(url).status_code == 404
    assert signed_in(Client(), admin).get(url).status_code == 200


# Verification --------------------------------------------------------------------------------


def test_verify_page_shows_name_course_and_date_only(certificate_a, client):
    response = client.get(reverse("learning:certificate-verify", args=[certificate_a.code]))
    assert response.status_code == 200
    html = response.content.decode()
    assert "This certificate is valid" in html
    assert "Paul Police" in html
    assert "Safeguarding children: working together" in html
    assert certificate_a.booking.session.starts_at.strftime("%B %Y") in html
    for private in ["paul.police@police.example", "Testshire Police", "Detective constable"]:
        assert private not in html


def test_verify_accepts_a_code_typed_in_lower_case(certificate_a, client):
    url = reverse("learning:certificate-verify", args=[certificate_a.code.lower()])
    assert client.get(url).status_code == 200


def test_verify_unknown_code_is_404(client, db):
    for code in ["ABCDEFGHJKLM", "not-a-code", "0" * 12]:
        response = client.get(reverse("learning:certificate-verify", args=[code]))
        assert response.status_code == 404
        assert "No certificate has this code" in response.content.decode()


# Training record -----------------------------------------------------------------------------


def test_training_record_lists_every_booking_with_its_certificate(
    certificate_a, practitioner_a, course, venue, trainer_a, admin
):
    later = session_services.session_create(
        course=course,
        starts_at=timezone.now() + datetime.timedelta(days=40),
        ends_at=timezone.now() + datetime.timedelta(days=40, hours=3),
        capacity=5,
        trainers=[trainer_a],
        venue=venue,
        actor=admin,
    )
    booking_services.booking_create(session=later, person=practitioner_a, actor=practitioner_a)
    response = signed_in(Client(), practitioner_a).get(reverse("learning:training-record"))
    assert response.status_code == 200
    html = response.content.decode()
    assert html.count("Safeguarding children: working together</a>") == 2
    assert "Attended" in html and "Booked" in html
    assert reverse("learning:certificate-pdf", args=[certificate_a.pk]) in html
    assert "<caption" in html


def test_training_record_links_to_the_evaluation_until_it_is_sent(
    certificate_a, booking_a, practitioner_a, partnership
):
    client = signed_in(Client(), practitioner_a)
    evaluate = reverse("learning:evaluate", args=[booking_a.pk, "immediate"])
    assert evaluate in client.get(reverse("learning:training-record")).content.decode()
    _evaluate(booking_a, partnership)
    assert evaluate not in client.get(reverse("learning:training-record")).content.decode()


def test_training_record_says_the_certificate_waits_for_the_evaluation(
    booking_a, trainer_a, practitioner_a, session
):
    session.course.requires_evaluation_for_certificate = True
    session.course.save()
    records.register_save(session=session, marks={booking_a.pk: "attended"}, actor=trainer_a)
    html = signed_in(Client(), practitioner_a).get(reverse("learning:training-record")).content
    assert b"to get your certificate" in html
    assert b"Download certificate" not in html


def test_line_manager_sees_only_their_own_record(certificate_a, line_manager_a):
    response = signed_in(Client(), line_manager_a).get(reverse("learning:training-record"))
    assert response.status_code == 200
    assert response.context["bookings"] == []
    assert "You have not booked any training yet." in response.content.decode()


def test_training_record_shows_cancellations(session, practitioner_b):
    booking = booking_services.booking_create(
        session=session, person=practitioner_b, actor=practitioner_b
    )
    booking_services.booking_cancel(booking=booking, actor=practitioner_b)
    html = signed_in(Client(), practitioner_b).get(reverse("learning:training-record")).content
    assert b"Cancelled" in html
    assert Booking.objects.get(pk=booking.pk).status == Booking.Status.CANCELLED
