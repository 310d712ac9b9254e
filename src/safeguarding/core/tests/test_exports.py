"""Every CSV and XLSX the platform writes goes through the neutralising writer in core/exports.py,
so a value a spreadsheet would run as a formula arrives as text."""

from __future__ import annotations

import csv
import io
import re
from pathlib import Path

import pytest

from safeguarding.core.exports import read_csv, restore_cell, safe_cell, write_csv

PACKAGE = Path(__file__).resolve().parents[2]  # src/safeguarding

# Writing a CSV or a workbook directly, bypassing the neutralising writer.
DIRECT_WRITERS = re.compile(r"csv\.writer\(|csv\.DictWriter\(|\bWorkbook\(|\.to_csv\(")

# Justified exceptions (module path relative to src/safeguarding -> why).
ALLOWED = {
    # The neutralising writer itself.
    "core/exports.py": "the one writer everything else uses",
    # Synthetic GP and health visiting extracts and their truth file: test INPUT for the linkage,
    # made from the generator's own fictional name lists (no value starts with = + - @, a tab or
    # a carriage return). They must stay byte-for-byte what the linkage reads: an apostrophe
    # added to a value would change the data under test.
    "health_records/linkage/generate.py": "synthetic input extracts, read back by the linkage",
    # The demo loader rewrites those synthetic extracts month by month and imports them again.
    "health_records/demo.py": "synthetic input extracts, read back by the import",
}

FORMULAS = [
    '=HYPERLINK("http://evil.example","Click")',
    "+cmd|' /C calc'!A0",
    "-2+3",
    "@SUM(A1:A2)",
    "\t=1+1",
    "\r=1+1",
]


def _modules():
    for path in sorted(PACKAGE.rglob("*.py")):
        relative = path.relative_to(PACKAGE).as_posix()
        if "/tests/" in f"/{relative}" or relative.startswith("browser_tests/"):
            continue
        yield relative, path


def test_no_module_writes_csv_or_xlsx_without_the_neutralising_writer():
    offenders = [
        relative
        for relative, path in _modules()
        if relative not in ALLOWED and DIRECT_WRITERS.search(path.read_text(encoding="utf-8"))
    ]
    assert offenders == [], (
        "write CSV and XLSX through safeguarding.core.exports (csv_response, xlsx_response, "
        f"write_csv), or justify an exception in ALLOWED: {offenders}"
    )


def test_the_allow_list_names_only_modules_that_exist_and_need_it():
    modules = dict(_modules())
    for relative in ALLOWED:
        assert relative in modules, relative
        assert DIRECT_WRITERS.search(modules[relative].read_text(encoding="utf-8")), relative


@pytest.mark.parametrize("value", FORMULAS)
def test_write_csv_neutralises_formulas_and_read_csv_gives_them_back(tmp_path, value):
    path = tmp_path / "out.csv"
    write_csv(path, ["id", "name"], [["G1", value], ["G2", "Amelia"]])
    with path.open(newline="", encoding="utf-8") as handle:
        rows = list(csv.reader(handle))
    assert rows[0] == ["id", "name"]
    assert rows[1] == ["G1", "'" + value]
    assert rows[2] == ["G2", "Amelia"]
    assert read_csv(path) == [{"id": "G1", "name": value}, {"id": "G2", "name": "Amelia"}]


def test_write_csv_takes_an_open_handle(tmp_path):
    handle = io.StringIO(newline="")
    write_csv(handle, ["name"], [["=1+1"]])
    assert handle.getvalue().splitlines() == ["name", "'=1+1"]


@pytest.mark.parametrize(
    "value",
    [*FORMULAS, "'=1+1", "''=1+1", "'", "'plain", "O'Brien", "plain", "", 0, 1.5, None],
)
def test_neutralising_round_trips_exactly(value):
    assert restore_cell(safe_cell(value)) == value


@pytest.mark.parametrize("value", ["'=1+1", "''@x"])
def test_a_value_that_already_looks_neutralised_is_escaped_again(value):
    assert safe_cell(value) == "'" + value
