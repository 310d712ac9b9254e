"""Retention: extracts and named results go after the configured days; aggregates stay."""

from __future__ import annotations

import datetime
from io import StringIO
from pathlib import Path

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.utils import timezone

from safeguarding.core.models import AuditEntry
from safeguarding.health_records.models import ImportProblem, LinkageRun, ReviewPair, WorklistItem
from safeguarding.health_records.selectors.review import prior_decisions
from safeguarding.health_records.services.retention import purge_expired
from safeguarding.health_records.services.review import review_decide
from safeguarding.health_records.services.runs import run_create, save_run
from safeguarding.health_records.services.storage import run_dir

pytestmark = pytest.mark.django_db


def _age(run, days):
    LinkageRun.objects.filter(pk=run.pk).update(
        created_at=timezone.now() - datetime.timedelta(days=days)
    )


def test_purge_keeps_aggregates_and_removes_names_and_files(
    hr_saved_run, hr_analyst, agency_b, django_capture_on_commit_callbacks
):
    run = hr_saved_run
    output = run_dir(run) / "output"
    output.mkdir(parents=True)
    (output / "matches.csv").write_text("gp_record_id,hv_record_id\nG1,H1\n")
    run.output_dir = str(output)
    run.save(update_fields=["output_dir"])
    pair = ReviewPair.objects.get(run=run)
    review_decide(pair=pair, accepted=False, actor=hr_analyst)

    _age(run, 29)
    out = StringIO()
    call_command("purge_health_records", stdout=out)
    assert "Purged 0 run(s)" in out.getvalue()
    assert output.exists()

    _age(run, 31)
    out = StringIO()
    with django_capture_on_commit_callbacks(execute=True):  # files go once the purge commits
        call_command("purge_health_records", stdout=out)
    assert "Purged 1 run(s) older than 30 days" in out.getvalue()
    assert not output.exists() and not run_dir(run).exists()
    run.refresh_from_db()
    assert run.purged_at is not None
    assert (run.matched, run.gp_not_known_to_hv, run.hv_not_registered_with_gp) == (1, 2, 1)
    assert run.breakdowns  # the aggregates the board sees
    assert not ImportProblem.objects.exists()
    assert run.imports.get(kind="gp").rejected == 1  # counts kept
    pair.refresh_from_db()
    assert pair.gp == {} and pair.hv == {}
    # The decision (ids only) is kept for the next run.
    assert prior_decisions(agency=agency_b) == {("G2", "H2"): False}
    for item in WorklistItem.objects.all():
        assert (item.given_name, item.family_name, item.nhs_number, item.postcode) == ("",) * 4
        assert item.date_of_birth is None and item.age_band and item.direction
    assert AuditEntry.objects.filter(action="health_records.linkagerun.purged").count() == 1
    # Nothing more to do the second time.
    assert purge_expired()["runs"] == 0


def test_purge_deletes_uploaded_extracts(
    agency_b, hr_analyst, settings, django_capture_on_commit_callbacks
):
    run = run_create(
        agency=agency_b,
        gp_file=SimpleUploadedFile("gp.csv", b"record_id\n"),
        hv_file=SimpleUploadedFile("hv.csv", b"record_id\n"),
        actor=hr_analyst,
    )
    paths = [extract.stored_path for extract in run.imports.all()]
    assert all(Path(p).is_file() for p in paths)
    LinkageRun.objects.filter(pk=run.pk).update(status=LinkageRun.Status.FAILED)
    _age(run, 2)
    settings.HEALTH_RECORDS_RETENTION_DAYS = 1
    with django_capture_on_commit_callbacks(execute=True):
        totals = purge_expired()
    assert totals["files"] == 2
    assert not any(Path(p).exists() for p in paths)
    assert set(run.imports.values_list("stored_path", flat=True)) == {""}


def test_items_refreshed_by_a_later_run_are_kept(hr_saved_run, agency_b, hr_analyst):
    from safeguarding.health_records.tests.conftest import record, report, result

    later = save_run(
        report([record("G3", given_name="Cleo", family_name="Cole", postcode="TE1 2BB")]),
        report([]),
        result(gp_unknown=["G3"]),
        gp_filename="g",
        hv_filename="h",
        actor=hr_analyst,
        agency=agency_b,
    )
    _age(hr_saved_run, 40)
    purge_expired(days=30)
    assert WorklistItem.objects.get(record_id="G3").given_name == "Cleo"
    assert WorklistItem.objects.get(record_id="G4").given_name == ""
    assert later.purged_at is None


def test_command_refuses_negative_days():
    from django.core.management.base import CommandError

    with pytest.raises(CommandError):
        call_command("purge_health_records", days=-1)
