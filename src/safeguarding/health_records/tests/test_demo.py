"""The demo year: twelve monthly runs on synthetic extracts, fewer unknown children over time."""

from __future__ import annotations

import io

import pytest

from safeguarding.health_records import demo
from safeguarding.health_records.models import LinkageRun, Outcome, ReviewPair, WorklistItem

pytestmark = [pytest.mark.django_db, pytest.mark.slow]


def test_demo_runs_show_the_improvement(partnership, agency_b, hr_analyst, hr_team):
    out = io.StringIO()
    demo.load(partnership, out)
    runs = list(LinkageRun.objects.order_by("extract_date"))
    assert len(runs) == demo.MONTHS
    assert all(run.status == LinkageRun.Status.COMPLETED for run in runs)

    def unknown(run):
        return run.gp_not_known_to_hv + run.hv_not_registered_with_gp

    assert unknown(runs[-1]) < unknown(runs[0]) / 2
    assert unknown(runs[-1]) > 0  # an open worklist to work on
    assert WorklistItem.objects.filter(outcome=Outcome.OPEN).exists()
    assert WorklistItem.objects.filter(outcome=Outcome.NOW_KNOWN).exists()
    assert not ReviewPair.objects.filter(
        run__in=runs[:-1], decision=ReviewPair.Decision.PENDING
    ).exists()
    assert ReviewPair.objects.filter(run=runs[-1], decision=ReviewPair.Decision.PENDING).exists()
    assert "12 monthly runs" in out.getvalue()
    # Loading again adds nothing.
    demo.load(partnership, io.StringIO())
    assert LinkageRun.objects.count() == demo.MONTHS
