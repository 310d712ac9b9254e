"""risk.access reads people's roles through people.permissions.roles_of (cached on the user)."""

from __future__ import annotations

import pytest
from django.contrib.auth.models import AnonymousUser
from django.db import connection
from django.test.utils import CaptureQueriesContext

from safeguarding.risk.access import agencies_using_tool, lead_agencies

pytestmark = pytest.mark.django_db


def test_a_safeguarding_lead_leads_and_uses_the_tool_in_their_agency(
    safeguarding_lead_a, agency_a, agency_b
):
    assert lead_agencies(safeguarding_lead_a) == {agency_a.pk}
    assert agencies_using_tool(safeguarding_lead_a) == {agency_a.pk}


def test_a_practitioner_uses_the_tool_but_leads_nowhere(
    practitioner_a, practitioner_b, agency_a, agency_b
):
    assert agencies_using_tool(practitioner_a) == {agency_a.pk}
    assert agencies_using_tool(practitioner_b) == {agency_b.pk}
    assert lead_agencies(practitioner_a) == set()


def test_the_business_unit_uses_the_tool_nowhere(admin):
    assert agencies_using_tool(admin) == set()
    assert lead_agencies(admin) == set()


def test_roles_are_read_once_per_user_object(safeguarding_lead_a, agency_a):
    with CaptureQueriesContext(connection) as first:
        assert lead_agencies(safeguarding_lead_a) == {agency_a.pk}
    with CaptureQueriesContext(connection) as again:
        assert lead_agencies(safeguarding_lead_a) == {agency_a.pk}
    # The roles (and so the agencies) come from the user's cache the second time.
    assert len(first) == 1
    assert len(again) == 0


def test_nobody_signed_in_has_no_agencies_and_costs_no_query():
    with CaptureQueriesContext(connection) as queries:
        assert agencies_using_tool(AnonymousUser()) == set()
        assert lead_agencies(AnonymousUser()) == set()
    assert len(queries) == 0
