"""Each app declares its own capabilities to people's registry (people.permissions.declare)."""

from __future__ import annotations

import pytest

from safeguarding.people import permissions
from safeguarding.people.models import Role
from safeguarding.people.permissions import can, declare
from safeguarding.risk.capabilities import USE_RISK_TOOL, VIEW_RISK_INSIGHT

pytestmark = pytest.mark.django_db


def test_a_capability_declared_by_an_app_is_granted_to_its_roles(
    practitioner_a, line_manager_a, admin, auditor
):
    assert can(practitioner_a, USE_RISK_TOOL)
    assert can(line_manager_a, USE_RISK_TOOL)
    assert not can(admin, USE_RISK_TOOL)
    assert can(admin, VIEW_RISK_INSIGHT)
    assert not can(practitioner_a, VIEW_RISK_INSIGHT)
    assert not can(auditor, USE_RISK_TOOL)


def test_declaring_adds_to_a_role_without_taking_away(practitioner_a, auditor, monkeypatch):
    monkeypatch.setattr(permissions, "CAPABILITIES", dict(permissions.CAPABILITIES))
    declare({Role.PRACTITIONER: {"test.widgets"}})
    assert can(practitioner_a, "test.widgets")
    assert can(practitioner_a, USE_RISK_TOOL)
    assert not can(auditor, "test.widgets")


def test_an_undeclared_capability_is_refused(practitioner_a, admin, auditor):
    for user in (practitioner_a, admin, auditor):
        assert not can(user, "nobody.declared.this")


def test_declaring_for_an_unknown_role_fails():
    with pytest.raises(ValueError, match="Unknown role"):
        declare({"no_such_role": {"test.widgets"}})
