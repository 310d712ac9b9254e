"""Issue 15: API tokens end with a password change, the session id changes when the second
factor is given, wrong codes are throttled atomically, and the lockout keeps accounts and
addresses apart."""

from __future__ import annotations

import re
import threading
import time
from unittest import mock

import pytest
from django.conf import settings
from django.core import mail
from django.db import connection
from django.test import Client
from django_otp.oath import TOTP, totp
from django_otp.plugins.otp_totp.models import TOTPDevice
from rest_framework.authtoken.models import Token

from safeguarding.conftest import signed_in
from safeguarding.core.models import AuditEntry
from safeguarding.people import services

PASSWORD = "correct horse battery staple"


def _code(device: TOTPDevice) -> str:
    return f"{totp(device.bin_key, step=device.step, t0=device.t0, drift=device.drift):06d}"


def _sign_in(client, email, password=PASSWORD):
    return client.post("/sign-in/", {"username": email, "password": password})


# API tokens ---------------------------------------------------------------------------------


@pytest.mark.django_db
def test_password_reset_by_email_revokes_api_tokens(client, board_member):
    services.api_token_create(user=board_member, actor=board_member)
    client.post("/password-reset/", {"email": board_member.email})
    link = re.search(r"https?://[^\s]+/password-reset/[^\s]+/", mail.outbox[0].body).group(0)
    form_page = client.get("/" + link.split("://", 1)[1].split("/", 1)[1], follow=True)
    new_password = "a brand new long passphrase"
    done = client.post(
        form_page.redirect_chain[-1][0],
        {"new_password1": new_password, "new_password2": new_password},
    )
    assert done.status_code == 302
    assert not Token.objects.filter(user=board_member).exists()
    assert AuditEntry.objects.filter(
        action="api.token.revoked", object_id=str(board_member.pk)
    ).exists()


