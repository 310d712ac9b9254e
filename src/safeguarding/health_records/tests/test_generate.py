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


def _areas_by_child(out):
    """{child_id: set of postcode areas on its records}"""
    postcode = {
        r["record_id"]: r["postcode"].upper()
        for name in ("gp_extract.csv", "hv_extract.csv")
        for r in _rows(out / name)
    }
    areas: dict[str, set[str]] = {}
    for row in _rows(out / "truth.csv"):
        area = "".join(c for c in postcode[row["record_id"]][:2] if c.isalpha())
        areas.setdefault(row["child_id"], set()).add(area)
    return areas


def test_local_moves_keep_the_postcode_area(tmp_path):
    generate(2000, 3, tmp_path / "local", local_moves=1.0)
    generate(2000, 3, tmp_path / "anywhere", local_moves=0.0)
    assert all(len(a) == 1 for a in _areas_by_child(tmp_path / "local").values())
    assert any(len(a) > 1 for a in _areas_by_child(tmp_path / "anywhere").values())


def test_a_locality_s_districts_share_one_area(extracts):
    out, _ = extracts
    teams_by_area: dict[str, set[str]] = {}
    for r in _rows(out / "hv_extract.csv"):
        area = "".join(c for c in r["postcode"].upper()[:2] if c.isalpha())
        teams_by_area.setdefault(area, set()).add(r["hv_team"])
    assert all(len(teams) == 1 for teams in teams_by_area.values())


def test_the_command_refuses_a_share_of_local_moves_over_one(tmp_path):
    with pytest.raises(CommandError, match="between 0 and 1"):
        call_command(
            "generate_health_extracts", "--children", "5", "--local-moves", "2", "--out", tmp_path
        )


def test_the_command_writes_the_files(tmp_path, capsys):
    call_command("generate_health_extracts", "--children", "50", "--seed", "2", "--out", tmp_path)
    assert "50 children" in capsys.readouterr().out
    assert (tmp_path / "gp_extract.csv").exists() and (tmp_path / "truth.csv").exists()


def test_the_command_refuses_more_children_than_test_nhs_numbers(tmp_path):
    with pytest.raises(CommandError, match="999 test range"):
        call_command("generate_health_extracts", "--children", "5000000", "--out", tmp_path)
