"""Self-registration with a partner agency's work e-mail, approved by the agency or the unit."""

from __future__ import annotations

import pytest
from django.core import mail
from django.test import Client

from safeguarding.conftest import signed_in
from safeguarding.core.models import AuditEntry
from safeguarding.people import services
from safeguarding.people.models import RegistrationRequest, Role, User


def _form(agency, **overrides):
    data = {
        "given_name": "Nia",
        "family_name": "Newstarter",
        "email": "nia.newstarter@police.example",
        "agency": agency.pk,
        "job_title": "Police constable",
    }
    data.update(overrides)
    return data


@pytest.fixture
def approver_a(agency_a):
    return services.person_create(
        email="amir.approver@police.example",
        given_name="Amir",
        family_name="Approver",
        agency=agency_a,
        roles=[Role.AGENCY_APPROVER],
        password="x" * 20,
    )


@pytest.mark.django_db
def test_email_outside_the_agencys_domains_is_refused(client, agency_a):
    response = client.post("/register/", _form(agency_a, email="nia@gmail.example"))
    assert response.status_code == 200
    assert "Use your work e-mail address at Testshire Police" in response.content.decode()
    assert not RegistrationRequest.objects.exists()


@pytest.mark.django_db
def test_missing_fields_are_reported_and_nothing_saved(client, agency_a):
    response = client.post("/register/", {"email": "not-an-email"})
    body = response.content.decode()
    assert "govuk-error-summary" in body
    assert body.count("govuk-error-message") >= 4
    assert not RegistrationRequest.objects.exists()


@pytest.mark.django_db
def test_request_goes_to_agency_approver_who_approves_it(
    client, agency_a, approver_a, admin, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post("/register/", _form(agency_a))
    assert response.status_code == 302
    request = RegistrationRequest.objects.get()
    assert request.status == RegistrationRequest.Status.PENDING
    assert [m.to for m in mail.outbox] == [[approver_a.email]]

    approver = signed_in(Client(), approver_a)
    assert request.email in approver.get("/registrations/").content.decode()
    with django_capture_on_commit_callbacks(execute=True):
        response = approver.post(
            f"/registrations/{request.pk}/", {"decision": "approve", "roles": [Role.PRACTITIONER]}
        )
    assert response.status_code == 302
    user = User.objects.get(email="nia.newstarter@police.example")
    assert user.memberships.get().agency == agency_a
    assert not user.has_usable_password()
    assert mail.outbox[-1].to == [user.email]
    assert "/password-reset/" in mail.outbox[-1].body
    assert AuditEntry.objects.filter(action="people.registration.approved").exists()


@pytest.mark.django_db
def test_duplicate_request_and_existing_account_are_refused(client, agency_a, practitioner_a):
    client.post("/register/", _form(agency_a))
    again = client.post("/register/", _form(agency_a, email="NIA.newstarter@police.example"))
    assert "already waiting for approval" in again.content.decode()
    existing = client.post("/register/", _form(agency_a, email=practitioner_a.email))
    assert "already exists" in existing.content.decode()
    assert RegistrationRequest.objects.count() == 1


@pytest.mark.django_db
def test_approver_in_another_agency_gets_404(client, agency_a, agency_b):
    services.registration_submit(
        email="nia@police.example",
        given_name="Nia",
        family_name="N",
        agency=agency_a,
        job_title="PC",
    )
    request = RegistrationRequest.objects.get()
    other = services.person_create(
        email="bo.approver@health.example",
        given_name="Bo",
        family_name="Approver",
        agency=agency_b,
        roles=[Role.AGENCY_APPROVER],
    )
    response = signed_in(Client(), other).get(f"/registrations/{request.pk}/")
    assert response.status_code == 404


@pytest.mark.django_db
def test_practitioner_cannot_see_requests(personas):
    assert personas["practitioner_a"].get("/registrations/").status_code == 403


@pytest.mark.django_db
def test_rejection_needs_a_reason_and_is_emailed(
    agency_a, admin, django_capture_on_commit_callbacks
):
    services.registration_submit(
        email="nia@police.example",
        given_name="Nia",
        family_name="N",
        agency=agency_a,
        job_title="PC",
    )
    request = RegistrationRequest.objects.get()
    client = signed_in(Client(), admin)
    response = client.post(f"/registrations/{request.pk}/", {"decision": "reject"})
    assert "Enter the reason for rejecting" in response.content.decode()
    with django_capture_on_commit_callbacks(execute=True):
        client.post(f"/registrations/{request.pk}/", {"decision": "reject", "reason": "Not staff"})
    request.refresh_from_db()
    assert request.status == RegistrationRequest.Status.REJECTED
    assert mail.outbox[-1].to == ["nia@police.example"]
