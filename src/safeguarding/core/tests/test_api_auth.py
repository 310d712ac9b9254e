from __future__ import annotations

import pytest
from django.test import Client

from safeguarding.conftest import signed_in

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("url", ["/api/v1/agencies/", "/api/v1/people/", "/api/v1/me/"])
def test_anonymous_gets_401_with_token_challenge(api, url):
    response = api().get(url)
    assert response.status_code == 401
    assert response["WWW-Authenticate"] == "Token"


def test_unknown_token_is_401(api):
    client = api()
    client.credentials(HTTP_AUTHORIZATION="Token not-a-real-key")
    assert client.get("/api/v1/me/").status_code == 401


def test_token_header_authenticates(api, practitioner_a):
    response = api(practitioner_a).get("/api/v1/me/")
    assert response.status_code == 200
    assert response.json()["email"] == practitioner_a.email
    assert response["Cache-Control"] == "no-store"


def test_token_of_deactivated_user_is_refused(api, practitioner_a):
    client = api(practitioner_a)
    practitioner_a.is_active = False
    practitioner_a.save()
    assert client.get("/api/v1/me/").status_code == 401


def test_session_without_second_factor_is_refused(admin):
    client = Client()
    client.force_login(admin)  # password done, second factor not
    response = client.get("/api/v1/people/")
    assert response.status_code == 401


def test_verified_session_works(admin):
    response = signed_in(Client(), admin).get("/api/v1/me/")
    assert response.status_code == 200
    assert response.json()["email"] == admin.email
