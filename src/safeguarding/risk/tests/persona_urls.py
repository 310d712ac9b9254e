"""The risk app's URLs by area; each area's table is in its own module."""

from safeguarding.risk.tests import persona_journey
from safeguarding.risk.tests.calibration import persona as persona_calibration

ROUTES = {
    **persona_calibration.ROUTES,
    **persona_journey.ROUTES,
}
