"""The health records analyst's journey in a real browser, on generated extracts and the real
linkage engine: a refused upload, a run, the worklist and an outcome, the review queue, the
breakdowns; axe-core on every page."""

from __future__ import annotations

import datetime
import logging

import pytest
from django_otp.plugins.otp_totp.models import TOTPDevice

from safeguarding.browser_tests.conftest import assert_accessible, screenshot
from safeguarding.browser_tests.test_journeys import PASSWORD, _sign_in, _verify
from safeguarding.health_records.models import (
    LinkageRun,
    PostcodeDistrict,
    ReviewPair,
    WorklistItem,
)
from safeguarding.people import services
from safeguarding.people.models import Role

pytestmark = [pytest.mark.browser, pytest.mark.slow, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def hr_browser_world(agency_b, partnership, settings, tmp_path):
    settings.HEALTH_RECORDS_DIR = tmp_path / "health_records"
    north = partnership.localities.get(name="North")
    team = services.team_create(agency=agency_b, name="Health visiting team North", locality=north)
    analyst = services.person_create(
        email="cara.analyst@health.example",
        given_name="Cara",
        family_name="Analyst",
        agency=agency_b,
        roles=[Role.HEALTH_RECORDS_ANALYST],
        team=team,
        password=PASSWORD,
    )
    TOTPDevice.objects.create(user=analyst, name="app", confirmed=True)
    from safeguarding.health_records.linkage.generate import generate

    generate(120, 11, tmp_path / "extracts", as_of=datetime.date(2014, 3, 31))
    for line in (tmp_path / "extracts" / "gp_extract.csv").read_text().splitlines()[1:]:
        compact = line.split(",")[6].replace(" ", "").upper()
        PostcodeDistrict.objects.get_or_create(
            partnership=partnership, outward_code=compact[:-3], defaults={"locality": north}
        )
    return {"analyst": analyst, "extracts": tmp_path / "extracts", "bad": tmp_path}


def test_analyst_runs_a_linkage_and_works_the_lists(page, hr_browser_world):
    logging.getLogger("splink").setLevel(logging.ERROR)
    analyst, extracts = hr_browser_world["analyst"], hr_browser_world["extracts"]
    _sign_in(page, analyst.email)
    _verify(page, analyst)
    page.get_by_role("link", name="Health records").first.click()
    assert (
        page.get_by_role("heading", level=1).inner_text() == "Children missing from health records"
    )
    assert_accessible(page)

    page.get_by_role("link", name="Start a linkage run").first.click()
    assert_accessible(page)
    bad = hr_browser_world["bad"] / "bad.csv"
    bad.write_text("record_id,given_name\nG1,Amy\n")
    page.get_by_label("GP registration extract").set_input_files(str(bad))
    page.get_by_label("Health visiting caseload extract").set_input_files(
        str(extracts / "hv_extract.csv")
    )
    page.get_by_role("button", name="Upload and start the run").click()
    summary = page.locator(".govuk-error-summary")
    assert "The GP extract is missing these columns: nhs_number" in summary.inner_text()
    assert_accessible(page)
    screenshot(page, "health-records-upload-refused")

    page.get_by_label("GP registration extract").set_input_files(str(extracts / "gp_extract.csv"))
    page.get_by_label("Health visiting caseload extract").set_input_files(
        str(extracts / "hv_extract.csv")
    )
    page.get_by_label("Date the extracts were taken (optional)").fill("31/3/2014")
    page.get_by_role("button", name="Upload and start the run").click()
    page.wait_for_url("**/health-records/runs/*/", timeout=120_000)
    run = LinkageRun.objects.get()
    assert run.status == LinkageRun.Status.COMPLETED, run.error
    page.reload()
    assert "Completed" in page.locator("main").inner_text()
    assert_accessible(page)
    screenshot(page, "health-records-run")

    page.get_by_role("link", name="open the worklist").click()
    assert_accessible(page)
    screenshot(page, "health-records-worklist")
    item = WorklistItem.objects.order_by("due_date", "family_name", "given_name", "pk").first()
    page.get_by_role("link", name=item.full_name).first.click()
    assert_accessible(page)
    page.get_by_label("Contact made").check()
    page.get_by_label("Notes").fill("Spoke to the family; visit booked.")
    page.get_by_role("button", name="Save outcome").click()
    assert page.locator(".govuk-notification-banner--success").is_visible()
    assert_accessible(page)
    screenshot(page, "health-records-worklist-item")
    item.refresh_from_db()
    assert item.outcome == "contact_made"

    # A second registration waiting for a person, with the linkage's reason beside the records.
    run = LinkageRun.objects.order_by("-pk").first()
    snapshot = {"given_name": "Maisie", "family_name": "Trelawny", "date_of_birth": "2013-01-22"}
    pair = ReviewPair.objects.create(
        run=run,
        gp_record_id="G-SECOND",
        hv_record_id="H-MAISIE",
        match_probability=0.87,
        reason="second registration of the child in GP record G-FIRST",
        gp={**snapshot, "postcode": "ZE7 4QT", "gp_practice_code": "Z99002"},
        hv={**snapshot, "postcode": "ZE5 1AB", "hv_team": "Health visiting team North"},
        repeats={"list": "gp", **snapshot, "record_id": "G-FIRST", "postcode": "ZE5 1AB"},
    )
    page.goto("/health-records/review/?decision=all")
    assert_accessible(page)
    page.goto(f"/health-records/review/{pair.pk}/")
    assert "second registration of the child in GP record G-FIRST" in page.inner_text("main")
    assert page.get_by_role("columnheader", name="Matched GP record it may repeat").is_visible()
    assert_accessible(page)
    screenshot(page, "health-records-review-pair")
    page.goto("/health-records/breakdowns/")
    assert_accessible(page)
    screenshot(page, "health-records-breakdowns")
    page.goto("/health-records/")
    assert page.locator("svg#chart-trend, svg[aria-labelledby^='chart-trend']").count() == 1
    assert_accessible(page)
    screenshot(page, "health-records-index")
    assert not page.console_errors, page.console_errors
