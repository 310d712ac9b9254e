"""Account housekeeping commands and rules."""

from __future__ import annotations

import datetime
import os
import subprocess
import sys
from io import StringIO
from pathlib import Path

import pytest
from django.core.exceptions import ValidationError
from django.core.management import call_command
from django.utils import timezone

from safeguarding.core.models import AuditEntry
from safeguarding.people import services
from safeguarding.people.models import User

ROOT = Path(__file__).resolve().parents[4]


@pytest.mark.django_db
def test_unused_accounts_are_deactivated(practitioner_a, practitioner_b):
    long_ago = timezone.now() - datetime.timedelta(days=200)
    User.objects.filter(pk=practitioner_a.pk).update(last_login=long_ago, date_joined=long_ago)
    User.objects.filter(pk=practitioner_b.pk).update(last_login=timezone.now())
    out = StringIO()
    call_command("deactivate_unused_accounts", "--days", "180", stdout=out)
    practitioner_a.refresh_from_db()
    practitioner_b.refresh_from_db()
    assert not practitioner_a.is_active
    assert practitioner_b.is_active
    assert "1 account(s) deactivated" in out.getvalue()
    assert AuditEntry.objects.filter(
        action="people.user.deactivated", object_id=str(practitioner_a.pk)
    ).exists()


@pytest.mark.django_db
def test_dry_run_changes_nothing(practitioner_a):
    long_ago = timezone.now() - datetime.timedelta(days=400)
    User.objects.filter(pk=practitioner_a.pk).update(date_joined=long_ago)
    out = StringIO()
    call_command("deactivate_unused_accounts", "--dry-run", stdout=out)
    assert practitioner_a.email in out.getvalue()
    practitioner_a.refresh_from_db()
    assert practitioner_a.is_active


@pytest.mark.django_db
def test_emails_are_unique_case_insensitively(agency_a, practitioner_a):
    with pytest.raises(ValidationError):
        services.person_create(
            email=practitioner_a.email.upper(), given_name="X", family_name="Y", agency=agency_a
        )


@pytest.mark.django_db
def test_createsuperuser_noinput(monkeypatch):
    monkeypatch.setenv("DJANGO_SUPERUSER_PASSWORD", "a long enough password 123")
    call_command("createsuperuser", "--noinput", "--email", "Root@SCP.example", stdout=StringIO())
    user = User.objects.get(email="root@scp.example")
    assert user.is_superuser and user.check_password("a long enough password 123")


def _manage(*args, **env):
    clean = {
        k: v
        for k, v in os.environ.items()
        if k not in {"DEBUG", "SECRET_KEY", "TESTING", "DATABASE_URL", "DJANGO_ALLOW_ASYNC_UNSAFE"}
    }
    clean.update(env)
    return subprocess.run(
        [sys.executable, str(ROOT / "manage.py"), *args],
        env=clean,
        capture_output=True,
        text=True,
        timeout=120,
    )


def test_refuses_to_start_without_secret_key_when_debug_is_off():
    result = _manage("check")
    assert result.returncode != 0
    assert "SECRET_KEY must be set" in result.stderr


def test_rejects_a_malformed_boolean():
    result = _manage("check", DEBUG="maybe")
    assert result.returncode != 0
    assert "DEBUG must be one of" in result.stderr


def test_deploy_checks_pass_in_production_settings():
    result = _manage(
        "check",
        "--deploy",
        "--fail-level",
        "WARNING",
        SECRET_KEY="x" * 20 + "production-secret-key-for-the-check-only-123456",
        ALLOWED_HOSTS="scp.example",
        SITE_URL="https://scp.example",
        DATABASE_URL="sqlite:////tmp/deploy-check.db",
    )
    assert result.returncode == 0, result.stdout + result.stderr


def test_passwords_are_hashed_with_argon2_outside_the_test_suite():
    result = _manage(
        "shell",
        "-c",
        "from django.contrib.auth.hashers import make_password; print(make_password('x'))",
        DEBUG="true",
        DATABASE_URL="sqlite:////tmp/hasher-check.db",
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip().splitlines()[-1].startswith("argon2$argon2id$")


@pytest.mark.django_db
def test_admin_deactivates_with_a_reason_and_reactivates(personas, practitioner_a, client):
    from safeguarding.conftest import signed_in

    admin = personas["admin"]
    missing = admin.post(f"/people/{practitioner_a.pk}/deactivate/", {"reason": ""})
    assert missing.status_code == 200
    assert "govuk-error-summary" in missing.content.decode()
    practitioner_a.refresh_from_db()
    assert practitioner_a.is_active

    session = signed_in(client, practitioner_a)
    admin.post(f"/people/{practitioner_a.pk}/deactivate/", {"reason": "Left the agency"})
    practitioner_a.refresh_from_db()
    assert not practitioner_a.is_active
    assert practitioner_a.deactivation_reason == "Left the agency"
    # Their open session ends with the deactivation.
    assert session.get("/account/").status_code == 302

    admin.post(f"/people/{practitioner_a.pk}/reactivate/")
    practitioner_a.refresh_from_db()
    assert practitioner_a.is_active and practitioner_a.reactivated_at is not None
    assert AuditEntry.objects.filter(action="people.user.reactivated").exists()
    # A reactivated account is not deactivated again at once for having been unused.
    User.objects.filter(pk=practitioner_a.pk).update(
        date_joined=timezone.now() - datetime.timedelta(days=400)
    )
    call_command("deactivate_unused_accounts", stdout=StringIO())
    practitioner_a.refresh_from_db()
    assert practitioner_a.is_active


@pytest.mark.django_db
def test_practitioner_cannot_deactivate_anyone(personas, practitioner_b):
    response = personas["practitioner_a"].post(
        f"/people/{practitioner_b.pk}/deactivate/", {"reason": "x"}
    )
    assert response.status_code == 403
    practitioner_b.refresh_from_db()
    assert practitioner_b.is_active


@pytest.mark.django_db
def test_admin_cannot_deactivate_themselves(personas, admin):
    response = personas["admin"].post(f"/people/{admin.pk}/deactivate/", {"reason": "x"})
    assert response.status_code == 403


@pytest.mark.django_db
def test_admin_removes_a_lost_authenticator(personas, practitioner_a):
    from django_otp.plugins.otp_totp.models import TOTPDevice

    TOTPDevice.objects.create(user=practitioner_a, name="old phone", confirmed=True)
    page = personas["admin"].get(f"/people/{practitioner_a.pk}/")
    assert "Remove their authenticator app" in page.content.decode()
    personas["admin"].post(f"/people/{practitioner_a.pk}/reset-two-factor/")
    assert not TOTPDevice.objects.filter(user=practitioner_a).exists()
    assert AuditEntry.objects.filter(
        action="people.user.second_factor_removed", object_id=str(practitioner_a.pk)
    ).exists()
    assert (
        personas["practitioner_b"]
        .post(f"/people/{practitioner_a.pk}/reset-two-factor/")
        .status_code
        == 403
    )
