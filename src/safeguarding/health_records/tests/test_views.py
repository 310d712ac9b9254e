"""The web journey: upload two extracts, the background task links and saves, the worklist,
the review screen and the outcome form; refused files get a GOV.UK error summary."""

from __future__ import annotations

import datetime
import io
import re
import xml.etree.ElementTree as ET

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from safeguarding.conftest import signed_in
from safeguarding.core.models import AuditEntry
from safeguarding.health_records.models import (
    ExtractImport,
    LinkageRun,
    Outcome,
    ReviewPair,
    WorklistItem,
)

pytestmark = pytest.mark.django_db

GP_HEADER = (
    "record_id,nhs_number,given_name,family_name,date_of_birth,sex,postcode,address_line,"
    "gp_practice_code\n"
)
HV_HEADER = (
    "Record_ID,NHS_Number,Given_Name,Family_Name,Date_of_Birth,Sex,Postcode,Address_Line,"
    "HV_Team,extra_column\n"
)
GP_ROWS = (
    "G1,999 000 0018,Amy,Able,01/06/2013,F,TE1 1AA,1 High Street,T81001\n"
    "G2,,Zoë,Žák,2013-07-02,female,te12bb,2 Mill Lane,T81001\n"
)
HV_ROWS = "H1,9990000018,Amy,Able,2013-06-01,F,TE1 1AA,1 High Street,Health visiting team North,x\n"


def upload(name, text, encoding="utf-8"):
    return SimpleUploadedFile(name, text.encode(encoding), content_type="text/csv")


def test_upload_runs_the_linkage_and_fills_the_worklist(
    client, hr_analyst, hr_team, hr_districts, hr_fake_link, django_capture_on_commit_callbacks
):
    signed_in(client, hr_analyst)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            reverse("health_records:run_new"),
            {
                "gp_file": upload("gp.csv", "\ufeff" + GP_HEADER + GP_ROWS),
                # Windows-1252, with extra columns and header names in mixed case.
                "hv_file": upload("hv.csv", HV_HEADER + HV_ROWS, encoding="cp1252"),
                "extract_date": "31/3/2014",
                "match_threshold": "0.95",
                "review_threshold": "0.5",
            },
        )
    run = LinkageRun.objects.get()
    assert response.status_code == 302
    assert response["Location"] == reverse("health_records:run_detail", args=[run.pk])
    assert run.status == LinkageRun.Status.COMPLETED, run.error
    assert (run.matched, run.gp_not_known_to_hv, run.hv_not_registered_with_gp) == (1, 1, 0)
    settings_used = hr_fake_link.calls[0]
    assert (settings_used.match_threshold, settings_used.review_threshold) == (0.95, 0.5)
    assert (run.imports.get(kind="hv").rows_read, run.imports.get(kind="gp").accepted) == (1, 2)

    page = client.get(reverse("health_records:run_detail", args=[run.pk]))
    assert b"Completed" in page.content
    worklist = client.get(reverse("health_records:worklist"))
    assert "Zoë Žák" in worklist.content.decode()
    item = WorklistItem.objects.get()
    assert item.team == hr_team  # te12bb: TE1, the North locality
    # Every named child shown is in the audit trail.
    assert AuditEntry.objects.filter(
        action="health_records.worklistitem.viewed", object_id=str(item.pk)
    ).exists()
    # The output files are there for the analyst, and the download is audited.
    csv = client.get(reverse("health_records:run_output", args=[run.pk, "gp_not_known_to_hv"]))
    assert csv.status_code == 200 and b"G2" in b"".join(csv.streaming_content)
    assert AuditEntry.objects.filter(action="health_records.linkagerun.viewed").exists()


def _post_run(client, gp, hv):
    return client.post(
        reverse("health_records:run_new"),
        {"gp_file": gp, "hv_file": hv, "match_threshold": "0.95", "review_threshold": "0.5"},
    )


