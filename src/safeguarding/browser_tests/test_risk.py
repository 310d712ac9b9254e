"""The risk identification tool in a real browser: a practitioner completes the children's matrix
and the adult checklist by clicking, downloads the referral summary, and every page passes
axe-core. Screenshots go to var/screenshots/risk-<name>.png."""

from __future__ import annotations

import datetime

import pytest
from django.conf import settings
from django.test import Client
from django.utils import timezone

from safeguarding.browser_tests.conftest import axe_violations, screenshot
from safeguarding.conftest import signed_in
from safeguarding.risk.models import Identification
from safeguarding.risk.tests.journey_fixtures import journey_dash

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def _sign_in(page, live_server, user) -> None:
    client = signed_in(Client(), user)
    page.context.clear_cookies()
    page.context.add_cookies(
        [
            {
                "name": settings.SESSION_COOKIE_NAME,
                "value": client.cookies[settings.SESSION_COOKIE_NAME].value,
                "url": live_server.url,
            }
        ]
    )


class Tour:
    def __init__(self, page):
        self.page = page
        self.problems: dict[str, list] = {}

    def check(self, name: str) -> None:
        violations = axe_violations(self.page)
        if violations:
            self.problems[f"{name} ({self.page.url})"] = violations
        screenshot(self.page, f"risk-{name}")

    def done(self) -> None:
        assert not self.problems, self.problems


def test_practitioner_completes_the_matrix_and_downloads_the_summary(
    page, live_server, practitioner_a
):
    _sign_in(page, live_server, practitioner_a)
    tour = Tour(page)
    page.goto("/risk/")
    tour.check("home")
    page.get_by_role("button", name="Start with a household").click()
    tour.check("household")
    page.get_by_role("button", name="Save and continue").click()
    page.locator(".govuk-error-summary").wait_for(state="visible")
    tour.check("household-error")
    page.get_by_label("Address").fill("4 Example Close\nTestford")
    page.get_by_label("Postcode").fill("TE1 4EX")
    page.get_by_role("button", name="Save and continue").click()

    born = timezone.localdate() - datetime.timedelta(days=365 * 3)
    page.get_by_label("Child", exact=True).check()
    page.get_by_label("First name").fill("Rosa")
    page.get_by_label("Last name").fill("Example")
    page.get_by_label("Day").fill(str(born.day))
    page.get_by_label("Month").fill(str(born.month))
    page.get_by_label("Year").fill(str(born.year))
    tour.check("add-person")
    page.get_by_role("button", name="Save", exact=True).click()
    tour.check("household-detail")
    page.get_by_role("link", name="Start a risk identification").click()
    page.get_by_label("Children's domestic abuse risk identification matrix").check()
    page.get_by_label("Rosa Example").check()
    tour.check("start")
    page.get_by_role("button", name="Continue").click()

    page.get_by_label("A history of minor or moderate violence").check()
    tour.check("section-evidence")
    page.get_by_role("button", name="Save and continue").click()
    page.get_by_role("button", name="Save and continue").click()  # nothing answered
    page.locator(".govuk-error-summary").wait_for(state="visible")
    tour.check("section-error")
    page.locator("#id_pregnancy_or_baby_under_1_1").check()
    page.get_by_role("button", name="Save and continue").click()
    page.locator("#id_special_needs_1").check()
    page.get_by_label("The children have seen or heard violence at home").check()
    tour.check("section-children")
    page.get_by_role("button", name="Save and continue").click()
    page.get_by_role("button", name="Save and continue").click()
    page.get_by_role("button", name="Save and continue").click()
    page.get_by_label("The children have a trusted adult they can talk to").check()
    page.get_by_role("button", name="Save and continue").click()
    tour.check("check-answers")
    page.get_by_role("link", name="See the suggested level").click()
    assert "Suggested level: Scale 3" in page.locator("h1").inner_text()
    tour.check("suggested-level")
    page.get_by_role("button", name="Confirm level").click()
    tour.check("identification")
    with page.expect_download() as download:
        page.get_by_role("link", name="Download the referral summary (Word document)").click()
    assert download.value.suggested_filename.endswith(".docx")
    with page.expect_download() as download:
        page.get_by_role("link", name="Download the referral summary (PDF)").click()
    assert download.value.suggested_filename.endswith(".pdf")
    page.get_by_role("link", name="Record an outcome").click()
    tour.check("outcome")
    identification = Identification.objects.get()
    assert identification.status == Identification.Status.COMPLETED
    assert identification.confirmed_level == 3
    tour.done()


def test_practitioner_completes_the_adult_checklist(page, live_server, practitioner_a, admin):
    identification = journey_dash(practitioner_a, yes=0)
    _sign_in(page, live_server, practitioner_a)
    tour = Tour(page)
    page.goto(f"/risk/identifications/{identification.pk}/questions/incident/")
    page.locator("#id_q01_injury_0").check()
    page.locator("#id_q01_injury__source").select_option("victim")
    page.locator("#id_q01_injury__comment").fill("Cut to the lip")
    page.locator("#id_q02_frightened_2").check()
    tour.check("dash-section")
    page.get_by_role("button", name="Save and continue").click()
    page.goto(f"/risk/identifications/{identification.pk}/questions/marac/")
    today = timezone.localdate()
    recent = [today - datetime.timedelta(days=d) for d in (3, 60, 200)]

    def enter(box, day, month, year):
        for part, value in enumerate((day, month, year)):
            page.locator(f"#id_incident_dates-{box}_{part}").fill(str(value))

    enter(1, recent[0].day, recent[0].month, recent[0].year)
    enter(2, 30, 2, today.year)
    tour.check("dash-marac")
    page.get_by_role("button", name="Add another date").click()
    assert page.locator("#id_incident_dates-4_0").is_visible()
    page.get_by_role("button", name="Save and continue").click()
    summary = page.locator(".govuk-error-summary").inner_text()
    assert "Incident or call-out 2 must be a real date" in summary
    tour.check("dash-marac-error")
    page.get_by_role("link", name="Incident or call-out 2 must be a real date").click()
    enter(2, recent[1].day, recent[1].month, recent[1].year)
    enter(3, recent[2].day, recent[2].month, recent[2].year)
    page.get_by_role("button", name="Save and continue").click()
    tour.check("dash-check")
    page.get_by_role("link", name="See the suggested level").click()
    tour.check("dash-level")
    assert "Information gaps" in page.content()
    assert "potential escalation" in page.locator(".govuk-warning-text").inner_text()
    page.get_by_role("button", name="Confirm level").click()
    tour.check("dash-identification")
    _sign_in(page, live_server, admin)
    page.goto("/risk/insight/")
    tour.check("insight")
    tour.done()
