"""The audit trail's pages (people.views.audit): filtering, export, and who may read them."""

from __future__ import annotations

import pytest

from safeguarding.people import services


@pytest.mark.django_db
def test_auditor_filters_and_exports(personas, admin, agency_a):
    services.agency_update(agency=agency_a, actor=admin, name="Renamed")
    auditor = personas["auditor"]
    page = auditor.get("/audit/", {"action": "people.agency.updated"})
    assert page.status_code == 200
    body = page.content.decode()
    assert "people.agency.updated" in body and "people.user.created" not in body
    export = auditor.get("/audit/", {"action": "people.agency", "format": "csv"})
    assert export["Content-Type"].startswith("text/csv")
    rows = b"".join(export.streaming_content).decode().splitlines()
    assert rows[0].startswith("\ufefftime,actor,action")
    assert any("people.agency.updated" in row for row in rows[1:])
    assert all(",people.agency." in row for row in rows[1:])


@pytest.mark.django_db
def test_bad_filter_shows_error_summary(personas):
    response = personas["auditor"].get("/audit/", {"date_from": "31/02/2014"})
    assert response.status_code == 200
    assert "govuk-error-summary" in response.content.decode()


@pytest.mark.django_db
@pytest.mark.parametrize("persona", ["admin", "practitioner_a", "line_manager_a"])
def test_only_auditors_see_the_audit_trail(personas, persona):
    assert personas[persona].get("/audit/").status_code == 403
