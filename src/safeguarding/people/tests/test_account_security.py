"""Sign-in and account rules that an attacker would probe: lockout evasion, role escalation,
secrets in the audit trail, addresses behind proxies."""

from __future__ import annotations

import pytest
from django.conf import settings
from django.core.exceptions import ValidationError
from django.test import Client
from rest_framework.authtoken.models import Token

from safeguarding.conftest import signed_in
from safeguarding.core.models import AuditEntry
from safeguarding.people import services
from safeguarding.people.models import RegistrationRequest, Role

PASSWORD = "correct horse battery staple"


def _sign_in(client, email, password=PASSWORD):
    return client.post("/sign-in/", {"username": email, "password": password})


@pytest.mark.django_db
def test_changing_capitals_does_not_dodge_the_account_lock(board_member):
    variants = ["bea.board@police.example", "BEA.board@police.example", "Bea.Board@Police.Example"]
    for n in range(settings.AXES_FAILURE_LIMIT):
        _sign_in(Client(REMOTE_ADDR=f"10.1.0.{n}"), variants[n % 3], "wrong")
    response = _sign_in(Client(REMOTE_ADDR="10.1.1.1"), "bEa.BOARD@police.example")
    assert response.status_code == 429


@pytest.mark.django_db
def test_signing_in_to_your_own_account_does_not_clear_failures_against_another(
    board_member, practitioner_b
):
    client = Client(REMOTE_ADDR="10.2.0.1")
    for _ in range(settings.AXES_FAILURE_LIMIT - 1):
        _sign_in(client, board_member.email, "wrong")
    assert _sign_in(client, practitioner_b.email).status_code == 302
    client = Client(REMOTE_ADDR="10.2.0.2")
    _sign_in(client, board_member.email, "wrong")
    assert _sign_in(Client(REMOTE_ADDR="10.2.0.3"), board_member.email).status_code == 429


@pytest.mark.django_db
def test_behind_a_proxy_the_lock_is_per_real_client(board_member, practitioner_b, settings):
    settings.TRUSTED_PROXY_COUNT = 1
    for n in range(settings.AXES_FAILURE_LIMIT):
        Client(REMOTE_ADDR="172.16.0.1", HTTP_X_FORWARDED_FOR=f"203.0.113.{n}").post(
            "/sign-in/", {"username": f"nobody{n}@police.example", "password": "x"}
        )
    other = Client(REMOTE_ADDR="172.16.0.1", HTTP_X_FORWARDED_FOR="198.51.100.77")
    assert _sign_in(other, board_member.email).status_code == 302
    failed = AuditEntry.objects.filter(action="people.user.sign_in_failed").first()
    assert failed.client_address.startswith("203.0.113.")


@pytest.mark.django_db
def test_garbage_forwarded_address_is_not_stored(board_member, settings):
    settings.TRUSTED_PROXY_COUNT = 1
    Client(REMOTE_ADDR="172.16.0.1", HTTP_X_FORWARDED_FOR="not-an-address").post(
        "/sign-in/", {"username": board_member.email, "password": "wrong"}
    )
    assert AuditEntry.objects.get(action="people.user.sign_in_failed").client_address is None


@pytest.mark.django_db
def test_deactivated_message_is_not_a_password_oracle_once_locked(board_member):
    services.user_deactivate(user=board_member, reason="Left")
    client = Client(REMOTE_ADDR="10.3.0.1")
    for _ in range(settings.AXES_FAILURE_LIMIT):
        _sign_in(client, board_member.email, "wrong")
    response = _sign_in(client, board_member.email)
    assert response.status_code == 429
    assert "deactivated" not in response.content.decode()


@pytest.mark.django_db
def test_passwords_never_reach_the_audit_trail(personas, admin):
    admin.is_staff = admin.is_superuser = True
    admin.save()
    secret = "Sup3r-Secret-Pw-42"
    response = personas["admin"].post(
        "/admin/people/user/add/",
        {
            "email": "new.person@police.example",
            "usable_password": "true",
            "password1": secret,
            "password2": secret,
        },
    )
    assert response.status_code == 302
    dumped = str(list(AuditEntry.objects.values_list("changes", flat=True)))
    assert secret not in dumped


@pytest.mark.django_db
def test_password_reset_and_admin_password_change_are_audited(personas, admin, board_member):
    admin.is_staff = admin.is_superuser = True
    admin.save()
    response = personas["admin"].post(
        f"/admin/people/user/{board_member.pk}/password/",
        {
            "usable_password": "true",
            "password1": "another long password 1",
            "password2": "another long password 1",
        },
    )
    assert response.status_code == 302
    assert AuditEntry.objects.filter(action="people.user.password_set_in_admin").exists()


