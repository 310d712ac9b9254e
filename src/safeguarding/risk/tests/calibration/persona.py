"""Calibration: the business unit manages vignettes and exercises; practitioners see only the
exercises they take part in (practitioner_a here) and only their own ratings; results are for the
business unit and board members. test_calibration.py checks what each page shows."""

from safeguarding.core.tests.personas import Route, expect
from safeguarding.risk.tests.calibration.fixtures import calibration_world


def _exercise(world) -> list[int]:
    return [calibration_world(world)["calibration_exercise"].pk]


def _vignette(world) -> list[int]:
    return [calibration_world(world)["calibration_ashdown"].pk]


def _brook_in_exercise(world) -> list[int]:
    w = calibration_world(world)
    return [w["calibration_exercise"].pk, w["calibration_brook"].pk]


def _rating(world) -> list[int]:
    return [calibration_world(world)["calibration_rating"].pk]


def _export(world) -> list:
    return [*_exercise(world), "csv"]


_business_unit_only = expect(
    practitioner_a=403, practitioner_b=403, line_manager_a=403, auditor=403
)
_post_business_unit = {
    "anonymous": 302,
    "admin": 302,  # back to the page, with a message
    "practitioner_a": 403,
    "practitioner_b": 403,
    "line_manager_a": 403,
    "auditor": 403,
}
_405 = expect(admin=405, practitioner_a=405, practitioner_b=405, line_manager_a=405, auditor=405)

ROUTES = {
    "risk:calibration-home": Route(expect()),
    "risk:calibration-results": Route(_business_unit_only),
    "risk:calibration-vignettes": Route(_business_unit_only),
    "risk:calibration-vignette-create": Route(_business_unit_only),
    "risk:calibration-vignette": Route(_business_unit_only, args=_vignette),
    # Ashdown has been rated, so its story can no longer change: the page says so.
    "risk:calibration-vignette-edit": Route(_business_unit_only, args=_vignette),
    "risk:calibration-vignette-expert": Route(_business_unit_only, args=_vignette),
    "risk:calibration-vignette-publish": Route(_405, args=_vignette, post=_post_business_unit),
    "risk:calibration-exercise-create": Route(_business_unit_only),
    # practitioner_a takes part; nobody else but the business unit knows the exercise exists.
    "risk:calibration-exercise": Route(
        expect(practitioner_b=404, line_manager_a=404, auditor=404), args=_exercise
    ),
    "risk:calibration-exercise-edit": Route(_business_unit_only, args=_exercise),
    "risk:calibration-participants": Route(_business_unit_only, args=_exercise),
    "risk:calibration-exercise-open": Route(_405, args=_exercise, post=_post_business_unit),
    "risk:calibration-exercise-close": Route(_405, args=_exercise, post=_post_business_unit),
    # Only people taking part rate; the admin is not taking part.
    "risk:calibration-rate": Route(
        expect(admin=404, practitioner_b=404, line_manager_a=404, auditor=404),
        args=_brook_in_exercise,
    ),
    # Without answers from step 1, step 2 sends the rater back to it.
    "risk:calibration-rate-level": Route(
        expect(admin=404, practitioner_a=302, practitioner_b=404, line_manager_a=404, auditor=404),
        args=_brook_in_exercise,
    ),
    "risk:calibration-exercise-results": Route(_business_unit_only, args=_exercise),
    "risk:calibration-exercise-export": Route(_business_unit_only, args=_export),
    # A rating is its rater's alone: not even the business unit opens it.
    "risk:calibration-rating": Route(
        expect(admin=404, practitioner_b=404, line_manager_a=404, auditor=404), args=_rating
    ),
}
