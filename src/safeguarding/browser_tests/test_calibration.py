"""Calibration in a real browser: the business unit's pages and a practitioner rating a vignette
in the tool (answers, the tool's suggestion, a different level with reasons); axe-core on every
page, including pages with errors."""

from __future__ import annotations

import pytest
from django_otp.plugins.otp_totp.models import TOTPDevice

from safeguarding.browser_tests.conftest import assert_accessible, screenshot
from safeguarding.browser_tests.test_journeys import _sign_in, _verify
from safeguarding.risk.models import Rating
from safeguarding.risk.tests.calibration.fixtures import ASHDOWN, make_exercise, make_vignette

pytestmark = [pytest.mark.browser, pytest.mark.slow, pytest.mark.django_db(transaction=True)]


def _signed_in(page, user):
    TOTPDevice.objects.get_or_create(user=user, name="app", defaults={"confirmed": True})
    _sign_in(page, user.email)
    _verify(page, user)


@pytest.fixture
def rated_exercise(partnership, admin, practitioner_a, practitioner_b):
    from safeguarding.risk.calibration import services

    ashdown = make_vignette(partnership, admin, "The Ashdown family", ASHDOWN, 3)
    exercise = make_exercise(partnership, admin, [ashdown], [practitioner_a, practitioner_b])
    services.rating_submit(
        exercise=exercise,
        vignette=ashdown,
        rater=practitioner_b,
        answers=ASHDOWN,
        chosen_level=2,
        rationale="Seems calmer now.",
        actor=practitioner_b,
    )
    return exercise, ashdown


def test_admin_calibration_pages_are_accessible(page, admin, rated_exercise):
    exercise, ashdown = rated_exercise
    _signed_in(page, admin)
    for path, name in [
        ("/risk/calibration/", "calibration-home"),
        ("/risk/calibration/vignettes/", None),
        (f"/risk/calibration/vignettes/{ashdown.pk}/", "calibration-vignette"),
        ("/risk/calibration/vignettes/new/", None),
        ("/risk/calibration/exercises/new/", None),
        (f"/risk/calibration/exercises/{exercise.pk}/", None),
        (f"/risk/calibration/exercises/{exercise.pk}/participants/", None),
        (f"/risk/calibration/exercises/{exercise.pk}/results/", "calibration-exercise-results"),
    ]:
        page.goto(path)
        assert_accessible(page)
        if name:
            screenshot(page, name)
    page.goto(f"/risk/calibration/exercises/{exercise.pk}/")
    page.get_by_role("button", name="Close and show the expert's answers").click()
    page.goto("/risk/calibration/results/")
    assert_accessible(page)
    screenshot(page, "calibration-results")
    # Forms with errors.
    page.goto("/risk/calibration/vignettes/new/")
    page.get_by_role("button", name="Save and continue").click()
    page.locator(".govuk-error-summary").wait_for(state="visible")
    assert_accessible(page)
    page.goto("/risk/calibration/exercises/new/")
    page.get_by_role("button", name="Create the exercise").click()
    page.locator(".govuk-error-summary").wait_for(state="visible")
    assert_accessible(page)


def test_practitioner_rates_a_vignette(page, practitioner_a, rated_exercise):
    exercise, ashdown = rated_exercise
    _signed_in(page, practitioner_a)
    page.goto("/risk/calibration/")
    assert_accessible(page)
    page.get_by_role("link", name=exercise.title).click()
    page.get_by_role("link", name="Rate The Ashdown family").click()
    assert_accessible(page)
    page.get_by_role("button", name="Continue").click()
    page.locator(".govuk-error-summary").wait_for(state="visible")
    assert_accessible(page)
    screenshot(page, "calibration-rate-errors")
    page.get_by_label("A history of minor or moderate violence").check(force=True)
    page.get_by_label("The children have seen or heard violence at home").check(force=True)
    page.get_by_role("group", name="pregnant").get_by_label("No", exact=True).check(force=True)
    page.get_by_role("group", name="under 7").get_by_label("Yes", exact=True).check(force=True)
    page.get_by_role("group", name="special needs").get_by_label("No", exact=True).check(force=True)
    page.get_by_role("button", name="Continue").click()
    assert "The tool suggests: Scale 3" in page.content()
    assert_accessible(page)
    page.get_by_label("Scale 4").check(force=True)
    page.get_by_role("button", name="Save my rating").click()
    page.locator(".govuk-error-summary").wait_for(state="visible")
    assert_accessible(page)
    page.get_by_label("Your reasons").fill("Violence is escalating quickly.")
    page.get_by_role("button", name="Save my rating").click()
    assert Rating.objects.filter(rater=practitioner_a, chosen_level=4).exists()
    page.get_by_role("link", name="Rated").click()
    assert "when the exercise closes" in page.content()
    assert_accessible(page)
    screenshot(page, "calibration-rating")
