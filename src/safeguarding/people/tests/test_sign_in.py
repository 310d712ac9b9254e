"""Signing in: passwords, lockout, two-factor authentication, password reset, session expiry."""

from __future__ import annotations

import re

import pytest
from django.conf import settings
from django.core import mail
from django.test import Client
from django_otp.oath import totp
from django_otp.plugins.otp_totp.models import TOTPDevice

from safeguarding.core.models import AuditEntry

PASSWORD = "correct horse battery staple"


def _code(device: TOTPDevice, drift: int = 0) -> str:
    return f"{totp(device.bin_key, step=device.step, t0=device.t0, drift=drift):06d}"


def _sign_in(client, email, password=PASSWORD, **extra):
    return client.post("/sign-in/", {"username": email, "password": password}, **extra)


@pytest.mark.django_db
def test_board_member_signs_in_without_second_factor(client, board_member):
    response = _sign_in(client, "BEA.board@police.example")  # e-mail is case-insensitive
    assert response.status_code == 302
    assert response["Location"] == "/"
    assert client.get("/account/").status_code == 200
    assert AuditEntry.objects.filter(action="people.user.signed_in", actor=board_member).exists()


@pytest.mark.django_db
def test_wrong_password_shows_error_summary_and_is_audited(client, board_member):
    response = _sign_in(client, board_member.email, "wrong password")
    assert response.status_code == 200
    body = response.content.decode()
    assert "govuk-error-summary" in body
    assert "Enter a correct e-mail address and password" in body
    assert AuditEntry.objects.filter(action="people.user.sign_in_failed").exists()


@pytest.mark.django_db
def test_practitioner_must_set_up_two_factor_before_anything_else(client, practitioner_a):
    _sign_in(client, practitioner_a.email)
    response = client.get("/people/")
    assert response.status_code == 302
    assert response["Location"].startswith("/two-factor/set-up/")

    page = client.get("/two-factor/set-up/")
    assert page.status_code == 200
    assert client.get("/two-factor/qr.svg")["Content-Type"] == "image/svg+xml"
    device = TOTPDevice.objects.get(user=practitioner_a, confirmed=False)

    wrong = client.post(
        "/two-factor/set-up/", {"token": "000000" if _code(device) != "000000" else "111111"}
    )
    assert wrong.status_code == 200
    assert "govuk-error-summary" in wrong.content.decode()

    device.refresh_from_db()
    device.throttle_reset()  # a wrong code makes the next try wait
    done = client.post("/two-factor/set-up/", {"token": _code(device), "next": "/people/"})
    assert done.status_code == 302
    assert done["Location"] == "/people/"
    device.refresh_from_db()
    assert device.confirmed
    assert client.get("/people/").status_code == 200
    assert AuditEntry.objects.filter(action="people.user.second_factor_added").exists()


@pytest.mark.django_db
def test_user_with_device_must_enter_code_each_sign_in(client, practitioner_a):
    device = TOTPDevice.objects.create(user=practitioner_a, name="app", confirmed=True)
    _sign_in(client, practitioner_a.email)
    response = client.get("/agencies/")
    assert response["Location"].startswith("/two-factor/verify/")
    bad = client.post("/two-factor/verify/", {"token": "12ab56"})
    assert "Enter the code as 6 digits" in bad.content.decode()
    ok = client.post("/two-factor/verify/", {"token": _code(device), "next": "/agencies/"})
    assert ok["Location"] == "/agencies/"
    assert client.get("/agencies/").status_code == 200


@pytest.mark.django_db
def test_next_parameter_cannot_send_users_to_another_site(client, board_member):
    response = client.post(
        "/sign-in/?next=https://evil.example/",
        {"username": board_member.email, "password": PASSWORD},
    )
    assert response["Location"] == "/"


@pytest.mark.django_db
def test_board_member_may_turn_optional_two_factor_off(client, board_member):
    from safeguarding.conftest import signed_in

    signed_in(client, board_member)
    response = client.post("/account/two-factor/remove/")
    assert response.status_code == 302
    assert not TOTPDevice.objects.filter(user=board_member).exists()


@pytest.mark.django_db
def test_practitioner_may_not_turn_required_two_factor_off(client, practitioner_a):
    from safeguarding.conftest import signed_in

    signed_in(client, practitioner_a)
    assert client.post("/account/two-factor/remove/").status_code == 403
    assert TOTPDevice.objects.filter(user=practitioner_a).exists()


@pytest.mark.django_db
def test_account_is_locked_after_repeated_failures_even_with_right_password(board_member):
    client = Client(REMOTE_ADDR="10.0.0.1")
    for _ in range(settings.AXES_FAILURE_LIMIT):
        _sign_in(client, board_member.email, "wrong password")
    # The right password from another address is refused too: the lock is on the account.
    other = Client(REMOTE_ADDR="10.0.0.2")
    response = _sign_in(other, board_member.email)
    assert response.status_code == 429
    assert "locked" in response.content.decode().lower()
    assert "_auth_user_id" not in other.session


@pytest.mark.django_db
def test_address_is_locked_after_failures_across_accounts(board_member, practitioner_b):
    client = Client(REMOTE_ADDR="10.0.0.9")
    for n in range(settings.AXES_ADDRESS_FAILURE_LIMIT):
        _sign_in(client, f"nobody{n}@police.example", "wrong password")
    response = _sign_in(client, board_member.email)
    assert response.status_code == 429
    # Another address can still sign in to that account.
    assert _sign_in(Client(REMOTE_ADDR="10.0.0.10"), board_member.email).status_code == 302


@pytest.mark.django_db
def test_deactivated_account_is_told_so(client, board_member):
    from safeguarding.people.services import user_deactivate

    user_deactivate(user=board_member, reason="Left the agency")
    response = _sign_in(client, board_member.email)
    assert response.status_code == 200
    assert "deactivated" in response.content.decode()


@pytest.mark.django_db
def test_password_reset_by_email(client, board_member):
    response = client.post("/password-reset/", {"email": board_member.email})
    assert response.status_code == 302
    assert len(mail.outbox) == 1
    link = re.search(r"https?://[^\s]+/password-reset/[^\s]+/", mail.outbox[0].body).group(0)
    path = link.split("://", 1)[1].split("/", 1)[1]
    form_page = client.get("/" + path, follow=True)
    assert form_page.status_code == 200
    new_password = "a brand new long passphrase"
    done = client.post(
        form_page.redirect_chain[-1][0],
        {"new_password1": new_password, "new_password2": new_password},
    )
    assert done.status_code == 302
    board_member.refresh_from_db()
    assert board_member.check_password(new_password)


@pytest.mark.django_db
def test_password_reset_for_unknown_address_reveals_nothing(client, board_member):
    response = client.post("/password-reset/", {"email": "nobody@police.example"})
    assert response.status_code == 302
    assert mail.outbox == []


@pytest.mark.django_db
def test_sign_out_requires_post_and_ends_session(client, board_member):
    from safeguarding.conftest import signed_in

    signed_in(client, board_member)
    assert client.get("/sign-out/").status_code == 405
    assert client.post("/sign-out/").status_code == 302
    assert client.get("/account/").status_code == 302