def test_missing_columns_are_named_and_nothing_is_kept(client, hr_analyst):
    signed_in(client, hr_analyst)
    response = _post_run(
        client,
        upload("gp.csv", "record_id,given_name,family_name,sex\nG1,A,B,F\n"),
        upload("hv.csv", HV_HEADER + HV_ROWS),
    )
    assert response.status_code == 200
    text = response.content.decode()
    assert "govuk-error-summary" in text
    assert (
        "The GP extract is missing these columns: nhs_number, date_of_birth, postcode, "
        "address_line, gp_practice_code" in text
    )
    assert not LinkageRun.objects.exists() and not ExtractImport.objects.exists()


def test_empty_and_binary_files_are_refused(client, hr_analyst):
    signed_in(client, hr_analyst)
    response = _post_run(
        client,
        SimpleUploadedFile("gp.csv", b"\n\n", content_type="text/csv"),
        SimpleUploadedFile("hv.csv", b"\x00\x01\x02binary", content_type="text/csv"),
    )
    text = response.content.decode()
    assert "The GP extract is empty" in text
    assert "The health visiting extract is not a CSV or XLSX file" in text
    assert not LinkageRun.objects.exists()


def test_xlsx_header_is_checked(client, hr_analyst):
    from openpyxl import Workbook

    workbook = Workbook()
    workbook.active.append(["record_id", "NHS number", "given_name"])
    buffer = io.BytesIO()
    workbook.save(buffer)
    signed_in(client, hr_analyst)
    response = _post_run(
        client,
        SimpleUploadedFile("gp.xlsx", buffer.getvalue()),
        upload("hv.csv", HV_HEADER + HV_ROWS),
    )
    assert "The GP extract is missing these columns: family_name" in response.content.decode()


def test_thresholds_must_be_in_order(client, hr_analyst):
    signed_in(client, hr_analyst)
    response = client.post(
        reverse("health_records:run_new"),
        {
            "gp_file": upload("gp.csv", GP_HEADER + GP_ROWS),
            "hv_file": upload("hv.csv", HV_HEADER + HV_ROWS),
            "match_threshold": "0.6",
            "review_threshold": "0.8",
        },
    )
    assert "The review threshold must be below the match one" in response.content.decode()


def test_refused_extract_fails_the_run_with_the_reason(
    client, hr_analyst, django_capture_on_commit_callbacks, monkeypatch
):
    """Rows the header check passes can still be refused by read_extract: the run says why."""
    from safeguarding.health_records import linkage

    def refuse(path, kind):
        raise linkage.ExtractRefused("no", missing_columns=["sex"])

    monkeypatch.setattr(linkage, "read_extract", refuse)
    signed_in(client, hr_analyst)
    with django_capture_on_commit_callbacks(execute=True):
        _post_run(client, upload("gp.csv", GP_HEADER + GP_ROWS), upload("hv.csv", HV_HEADER))
    run = LinkageRun.objects.get()
    assert run.status == LinkageRun.Status.FAILED
    assert "The GP extract is missing these columns: sex." in run.error
    page = client.get(reverse("health_records:run_detail", args=[run.pk]))
    assert "The run did not finish" in page.content.decode()
    assert not WorklistItem.objects.exists()


def test_review_screen_accepts_a_pair(client, hr_analyst, hr_saved_run):
    pair = ReviewPair.objects.get()
    signed_in(client, hr_analyst)
    page = client.get(reverse("health_records:review_pair", args=[pair.pk]))
    text = page.content.decode()
    assert "Benjamin" in text and "Ben" in text
    assert "Why the linkage did not decide: two family names." in text
    listed = client.get(reverse("health_records:review_list")).content.decode()
    assert "Two family names" in listed
    response = client.post(
        reverse("health_records:review_pair", args=[pair.pk]), {"decision": "accepted"}
    )
    assert response.status_code == 302
    pair.refresh_from_db()
    assert pair.decision == ReviewPair.Decision.ACCEPTED and pair.decided_by == hr_analyst
    empty = client.post(reverse("health_records:review_pair", args=[pair.pk]), {})
    assert "Say whether these are the same child" in empty.content.decode()


