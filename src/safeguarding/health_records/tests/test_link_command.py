"""link_health_records end to end on generated extracts; refusals write nothing."""

from __future__ import annotations

import csv
import json

import pytest
from django.core.management import CommandError, call_command

from safeguarding.health_records.linkage.generate import generate


@pytest.fixture(scope="module")
def extracts(tmp_path_factory):
    out = tmp_path_factory.mktemp("cmd")
    generate(250, 11, out)
    return out


def test_links_and_writes_the_four_outputs(tmp_path, extracts, capsys):
    out = tmp_path / "run"
    call_command(
        "link_health_records",
        "--gp",
        extracts / "gp_extract.csv",
        "--hv",
        extracts / "hv_extract.csv",
        "--out",
        out,
    )
    printed = capsys.readouterr().out
    assert "matches" in printed and "Outputs written" in printed
    with (out / "matches.csv").open() as handle:
        matches = list(csv.DictReader(handle))
    assert matches and {m["match_status"] for m in matches} <= {"match", "review"}
    summary = json.loads((out / "summary.json").read_text())
    assert summary["imports"]["gp"]["rows_read"] > 200
    assert summary["counts"]["matches"] == sum(m["match_status"] == "match" for m in matches)
    assert summary["timings_seconds"]["total"] > 0
    assert summary["model"]["splink"]["comparisons"]
    for name in ("gp_not_known_to_hv.csv", "hv_not_registered_with_gp.csv"):
        assert (out / name).read_text().startswith(name.split("_not")[0] + "_record_id")


def test_a_file_with_missing_columns_is_refused_and_nothing_written(tmp_path, extracts):
    bad = tmp_path / "bad.csv"
    bad.write_text("record_id,forename\nG1,Amelia\n")
    out = tmp_path / "run"
    with pytest.raises(CommandError, match="missing these columns: nhs_number"):
        call_command(
            "link_health_records", "--gp", bad, "--hv", extracts / "hv_extract.csv", "--out", out
        )
    assert not out.exists()


def test_bad_thresholds_are_refused(tmp_path, extracts):
    with pytest.raises(CommandError, match="Thresholds"):
        call_command(
            "link_health_records",
            "--gp",
            extracts / "gp_extract.csv",
            "--hv",
            extracts / "hv_extract.csv",
            "--out",
            tmp_path,
            "--match-threshold",
            "0.4",
        )


@pytest.mark.django_db
def test_save_stores_the_run_in_the_platform(tmp_path, extracts, hr_analyst, hr_team):
    from safeguarding.health_records.models import LinkageRun

    args = ["--gp", extracts / "gp_extract.csv", "--hv", extracts / "hv_extract.csv"]
    call_command("link_health_records", *args, "--out", tmp_path / "one", "--save")
    run = LinkageRun.objects.get()
    assert run.agency == hr_analyst.memberships.first().agency
    summary = json.loads((tmp_path / "one" / "summary.json").read_text())
    assert summary["counts"]["matches"] > 0
