"""generate_health_extracts: deterministic files with every hazard and a complete truth file."""

from __future__ import annotations

import csv
from collections import Counter

import pytest
from django.core.management import CommandError, call_command

from safeguarding.health_records.linkage.extracts import nhs_number_is_valid
from safeguarding.health_records.linkage.generate import generate


def _rows(path):
    with path.open(newline="", encoding="utf-8") as handle:
        return list(csv.DictReader(handle))


@pytest.fixture(scope="module")
def extracts(tmp_path_factory):
    out = tmp_path_factory.mktemp("gen")
    counts = generate(2000, 3, out)
    return out, counts


def test_same_seed_same_files(tmp_path, extracts):
    out, _ = extracts
    generate(2000, 3, tmp_path)
    for name in ("gp_extract.csv", "hv_extract.csv", "truth.csv"):
        assert (tmp_path / name).read_bytes() == (out / name).read_bytes()


def test_nhs_numbers_only_from_the_999_range(extracts):
    out, _ = extracts
    numbers = [
        r["nhs_number"].replace(" ", "")
        for name in ("gp_extract.csv", "hv_extract.csv")
        for r in _rows(out / name)
        if r["nhs_number"]
    ]
    assert numbers and all(n.startswith("999") and len(n) == 10 for n in numbers)
    invalid = sum(not nhs_number_is_valid(n) for n in numbers)
    assert 0 < invalid < len(numbers) * 0.05  # a few mistyped, caught by the check digit


def test_truth_covers_every_record_and_the_hazards(extracts):
    out, counts = extracts
    truth = _rows(out / "truth.csv")
    gp, hv = _rows(out / "gp_extract.csv"), _rows(out / "hv_extract.csv")
    assert {r["record_id"] for r in truth if r["list"] == "gp"} == {r["record_id"] for r in gp}
    assert {r["record_id"] for r in truth if r["list"] == "hv"} == {r["record_id"] for r in hv}
    assert counts["children"] == 2000
    assert counts["both"] and counts["gp_only"] and counts["hv_only"]
    assert counts["twins"] and counts["duplicates"] and counts["moved"] and counts["renamed"]
    births = Counter(
        r["multiple_birth"] for r in truth if r["multiple_birth"] and r["list"] == "gp"
    )
    assert max(births.values()) >= 2
    assert any(r["duplicate"] == "1" for r in truth)
    assert any("-" in r["family_name"] for r in gp + hv)  # double-barrelled
    assert any("/" in r["date_of_birth"] for r in gp) and any("-" in r["date_of_birth"] for r in gp)


def test_the_command_writes_the_files(tmp_path, capsys):
    call_command("generate_health_extracts", "--children", "50", "--seed", "2", "--out", tmp_path)
    assert "50 children" in capsys.readouterr().out
    assert (tmp_path / "gp_extract.csv").exists() and (tmp_path / "truth.csv").exists()


def test_the_command_refuses_more_children_than_test_nhs_numbers(tmp_path):
    with pytest.raises(CommandError, match="999 test range"):
        call_command("generate_health_extracts", "--children", "5000000", "--out", tmp_path)
