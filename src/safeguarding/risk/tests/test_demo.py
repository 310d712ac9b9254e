"""The risk tool's demo data: identifications across agencies from June 2014, through the
services (so the audit trail has them), with outcomes and reviews; idempotent."""

from __future__ import annotations

import datetime
import io

import pytest

from safeguarding.core.models import AuditEntry
from safeguarding.risk import demo
from safeguarding.risk.models import Identification, MatrixTraining, Outcome

pytestmark = pytest.mark.django_db


def test_demo_identifications(partnership, admin, practitioner_a, practitioner_b, course):
    out = io.StringIO()
    demo.load(partnership, out)
    items = Identification.objects.all()
    assert items.count() == demo.COUNT
    assert min(i.assessed_on for i in items) == demo.LAUNCH
    assert {i.agency_id for i in items} == {
        practitioner_a.memberships.get().agency_id,
        practitioner_b.memberships.get().agency_id,
    }
    assert {i.instrument_code for i in items} == {"children-da-matrix", "dash-2009"}
    completed = items.filter(status=Identification.Status.COMPLETED)
    assert completed.count() == demo.COUNT - 1
    assert Outcome.objects.count() == completed.count()
    assert len({i.confirmed_level for i in completed if i.instrument_code != "dash-2009"}) >= 3
    assert AuditEntry.objects.filter(action="risk.identification.confirmed").count() == (
        completed.count()
    )
    assert all(
        r.done_on <= datetime.date.today()
        for i in completed
        for r in i.reviews.exclude(done_on=None)
    )
    demo.load(partnership, out)
    assert Identification.objects.count() == demo.COUNT
    assert "already loaded" in out.getvalue()
    assert not MatrixTraining.objects.exists()  # the test course is not about domestic abuse
