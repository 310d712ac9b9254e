"""Smoke test: every people page renders for each persona with the expected status."""

from __future__ import annotations

import re

import pytest

pytestmark = pytest.mark.django_db

SIGNED_IN = ["admin", "practitioner_a", "practitioner_b", "line_manager_a", "auditor"]


def _assert_page(response, status: int, path: str, persona: str) -> None:
    assert response.status_code == status, (persona, path, response.status_code)
    if status == 200 and response["Content-Type"].startswith("text/html"):
        html = response.content.decode()
        assert html.count("<h1") == 1, (persona, path, "exactly one h1")
        assert 'style="' not in html, (persona, path, "inline style attribute")
        assert not re.search(r"<script(?![^>]*\bsrc=)", html), (persona, path, "inline script")


@pytest.mark.parametrize("persona", SIGNED_IN)
def test_signed_in_pages(personas, persona, agency_a, practitioner_a):
    client = personas[persona]
    is_admin = persona == "admin"
    # Practitioner B (agency B) and the auditor (no VIEW_AGENCY_PEOPLE) cannot see agency A's staff.
    can_see_practitioner_a = persona in ("admin", "practitioner_a", "line_manager_a")
    expected = {
        "/": 200,
        "/account/": 200,
        "/agencies/": 200,
        f"/agencies/{agency_a.pk}/": 200,
        "/people/": 200,
        f"/people/{practitioner_a.pk}/": 200 if can_see_practitioner_a else 404,
        "/registrations/": 200 if is_admin else 403,
        "/agencies/new/": 200 if is_admin else 403,
        "/people/new/": 200 if is_admin else 403,
    }
    if is_admin:
        expected[f"/agencies/{agency_a.pk}/edit/"] = 200
        expected[f"/people/{practitioner_a.pk}/edit/"] = 200
    for path, status in expected.items():
        _assert_page(client.get(path), status, path, persona)


@pytest.mark.parametrize(
    "path",
    [
        "/sign-in/",
        "/register/",
        "/password-reset/",
        "/password-reset/sent/",
        "/password-reset/complete/",
        "/register/sent/",
        "/password-reset/bad/link/",
    ],
)
def test_anonymous_pages(client, path):
    _assert_page(client.get(path), 200, path, "anonymous")


def test_search_and_filters_render(personas, agency_a):
    admin = personas["admin"]
    response = admin.get("/agencies/", {"q": "Police", "sector": "police"})
    _assert_page(response, 200, "/agencies/?q", "admin")
    assert b"Testshire Police" in response.content
    assert b'<option value="police" selected>' in response.content
    response = admin.get("/people/", {"q": "zzz-nobody", "role": "practitioner"})
    _assert_page(response, 200, "/people/?q", "admin")
    assert b"No people found" in response.content


def test_form_errors_render(client, personas):
    response = client.post("/sign-in/", {"username": "", "password": ""})
    _assert_page(response, 200, "/sign-in/ POST", "anonymous")
    assert b"govuk-error-summary" in response.content
    response = personas["admin"].post("/agencies/new/", {"name": ""})
    _assert_page(response, 200, "/agencies/new/ POST", "admin")
    assert b"govuk-error-summary" in response.content


def test_two_factor_pages_render(client, practitioner_b):
    client.force_login(practitioner_b)
    response = client.get("/two-factor/set-up/")
    _assert_page(response, 200, "/two-factor/set-up/", "practitioner_b")
    assert b"time-based" in response.content
    assert client.get("/two-factor/qr.svg").status_code == 200


def test_registration_decide_renders(personas, agency_a):
    from safeguarding.people import services

    registration = services.registration_submit(
        email="new.person@police.example",
        given_name="New",
        family_name="Person",
        agency=agency_a,
        job_title="PC",
    )
    admin = personas["admin"]
    response = admin.get("/registrations/")
    _assert_page(response, 200, "/registrations/", "admin")
    assert b"new.person@police.example" in response.content
    path = f"/registrations/{registration.pk}/"
    response = admin.get(path)
    _assert_page(response, 200, path, "admin")
    assert b"Save decision" in response.content


def test_locked_out_page_renders(client, settings, practitioner_a):
    for _ in range(settings.AXES_FAILURE_LIMIT + 1):
        response = client.post(
            "/sign-in/", {"username": practitioner_a.email, "password": "wrong password"}
        )
    assert response.status_code == 429
    html = response.content.decode()
    assert html.count("<h1") == 1
    assert "Your account is locked for now" in html
    minutes = int(settings.AXES_COOLOFF_TIME.total_seconds() // 60)
    assert f"try again in {minutes} minutes" in html
