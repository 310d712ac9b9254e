"""The linkage run files are opened in spreadsheets: a name such as =HYPERLINK(...) must arrive as
text, and the files must still read back to the values the linkage wrote."""

from __future__ import annotations

import csv
import datetime

import pytest

from safeguarding.core.exports import read_csv
from safeguarding.health_records.linkage.extracts import Record
from safeguarding.health_records.linkage.outputs import write_outputs
from safeguarding.health_records.linkage.types import LinkageResult, Pair

HOSTILE = [
    '=HYPERLINK("http://evil.example","Click")',
    "+cmd|' /C calc'!A0",
    "-2+3",
    "@SUM(A1:A2)",
    "\t=1+1",
    "\r=1+1",
]


def _record(record_id, value, **extra):
    return Record(
        record_id=record_id,
        nhs_number=None,
        nhs_number_raw=value,
        nhs_number_valid=False,
        given_name=value,
        family_name=value,
        date_of_birth=datetime.date(2024, 1, 2),
        sex="F",
        postcode=None,
        address_line=value,
        flags=[value],
        **extra,
    )


@pytest.fixture
def written(tmp_path):
    gp = [_record(f"G{i}", v, gp_practice_code=v) for i, v in enumerate(HOSTILE)]
    hv = [_record(f"H{i}", v, hv_team=v) for i, v in enumerate(HOSTILE)]
    result = LinkageResult(
        pairs=[Pair(f"G{i}", f"H{i}", 0.5, "review", v) for i, v in enumerate(HOSTILE)],
        gp_not_known_to_hv=[r.record_id for r in gp],
        hv_not_registered_with_gp=[r.record_id for r in hv],
        counts={},
        timings={},
        model={},
    )
    return write_outputs(result, gp, hv, tmp_path)


@pytest.mark.parametrize("name", ["matches", "gp_not_known_to_hv", "hv_not_registered_with_gp"])
def test_no_cell_in_a_run_file_starts_a_formula(written, name):
    with written[name].open(newline="", encoding="utf-8") as handle:
        rows = list(csv.reader(handle))
    cells = [cell for row in rows[1:] for cell in row]
    assert cells
    assert not [c for c in cells if c[:1] in ("=", "+", "-", "@", "\t", "\r")]
    assert {"'" + v for v in HOSTILE} <= set(cells)


def test_the_run_files_read_back_to_what_the_linkage_wrote(written):
    matches = read_csv(written["matches"])
    assert [m["reason"] for m in matches] == HOSTILE
    assert matches[0]["match_probability"] == "0.500000"
    gp = read_csv(written["gp_not_known_to_hv"])
    assert [r["given_name"] for r in gp] == HOSTILE
    assert [r["gp_practice_code"] for r in gp] == HOSTILE
    assert [r["flags"] for r in gp] == HOSTILE
    hv = read_csv(written["hv_not_registered_with_gp"])
    assert [r["hv_team"] for r in hv] == HOSTILE
    assert list(hv[0]) == [
        "hv_record_id",
        "nhs_number",
        "nhs_number_as_supplied",
        "given_name",
        "family_name",
        "date_of_birth",
        "sex",
        "postcode",
        "address_line",
        "hv_team",
        "flags",
    ]