@pytest.mark.django_db
def test_password_set_in_admin_revokes_api_tokens(client, board_member):
    from safeguarding.people.models import User

    admin = User.objects.create_superuser(email="root@example.org", password=PASSWORD)
    signed_in(client, admin)
    services.api_token_create(user=board_member, actor=board_member)
    new_password = "another long new passphrase"
    response = client.post(
        f"/admin/people/user/{board_member.pk}/password/",
        {"password1": new_password, "password2": new_password, "usable_password": "true"},
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    board_member.refresh_from_db()
    assert board_member.check_password(new_password)
    assert not Token.objects.filter(user=board_member).exists()


@pytest.mark.django_db
def test_password_set_service_revokes_api_tokens(board_member):
    services.api_token_create(user=board_member, actor=board_member)
    services.password_set(user=board_member, password="yet another passphrase", actor=None)
    board_member.refresh_from_db()
    assert board_member.check_password("yet another passphrase")
    assert not Token.objects.filter(user=board_member).exists()


@pytest.mark.django_db
def test_deactivation_still_revokes_api_tokens(board_member):
    services.api_token_create(user=board_member, actor=board_member)
    services.user_deactivate(user=board_member, reason="Left the agency")
    assert not Token.objects.filter(user=board_member).exists()


# Session id and the second factor ----------------------------------------------------------


@pytest.mark.django_db
def test_session_id_changes_when_the_second_factor_is_verified(client, practitioner_a):
    device = TOTPDevice.objects.create(user=practitioner_a, name="app", confirmed=True)
    _sign_in(client, practitioner_a.email)
    before = client.session.session_key
    response = client.post("/two-factor/verify/", {"token": _code(device), "next": "/agencies/"})
    assert response["Location"] == "/agencies/"
    after = client.session.session_key
    assert after != before
    assert client.get("/agencies/").status_code == 200
    # The old session id is worth nothing now.
    stolen = Client()
    stolen.cookies[settings.SESSION_COOKIE_NAME] = before
    assert stolen.get("/agencies/").status_code == 302


@pytest.mark.django_db
def test_session_id_changes_when_the_second_factor_is_set_up(client, practitioner_a):
    _sign_in(client, practitioner_a.email)
    client.get("/two-factor/set-up/")
    before = client.session.session_key
    device = TOTPDevice.objects.get(user=practitioner_a, confirmed=False)
    response = client.post("/two-factor/set-up/", {"token": _code(device)})
    assert response.status_code == 302
    assert client.session.session_key != before
    assert client.get("/agencies/").status_code == 200


# Atomic throttle (PostgreSQL) ----------------------------------------------------------------


@pytest.mark.django_db(transaction=True)
def test_parallel_wrong_codes_are_checked_once_per_throttle_window(practitioner_a):
    if connection.vendor != "postgresql":
        pytest.skip("Parallel code checks are tested on PostgreSQL (SQLite serialises writers).")
    device = TOTPDevice.objects.create(user=practitioner_a, name="app", confirmed=True)
    wrong = f"{(int(_code(device)) + 500000) % 1000000:06d}"
    clients = [Client() for _ in range(20)]
    for one in clients:
        one.force_login(practitioner_a)
    checks: list[int] = []
    real_verify = TOTP.verify

    def slow_verify(self, *args, **kwargs):
        checks.append(1)
        time.sleep(0.2)  # widens the window between the throttle check and its update
        return real_verify(self, *args, **kwargs)

    barrier = threading.Barrier(len(clients))
    statuses: list[object] = [None] * len(clients)

    def attempt(index, one):
        try:
            barrier.wait(timeout=30)
            statuses[index] = one.post("/two-factor/verify/", {"token": wrong}).status_code
        except Exception as error:  # noqa: BLE001 - reported by the assertions
            statuses[index] = repr(error)
        finally:
            connection.close()

    with mock.patch.object(TOTP, "verify", slow_verify):
        threads = [threading.Thread(target=attempt, args=(i, c)) for i, c in enumerate(clients)]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join(timeout=120)

    assert statuses == [200] * len(clients), statuses
    # The throttle allows one try, then asks for a wait of at least a second: one check only.
    assert len(checks) == 1, len(checks)
    device.refresh_from_db()
    assert device.throttling_failure_count == 1


@pytest.mark.django_db
def test_second_factor_check_service_counts_failures(practitioner_a):
    device = TOTPDevice.objects.create(user=practitioner_a, name="app", confirmed=True)
    assert services.second_factor_check(device=device, token="000000x") is False
    device.refresh_from_db()
    assert device.throttling_failure_count == 1
    # Within the window, even the right code is not checked.
    assert services.second_factor_check(device=device, token=_code(device)) is False


# Lockout by account and by address -----------------------------------------------------------


@pytest.mark.django_db
def test_one_persons_wrong_passwords_do_not_lock_a_colleague_on_the_same_address(
    board_member, practitioner_b
):
    shared = "10.20.0.1"
    for _ in range(settings.AXES_FAILURE_LIMIT):
        _sign_in(Client(REMOTE_ADDR=shared), board_member.email, "wrong password")
    # The colleague behind the same address signs in.
    colleague = Client(REMOTE_ADDR=shared)
    assert _sign_in(colleague, practitioner_b.email).status_code == 302
    assert "_auth_user_id" in colleague.session
    # The account that was guessed at is locked, from that address and from any other.
    assert _sign_in(Client(REMOTE_ADDR=shared), board_member.email).status_code == 429
    assert _sign_in(Client(REMOTE_ADDR="10.20.0.2"), board_member.email).status_code == 429


@pytest.mark.django_db
def test_an_address_trying_many_accounts_is_locked(board_member):
    address = "10.30.0.1"
    assert settings.AXES_ADDRESS_FAILURE_LIMIT > settings.AXES_FAILURE_LIMIT
    for n in range(settings.AXES_ADDRESS_FAILURE_LIMIT):
        _sign_in(Client(REMOTE_ADDR=address), f"nobody{n}@police.example", "wrong password")
    assert _sign_in(Client(REMOTE_ADDR=address), board_member.email).status_code == 429
    # Below the address limit, a further account from that address was not locked.
    assert _sign_in(Client(REMOTE_ADDR="10.30.0.2"), board_member.email).status_code == 302


@pytest.mark.django_db
def test_an_address_below_its_limit_is_not_locked(board_member):
    address = "10.40.0.1"
    for n in range(settings.AXES_ADDRESS_FAILURE_LIMIT - 1):
        _sign_in(Client(REMOTE_ADDR=address), f"nobody{n}@police.example", "wrong password")
    assert _sign_in(Client(REMOTE_ADDR=address), board_member.email).status_code == 302


@pytest.mark.parametrize(
    ("value", "message"),
    [
        ("5", "must be greater than LOCKOUT_FAILURE_LIMIT"),
        ("twenty", "LOCKOUT_ADDRESS_FAILURE_LIMIT"),
        ("0", "LOCKOUT_ADDRESS_FAILURE_LIMIT"),
    ],
)
def test_address_limit_setting_is_strictly_parsed(value, message):
    import os
    import subprocess
    import sys

    import safeguarding

    source = os.path.dirname(os.path.dirname(safeguarding.__file__))
    env = {
        **os.environ,
        "DEBUG": "true",
        "PYTHONPATH": source,
        "LOCKOUT_ADDRESS_FAILURE_LIMIT": value,
    }
    env.pop("LOCKOUT_FAILURE_LIMIT", None)
    result = subprocess.run(  # noqa: S603
        [sys.executable, "-c", "import safeguarding.settings"],
        env=env,
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode != 0
    assert message in result.stderr