def test_outcome_form(client, hr_health_visitor, hr_saved_run):
    item = WorklistItem.objects.get(record_id="G3")
    signed_in(client, hr_health_visitor)
    url = reverse("health_records:worklist_item", args=[item.pk])
    bad = client.post(url, {"outcome": "other", "notes": " "})
    assert "Say what the outcome was" in bad.content.decode()
    assert "govuk-error-summary" in bad.content.decode()
    ok = client.post(url, {"outcome": "moved_out", "notes": "", "due_date": "30/4/2014"})
    assert ok.status_code == 302
    item.refresh_from_db()
    assert item.outcome == Outcome.MOVED_OUT and str(item.due_date) == "2014-04-30"
    # A team member cannot reallocate: that is the analysts' job.
    refused = client.post(url, {"allocate": "1", "allocate-team": ""})
    assert refused.status_code == 403


def test_worklist_filters_and_exports(client, hr_analyst, hr_saved_run, hr_team):
    signed_in(client, hr_analyst)
    url = reverse("health_records:worklist")
    everyone = client.get(url).content.decode()
    assert "Cleo Cole" in everyone and "Dan Dale" in everyone and "Eve East" in everyone
    north = client.get(url, {"team": hr_team.pk}).content.decode()
    assert "Cleo Cole" in north and "Dan Dale" not in north
    unallocated = client.get(url, {"team": "0"}).content.decode()
    assert "Dan Dale" in unallocated and "Cleo Cole" not in unallocated
    hv_only = client.get(url, {"direction": "hv_not_registered"}).content.decode()
    assert "Eve East" in hv_only and "Cleo Cole" not in hv_only
    csv = client.get(url, {"team": hr_team.pk, "format": "csv"})
    body = b"".join(csv.streaming_content).decode()
    assert "Cleo" in body and "Dan" not in body
    xlsx = client.get(url, {"format": "xlsx"})
    assert xlsx["Content-Type"].startswith("application/vnd.openxmlformats")
    assert AuditEntry.objects.filter(action="health_records.worklistitem.exported").count() == 2


def test_index_shows_trend_chart_and_breakdowns(client, hr_analyst, hr_saved_run):
    signed_in(client, hr_analyst)
    text = client.get(reverse("health_records:index")).content.decode()
    assert 'id="chart-trend-title"' in text and "March 2014" in text
    breakdown = client.get(reverse("health_records:breakdowns")).content.decode()
    assert "Health visiting team North" in breakdown and "Under 1" in breakdown


def _line_runs(svg: str, colour: str) -> list[list[float]]:
    """The x coordinates of each stretch of line drawn in `colour` inside the plot."""
    root = ET.fromstring(svg)
    return [
        [float(x) for x in re.findall(r"[ML] ([\d.]+) ", path.get("d"))]
        for path in root.iter("{http://www.w3.org/2000/svg}path")
        if path.get("stroke") == colour and path.get("fill") == "none" and path.get("clip-path")
    ]


def test_index_trend_is_accessible_and_breaks_across_months_without_a_run(
    client, hr_analyst, hr_saved_run
):
    from safeguarding.core.charts import COLOURS
    from safeguarding.health_records.models import LinkageRun

    for extract in (datetime.date(2014, 1, 31), datetime.date(2014, 2, 28)) + tuple(
        datetime.date(2026, month, 28) for month in (1, 2, 3)
    ):
        copy = LinkageRun.objects.get(pk=hr_saved_run.pk)
        copy.pk = None
        copy.extract_date = extract
        copy.save()
    signed_in(client, hr_analyst)
    response = client.get(reverse("health_records:index"))
    html = response.content.decode()
    svg = str(response.context["chart"].svg)
    assert svg in html
    root = ET.fromstring(svg)
    assert root.get("role") == "img"
    assert root.find("{http://www.w3.org/2000/svg}title").text == (
        "Children on one list only, month by month"
    )
    # The page's table gives the figures, once.
    assert "the latest run of each month" in html and "Show the data in a table" not in html
    assert "March 2014" in html and "January 2026" in html
    for colour in COLOURS[:2]:
        runs = _line_runs(svg, colour)
        # Two stretches, January to March 2014 and January to March 2026: no line across the gap.
        assert len(runs) == 2 and [len(xs) for xs in runs] == [3, 3]
        assert runs[1][0] - runs[0][-1] > 10 * (runs[0][1] - runs[0][0])