@pytest.mark.django_db
def test_audit_csv_neutralises_formulas(personas, agency_a):
    services.registration_submit(
        email="x@police.example",
        given_name='=HYPERLINK("http://evil.example")',
        family_name="Smith",
        agency=agency_a,
        job_title="PC",
    )
    export = personas["auditor"].get("/audit/", {"format": "csv"})
    body = b"".join(export.streaming_content).decode()
    assert ',"=HYPERLINK' not in body and ",=HYPERLINK" not in body
    assert "'=HYPERLINK" in body


@pytest.mark.django_db
def test_approver_can_only_give_everyday_roles(agency_a):
    approver = services.person_create(
        email="amir.approver@police.example",
        given_name="Amir",
        family_name="Approver",
        agency=agency_a,
        roles=[Role.AGENCY_APPROVER],
    )
    services.registration_submit(
        email="eve@police.example",
        given_name="Eve",
        family_name="E",
        agency=agency_a,
        job_title="PC",
    )
    registration = RegistrationRequest.objects.get()
    with pytest.raises(ValidationError, match="Health records analyst"):
        services.registration_approve(
            registration=registration, actor=approver, roles=[Role.HEALTH_RECORDS_ANALYST]
        )
    page = signed_in(Client(), approver).get(f"/registrations/{registration.pk}/")
    assert "health_records_analyst" not in page.content.decode()
    services.registration_approve(
        registration=registration, actor=approver, roles=[Role.PRACTITIONER, Role.TRAINER]
    )


@pytest.mark.django_db
def test_nobody_changes_their_own_roles(admin):
    membership = admin.memberships.get()
    with pytest.raises(ValidationError, match="your own roles"):
        services.membership_update(
            membership=membership, actor=admin, roles=[Role.ADMIN, Role.HEALTH_RECORDS_ANALYST]
        )


@pytest.mark.django_db
def test_business_unit_cannot_appoint_admins_or_auditors(admin, practitioner_a):
    membership = practitioner_a.memberships.get()
    with pytest.raises(ValidationError, match="Auditor"):
        services.membership_update(
            membership=membership, actor=admin, roles=[Role.PRACTITIONER, Role.AUDITOR]
        )
    services.membership_update(
        membership=membership, actor=admin, roles=[Role.PRACTITIONER, Role.TRAINER]
    )


@pytest.mark.django_db
def test_agency_approvers_need_a_second_factor(agency_a):
    from safeguarding.people.permissions import requires_two_factor

    approver = services.person_create(
        email="amir.approver@police.example",
        given_name="Amir",
        family_name="Approver",
        agency=agency_a,
        roles=[Role.AGENCY_APPROVER],
    )
    assert requires_two_factor(approver)


@pytest.mark.django_db
def test_line_breaks_in_names_are_refused_on_registration(client, agency_a):
    response = client.post(
        "/register/",
        {
            "given_name": "Eve\nBcc: everyone@police.example",
            "family_name": "E",
            "email": "eve@police.example",
            "agency": agency_a.pk,
            "job_title": "PC",
        },
    )
    assert response.status_code == 200
    assert "on one line" in response.content.decode()
    assert not RegistrationRequest.objects.exists()


@pytest.mark.django_db
def test_deactivation_revokes_the_api_key(board_member):
    Token.objects.create(user=board_member)
    services.user_deactivate(user=board_member, reason="Left")
    services.user_reactivate(user=board_member, actor=None)
    assert not Token.objects.filter(user=board_member).exists()


@pytest.mark.django_db
def test_idle_session_ends(client, board_member):
    import datetime

    from django.contrib.sessions.models import Session
    from django.utils import timezone

    signed_in(client, board_member)
    assert client.get("/account/").status_code == 200
    key = client.cookies[settings.SESSION_COOKIE_NAME].value
    stored = Session.objects.get(session_key=key)
    remaining = stored.expire_date - timezone.now()
    assert datetime.timedelta(minutes=settings.SESSION_IDLE_MINUTES - 1) < remaining
    assert remaining <= datetime.timedelta(minutes=settings.SESSION_IDLE_MINUTES)
    Session.objects.filter(session_key=key).update(
        expire_date=timezone.now() - datetime.timedelta(seconds=1)
    )
    response = client.get("/account/")
    assert response.status_code == 302 and response["Location"].startswith("/sign-in/")
