from __future__ import annotations

import pytest

from safeguarding.core.models import AuditEntry
from safeguarding.people.models import Agency, Locality, Sector

pytestmark = pytest.mark.django_db

NEW_AGENCY = {
    "name": "Testshire College",
    "sector": Sector.COLLEGE,
    "email_domains": ["College.Example", "@college.example"],
    "is_statutory_partner": False,
}


def test_any_signed_in_user_lists_agencies(api, practitioner_b, agency_a, agency_b):
    response = api(practitioner_b).get("/api/v1/agencies/")
    assert response.status_code == 200
    names = [agency["name"] for agency in response.json()["results"]]
    assert names == ["Testshire Community Health", "Testshire Police"]


def test_agency_shape(api, practitioner_a, agency_a):
    response = api(practitioner_a).get(f"/api/v1/agencies/{agency_a.pk}/")
    assert response.json() == {
        "id": agency_a.pk,
        "name": "Testshire Police",
        "sector": "police",
        "sector_display": "Police",
        "locality": None,
        "is_statutory_partner": True,
        "funds_partnership": True,
        "email_domains": ["police.example"],
    }


def test_agency_filters(api, practitioner_a, agency_a, agency_b):
    client = api(practitioner_a)
    by_sector = client.get("/api/v1/agencies/", {"sector": Sector.POLICE}).json()["results"]
    assert [a["id"] for a in by_sector] == [agency_a.pk]
    by_name = client.get("/api/v1/agencies/", {"q": "health"}).json()["results"]
    assert [a["id"] for a in by_name] == [agency_b.pk]
    assert client.get("/api/v1/agencies/", {"sector": "bogus"}).status_code == 400


def test_unknown_agency_is_404(api, practitioner_a):
    assert api(practitioner_a).get("/api/v1/agencies/999999/").status_code == 404


def test_practitioner_cannot_create_or_change_agencies(api, practitioner_a, agency_a):
    client = api(practitioner_a)
    assert client.post("/api/v1/agencies/", NEW_AGENCY, format="json").status_code == 403
    response = client.patch(f"/api/v1/agencies/{agency_a.pk}/", {"name": "Hacked"}, format="json")
    assert response.status_code == 403
    agency_a.refresh_from_db()
    assert agency_a.name == "Testshire Police"
    assert not Agency.objects.filter(name=NEW_AGENCY["name"]).exists()


def test_auditor_cannot_create_agency(api, auditor):
    assert api(auditor).post("/api/v1/agencies/", NEW_AGENCY, format="json").status_code == 403


def test_admin_bad_sector_is_400_and_nothing_saved(api, admin):
    before = Agency.objects.count()
    response = api(admin).post(
        "/api/v1/agencies/", {**NEW_AGENCY, "sector": "pirates"}, format="json"
    )
    assert response.status_code == 400
    assert "sector" in response.json()
    assert Agency.objects.count() == before
    assert not AuditEntry.objects.filter(
        action="people.agency.created", object_repr=NEW_AGENCY["name"]
    ).exists()


def test_service_validation_errors_become_field_errors(api, admin, agency_a):
    client = api(admin)
    before = Agency.objects.count()
    response = client.post(
        "/api/v1/agencies/", {**NEW_AGENCY, "email_domains": ["not a domain"]}, format="json"
    )
    assert response.status_code == 400
    assert "email_domains" in response.json()
    duplicate = client.post(
        "/api/v1/agencies/", {**NEW_AGENCY, "name": "TESTSHIRE POLICE"}, format="json"
    )
    assert duplicate.status_code == 400
    assert "non_field_errors" in duplicate.json()
    assert Agency.objects.count() == before


def test_admin_creates_agency(api, admin):
    locality = Locality.objects.get(name="North")
    response = api(admin).post(
        "/api/v1/agencies/", {**NEW_AGENCY, "locality": locality.pk}, format="json"
    )
    assert response.status_code == 201, response.content
    data = response.json()
    assert data["email_domains"] == ["college.example"]
    assert data["locality"] == {"id": locality.pk, "name": "North"}
    agency = Agency.objects.get(pk=data["id"])
    assert agency.sector == Sector.COLLEGE
    entry = AuditEntry.objects.get(action="people.agency.created", object_id=str(agency.pk))
    assert entry.actor == admin


def test_admin_patches_agency(api, admin, agency_b):
    response = api(admin).patch(
        f"/api/v1/agencies/{agency_b.pk}/", {"funds_partnership": True}, format="json"
    )
    assert response.status_code == 200
    assert response.json()["funds_partnership"] is True
    agency_b.refresh_from_db()
    assert agency_b.funds_partnership is True
    assert agency_b.name == "Testshire Community Health"
    entry = AuditEntry.objects.get(action="people.agency.updated", object_id=str(agency_b.pk))
    assert entry.actor == admin
    assert entry.changes == {"funds_partnership": [False, True]}


def test_api_is_json_only(api, admin):
    response = api(admin).post("/api/v1/agencies/", NEW_AGENCY)  # multipart
    assert response.status_code == 415
