from __future__ import annotations

from io import StringIO

import pytest
from django.core.management import CommandError, call_command
from rest_framework.authtoken.models import Token
from rest_framework.test import APIClient

from safeguarding.core.models import AuditEntry

pytestmark = pytest.mark.django_db


def _create_token(email: str) -> str:
    out = StringIO()
    call_command("create_api_token", email, stdout=out)
    return out.getvalue()


def _me(key: str):
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Token {key}")
    return client.get("/api/v1/me/")


def test_command_prints_only_a_working_key(practitioner_a):
    output = _create_token("Paul.Police@police.example")
    key = output.strip()
    assert output == f"{key}\n"
    assert Token.objects.get(user=practitioner_a).key == key
    response = _me(key)
    assert response.status_code == 200
    assert response.json()["id"] == practitioner_a.pk
    entry = AuditEntry.objects.get(action="api.token.created")
    assert entry.object_id == str(practitioner_a.pk)
    assert entry.actor is None
    assert key not in str(entry.changes)


def test_new_key_replaces_the_old_one(practitioner_a):
    old = _create_token(practitioner_a.email).strip()
    new = _create_token(practitioner_a.email).strip()
    assert old != new
    assert Token.objects.filter(user=practitioner_a).count() == 1
    assert _me(old).status_code == 401
    assert _me(new).status_code == 200
    assert AuditEntry.objects.filter(action="api.token.created").count() == 2


def test_unknown_email_is_an_error(db):
    with pytest.raises(CommandError, match="No user"):
        _create_token("nobody@nowhere.example")
    assert not Token.objects.exists()


def test_inactive_user_is_an_error(practitioner_a):
    practitioner_a.is_active = False
    practitioner_a.save()
    with pytest.raises(CommandError, match="deactivated"):
        _create_token(practitioner_a.email)
    assert not Token.objects.exists()
