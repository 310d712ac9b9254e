"""The training programme's URLs by area; each area's table is in its own module."""

from safeguarding.learning.tests import (
    persona_booking,
    persona_catalogue,
    persona_evaluation,
    persona_events,
    persona_records,
    persona_register,
    persona_reports,
)

ROUTES = {
    **persona_catalogue.ROUTES,
    **persona_booking.ROUTES,
    **persona_register.ROUTES,
    **persona_records.ROUTES,
    **persona_evaluation.ROUTES,
    **persona_events.ROUTES,
    **persona_reports.ROUTES,
}
