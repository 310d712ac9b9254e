"""core.tabular refuses a workbook by its declared and actual size before parsing it (issue 15
item 6): a zip bomb, a sheet claiming A1:XFD1048576, a sheet with more rows than allowed. The
files are built here, small on disk; the tests check that openpyxl is never called."""

from __future__ import annotations

import io
import time
import zipfile
from unittest import mock

import pytest
from django.test import override_settings

from safeguarding.core.tabular import TabularError, open_table
from safeguarding.core.tests.test_tabular import xlsx_bytes

NS = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"


def _row(number: int, text: str = "x") -> bytes:
    cell = f'<c r="A{number}" t="inlineStr"><is><t>{text}</t></is></c>'
    return f'<row r="{number}">{cell}</row>'.encode()


def workbook(sheet_xml_chunks, *, dimension: str | None = None) -> bytes:
    """An XLSX file whose first sheet's XML is the given chunks (streamed into the zip, so a
    sheet of a hundred megabytes never sits in memory)."""
    template = zipfile.ZipFile(io.BytesIO(xlsx_bytes([["name"]])))
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for info in template.infolist():
            if info.filename != "xl/worksheets/sheet1.xml":
                archive.writestr(info.filename, template.read(info.filename))
        with archive.open("xl/worksheets/sheet1.xml", "w", force_zip64=True) as sheet:
            sheet.write(f'<worksheet xmlns="{NS}">'.encode())
            if dimension:
                sheet.write(f'<dimension ref="{dimension}"/>'.encode())
            sheet.write(b"<sheetData>")
            for chunk in sheet_xml_chunks:
                sheet.write(chunk)
            sheet.write(b"</sheetData></worksheet>")
    return buffer.getvalue()


def _rows(count: int, *, start: int = 1, per_chunk: int = 10_000):
    for first in range(start, start + count, per_chunk):
        yield b"".join(_row(n) for n in range(first, min(first + per_chunk, start + count)))


def _refused(data: bytes, **options) -> TabularError:
    with (
        mock.patch("openpyxl.load_workbook") as load_workbook,
        pytest.raises(TabularError) as refused,
        open_table(data, file_format="xlsx", **options),
    ):
        pass
    load_workbook.assert_not_called()  # refused from the zip's directory, before parsing
    return refused.value


def test_the_zip_bomb_of_the_issue_is_refused_before_parsing():
    # 3 million rows, ~150 MB of sheet XML, well under a megabyte on disk.
    row = b'<row r="1"><c r="A1" t="inlineStr"><is><t>x</t></is></c></row>'
    bomb = workbook(row * 100_000 for _ in range(30))
    assert len(bomb) < 1024 * 1024
    with zipfile.ZipFile(io.BytesIO(bomb)) as archive:
        assert archive.getinfo("xl/worksheets/sheet1.xml").file_size > 150_000_000
    started = time.monotonic()
    error = _refused(bomb)
    assert error.code == "xlsx_suspicious"
    assert "unpacks to more than 100 times its size" in error.message
    assert time.monotonic() - started < 10  # generous: the refusal reads no XML


@override_settings(TABULAR_MAX_UNCOMPRESSED_MB=1, TABULAR_MAX_COMPRESSION_RATIO=10_000)
def test_a_workbook_over_the_unpacked_size_limit_is_refused():
    data = workbook(_rows(30_000))  # ~2 MB of XML
    error = _refused(data)
    assert error.code == "xlsx_too_large"
    assert error.message == "The workbook is too large to import. Split it into smaller files."


def test_the_callers_unpacked_size_limit_still_applies():
    data = workbook(_rows(30_000))
    assert _refused(data, max_unpacked_bytes=1024 * 1024).code == "xlsx_too_large"


def test_a_sheet_claiming_every_column_of_excel_is_refused_before_parsing():
    data = workbook([_row(1, "name")], dimension="A1:XFD1048576")
    assert len(data) < 8 * 1024  # a few kilobytes on disk
    error = _refused(data)
    assert error.code == "too_many_columns"
    assert error.message == (
        "The workbook's first sheet has more than 1,000 columns. Delete the unused columns, "
        "or save it as CSV UTF-8, and upload it again."
    )


def test_a_sheet_claiming_more_rows_than_the_caller_allows_is_refused_before_parsing():
    data = workbook([_row(1, "name")], dimension="A1:I1048576")
    error = _refused(data, max_rows=5000)
    assert error.code == "too_many_rows"
    assert error.message == "The file has more than 5,000 rows. Split it into smaller files."


@override_settings(TABULAR_MAX_ROWS=100)
def test_a_sheet_claiming_more_rows_than_the_setting_allows_is_refused():
    data = workbook([_row(1, "name")], dimension="A1:A5000")
    assert _refused(data).code == "too_many_rows"


def test_a_declared_size_within_the_limits_is_read():
    data = workbook([_row(1, "name"), _row(2, "Zoë")], dimension="A1:A2")
    with open_table(data, file_format="xlsx") as table:
        assert [cells for _, cells in table.rows()] == [["Zoë"]]


@override_settings(TABULAR_MAX_ROWS=100)
def test_reading_stops_when_the_actual_rows_exceed_the_limit_even_if_blank():
    # No <dimension>, so the size is only known by reading: blank rows count too (so a sheet of
    # millions of empty rows is not read to its end), with room for a header and a few blanks.
    blank_rows = (f'<row r="{n}"/>'.encode() for n in range(2, 5000))
    data = workbook([_row(1, "name"), *blank_rows])
    with pytest.raises(TabularError) as refused, open_table(data, file_format="xlsx") as table:
        list(table.rows())
    assert refused.value.code == "too_many_rows"
    assert refused.value.message == "The file has more than 100 rows. Split it into smaller files."


@override_settings(TABULAR_MAX_ROWS=100)
def test_a_csv_file_with_too_many_lines_stops_being_read_too():
    data = b"name\r\n" + b"\r\n" * 5000 + b"Zoe\r\n"
    with pytest.raises(TabularError) as refused, open_table(data) as table:
        list(table.rows())
    assert refused.value.code == "too_many_rows"


def test_an_ordinary_workbook_is_not_refused():
    data = xlsx_bytes([["name"], *([["Zoë"]] * 2000)])
    with open_table(data) as table:
        assert sum(1 for _ in table.rows()) == 2000
