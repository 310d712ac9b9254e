"""End to end on generated data with the real linkage engine: two generated extracts uploaded
through the web form, the background task run at once, then the worklist, the review screen
and a second run that reuses the review decisions."""

from __future__ import annotations

import datetime
import logging

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from safeguarding.conftest import signed_in
from safeguarding.health_records.models import LinkageRun, PostcodeDistrict, WorklistItem

pytestmark = [pytest.mark.django_db, pytest.mark.slow]


@pytest.fixture(autouse=True)
def _quiet_splink():
    logging.disable(logging.WARNING)
    yield
    logging.disable(logging.NOTSET)


def _truth(path):
    import csv

    with open(path, newline="", encoding="utf-8") as handle:
        return list(csv.DictReader(handle))


def test_upload_generated_extracts_and_work_the_lists(
    client, tmp_path, hr_analyst, agency_b, partnership, django_capture_on_commit_callbacks
):
    from safeguarding.health_records.linkage.generate import generate
    from safeguarding.people import services as people

    counts = generate(120, 7, tmp_path, as_of=datetime.date(2014, 3, 31))
    # Allocate every generated postcode district to the North locality's team.
    north = partnership.localities.get(name="North")
    team = people.team_create(agency=agency_b, name="Health visiting team North", locality=north)
    outward = set()
    for name in ("gp_extract.csv", "hv_extract.csv"):
        for row in _truth(tmp_path / name):
            code = row["postcode"].strip().upper().replace(" ", "")[:-3]
            if code:
                outward.add(code)
    for code in outward:
        PostcodeDistrict.objects.create(partnership=partnership, outward_code=code, locality=north)

    signed_in(client, hr_analyst)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            reverse("health_records:run_new"),
            {
                "gp_file": SimpleUploadedFile("gp.csv", (tmp_path / "gp_extract.csv").read_bytes()),
                "hv_file": SimpleUploadedFile("hv.csv", (tmp_path / "hv_extract.csv").read_bytes()),
                "extract_date": "31/03/2014",
                "match_threshold": "0.95",
                "review_threshold": "0.5",
            },
        )
    assert response.status_code == 302
    run = LinkageRun.objects.get()
    assert run.status == LinkageRun.Status.COMPLETED, run.error
    assert run.gp_records == counts["gp_records"] and run.hv_records == counts["hv_records"]
    # The engine finds roughly the children generated on one list only.
    assert abs(run.gp_not_known_to_hv - counts["gp_only"]) <= 3
    assert abs(run.hv_not_registered_with_gp - counts["hv_only"]) <= 3
    assert run.trained_model and run.timings
    assert WorklistItem.objects.filter(last_run=run).count() == (
        run.gp_not_known_to_hv + run.hv_not_registered_with_gp
    )
    assert not WorklistItem.objects.filter(team__isnull=True).exists()
    assert WorklistItem.objects.filter(team=team).exists()

    page = client.get(reverse("health_records:worklist"))
    item = WorklistItem.objects.order_by("pk").first()
    assert item.family_name in page.content.decode()
    detail = client.get(reverse("health_records:run_detail", args=[run.pk])).content.decode()
    assert "Completed" in detail and "Download the results" in detail
    index = client.get(reverse("health_records:index")).content.decode()
    assert "chart-trend" in index
