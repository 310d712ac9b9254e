"""Property tests for core.tabular (issue 15 item 4): whatever bytes arrive as a .csv or .xlsx
file, the reader reads them or raises its own TabularError with a message for the user, never
another exception (a server error)."""

from __future__ import annotations

import io
import zipfile

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from safeguarding.core.tabular import CODES, Contract, TabularError, open_table
from safeguarding.core.tests.test_tabular import xlsx_bytes

CONTRACT = Contract(required=["name"], optional=["team"])
VALID = xlsx_bytes([["Name", "Team"], ["Zoë", "North"], [1, 2.5]])


def _read(data: bytes, file_format: str | None) -> None:
    try:
        with open_table(data, contract=CONTRACT, file_format=file_format) as table:
            for _number, record in table.records():
                assert set(record) <= {"name", "team"}
    except TabularError as error:
        assert error.code in CODES
        assert error.message and error.message[0].isupper() and error.message.endswith(".")


def _replace(data: bytes, name: str, content: bytes) -> bytes:
    source = zipfile.ZipFile(io.BytesIO(data))
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for info in source.infolist():
            body = content if info.filename == name else source.read(info.filename)
            archive.writestr(info.filename, body)
    return buffer.getvalue()


def test_a_valid_zip_with_a_broken_sheet_is_the_readers_error():
    broken = _replace(VALID, "xl/worksheets/sheet1.xml", b"<worksheet><sheetData><row")
    try:
        with open_table(broken, contract=CONTRACT):
            raise AssertionError("a broken sheet was read")
    except TabularError as error:
        assert error.code == "xlsx"
        assert error.message == "The file could not be read as an Excel workbook (.xlsx)."


SHEET = (
    '<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">'
    '<dimension ref="A1:A3"/><sheetData>'
)


def _row(number: int, cell: str) -> str:
    return f'<row r="{number}"><c r="A{number}" {cell}</c></row>'


def _sheet_refused(sheet: str) -> TabularError:
    data = _replace(VALID, "xl/worksheets/sheet1.xml", sheet.encode())
    try:
        with open_table(data, contract=CONTRACT) as table:
            list(table.rows())
    except TabularError as error:
        return error
    raise AssertionError("the damaged sheet was read")


@pytest.mark.parametrize("tail", ["<row r=", "&&&", "</sheetData></worksheet>garbage<"])
def test_a_sheet_broken_after_its_header_is_the_readers_error(tail):
    # With a <dimension>, openpyxl parses the sheet as it is read: a ParseError, until now.
    header = _row(1, 't="inlineStr"><is><t>name</t></is>')
    error = _sheet_refused(SHEET + header + _row(2, 't="inlineStr"><is><t>Zoe</t></is>') + tail)
    assert error.code == "xlsx"
    assert error.message == "The file could not be read as an Excel workbook (.xlsx)."


def test_a_shared_string_that_does_not_exist_is_the_readers_error():
    error = _sheet_refused(SHEET + _row(1, 't="s"><v>99</v>') + "</sheetData></worksheet>")
    assert error.code == "xlsx"


_fuzz = settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])


@_fuzz
@given(data=st.binary(max_size=2048), file_format=st.sampled_from([None, "csv", "xlsx"]))
def test_any_bytes_are_read_or_refused_by_the_reader(data, file_format):
    _read(data, file_format)


@_fuzz
@given(text=st.text(max_size=300), encoding=st.sampled_from(["utf-8", "utf-8-sig", "cp1252"]))
def test_any_text_as_csv_is_read_or_refused_by_the_reader(text, encoding):
    _read(text.encode(encoding, errors="replace"), "csv")


@_fuzz
@given(
    name=st.sampled_from(
        [
            "xl/worksheets/sheet1.xml",
            "xl/workbook.xml",
            "xl/styles.xml",
            "xl/_rels/workbook.xml.rels",
            "[Content_Types].xml",
        ]
    ),
    content=st.binary(max_size=512)
    | st.text(max_size=300).map(str.encode)
    | st.text(max_size=300).map(lambda text: (SHEET + text).encode()),
)
def test_a_workbook_with_any_part_replaced_is_read_or_refused(name, content):
    _read(_replace(VALID, name, content), "xlsx")


@_fuzz
@given(cut=st.integers(min_value=0, max_value=len(VALID)), flip=st.integers(0, 255))
def test_a_damaged_workbook_is_read_or_refused(cut, flip):
    damaged = bytearray(VALID)
    if cut < len(damaged):
        damaged[cut] ^= flip
    _read(bytes(damaged), None)
    _read(VALID[:cut], "xlsx")
