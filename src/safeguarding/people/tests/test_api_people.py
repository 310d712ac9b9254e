from __future__ import annotations

import pytest

from safeguarding.people.models import Role

pytestmark = pytest.mark.django_db


def _emails(response) -> set[str]:
    assert response.status_code == 200, response.content
    return {person["email"] for person in response.json()["results"]}


def test_practitioner_b_cannot_retrieve_practitioner_a(api, practitioner_a, practitioner_b):
    response = api(practitioner_b).get(f"/api/v1/people/{practitioner_a.pk}/")
    assert response.status_code == 404


def test_practitioner_b_does_not_list_practitioner_a(api, practitioner_a, practitioner_b):
    emails = _emails(api(practitioner_b).get("/api/v1/people/"))
    assert practitioner_a.email not in emails
    assert practitioner_b.email in emails


def test_practitioner_sees_colleagues_in_own_agency(
    api, practitioner_a, line_manager_a, practitioner_b
):
    emails = _emails(api(practitioner_a).get("/api/v1/people/"))
    assert emails == {practitioner_a.email, line_manager_a.email}
    response = api(practitioner_a).get(f"/api/v1/people/{line_manager_a.pk}/")
    assert response.status_code == 200


def test_admin_sees_everyone(api, admin, practitioner_a, practitioner_b, line_manager_a, auditor):
    emails = _emails(api(admin).get("/api/v1/people/"))
    assert emails == {
        admin.email,
        practitioner_a.email,
        practitioner_b.email,
        line_manager_a.email,
        auditor.email,
    }
    assert api(admin).get(f"/api/v1/people/{practitioner_b.pk}/").status_code == 200


def test_person_shape(api, admin, practitioner_a, line_manager_a, agency_a):
    response = api(admin).get(f"/api/v1/people/{practitioner_a.pk}/")
    assert response.json() == {
        "id": practitioner_a.pk,
        "email": "paul.police@police.example",
        "given_name": "Paul",
        "family_name": "Police",
        "is_active": True,
        "memberships": [
            {
                "agency": {"id": agency_a.pk, "name": "Testshire Police"},
                "team": None,
                "job_title": "Detective constable",
                "line_manager": line_manager_a.pk,
                "roles": ["practitioner"],
            }
        ],
    }


def test_person_filters(api, admin, practitioner_a, practitioner_b, line_manager_a, agency_a):
    client = api(admin)
    assert _emails(client.get("/api/v1/people/", {"agency": agency_a.pk})) == {
        practitioner_a.email,
        line_manager_a.email,
    }
    assert _emails(client.get("/api/v1/people/", {"role": Role.LINE_MANAGER})) == {
        line_manager_a.email
    }
    assert _emails(client.get("/api/v1/people/", {"q": "hana"})) == {practitioner_b.email}
    assert client.get("/api/v1/people/", {"role": "overlord"}).status_code == 400
    assert client.get("/api/v1/people/", {"agency": "x"}).status_code == 400


def test_filters_do_not_widen_scope(api, practitioner_b, practitioner_a, agency_a):
    emails = _emails(api(practitioner_b).get("/api/v1/people/", {"agency": agency_a.pk}))
    assert emails == set()


def test_me_is_own_record(api, auditor):
    response = api(auditor).get("/api/v1/me/")
    assert response.status_code == 200
    data = response.json()
    assert data["id"] == auditor.pk
    assert data["memberships"][0]["roles"] == ["auditor"]


def test_people_are_read_only(api, admin, practitioner_a):
    client = api(admin)
    assert client.post("/api/v1/people/", {}, format="json").status_code == 405
    assert (
        client.patch(
            f"/api/v1/people/{practitioner_a.pk}/", {"given_name": "X"}, format="json"
        ).status_code
        == 405
    )
