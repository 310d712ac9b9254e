"""The calibration demo: three closed rounds with agreement improving, and an open one."""

from __future__ import annotations

from io import StringIO

import pytest

from safeguarding.people import services as people_services
from safeguarding.people.models import Role, Sector
from safeguarding.risk.calibration import demo as calibration_demo
from safeguarding.risk.calibration import selectors
from safeguarding.risk.models import CalibrationExercise, Rating, Vignette

SECTORS = [
    Sector.POLICE,
    Sector.COMMUNITY_HEALTH,
    Sector.SCHOOL,
    Sector.EARLY_HELP,
    Sector.CHILDRENS_SOCIAL_CARE,
    Sector.VOLUNTARY,
]


@pytest.fixture
def staffed_partnership(partnership, admin):
    for n, sector in enumerate(SECTORS):
        agency = people_services.agency_create(
            partnership=partnership, name=f"Agency {n}", sector=sector
        )
        for m in range(9):
            people_services.person_create(
                email=f"p{m}@agency{n}.example",
                given_name=f"P{m}",
                family_name=f"Agency{n}",
                agency=agency,
                roles=[Role.PRACTITIONER],
            )
    return partnership


@pytest.mark.slow
def test_demo_shows_agreement_improving_and_loads_once(staffed_partnership):
    out = StringIO()
    calibration_demo.load(staffed_partnership, out)
    assert Vignette.objects.filter(expert_level__isnull=False).count() == 5
    trend = selectors.trend(partnership=staffed_partnership)
    kappas = [point.kappa.value for point in trend.points]
    exact = [point.agreement.exact_percent for point in trend.points]
    assert len(kappas) == 3
    assert kappas[0] < kappas[1] < kappas[2]
    assert exact[0] < exact[1] < exact[2]
    assert all(point.kappa.standard_error is not None for point in trend.points)
    # Under-calling is the commoner error before the training takes hold.
    first = trend.points[0].agreement
    assert first.under > first.over
    # By sector every group is large enough to show.
    assert all(not row.result.suppressed for row in trend.sectors)
    assert CalibrationExercise.objects.filter(status="open").count() == 1
    assert "Calibration: 5 vignettes, 3 closed exercises" in out.getvalue()

    count = Rating.objects.count()
    calibration_demo.load(staffed_partnership, out)
    assert Rating.objects.count() == count
    assert "already loaded" in out.getvalue()
