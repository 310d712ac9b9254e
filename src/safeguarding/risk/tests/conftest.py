"""Fixtures shared by the risk tool's tests. Each area keeps its own in its own module, prefixed
with its name (calibration_..., journey_...), and this file only makes them visible."""

from safeguarding.risk.tests.calibration.fixtures import (  # noqa: F401
    calibration_exercise,
    calibration_vignettes,
)
from safeguarding.risk.tests.journey_fixtures import (  # noqa: F401
    journey_done,
    safeguarding_lead_a,
)
