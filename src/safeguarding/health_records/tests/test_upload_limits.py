"""The run form refuses an oversized or lying workbook on the page, with a message saying why,
before openpyxl parses it (issue 15 item 6; the limits are core.tabular's)."""

from __future__ import annotations

from unittest import mock

import pytest
from django import forms
from django.core.files.uploadedfile import SimpleUploadedFile

from safeguarding.core.tests.test_tabular_limits import _row, workbook
from safeguarding.health_records.forms import check_header


def _upload(data: bytes) -> SimpleUploadedFile:
    return SimpleUploadedFile("gp.xlsx", data)


def _header_error(data: bytes) -> str:
    with (
        mock.patch("openpyxl.load_workbook") as load_workbook,
        pytest.raises(forms.ValidationError) as refused,
    ):
        check_header(_upload(data), "gp")
    load_workbook.assert_not_called()
    return refused.value.messages[0]


def test_a_zip_bomb_is_refused_with_a_message():
    row = b'<row r="1"><c r="A1" t="inlineStr"><is><t>x</t></is></c></row>'
    bomb = workbook(row * 100_000 for _ in range(3))
    assert _header_error(bomb).startswith("unpacks to far more data than a spreadsheet would")


def test_a_sheet_claiming_every_cell_of_excel_is_refused_with_a_message():
    data = workbook([_row(1, "record_id")], dimension="A1:XFD1048576")
    assert _header_error(data).startswith("has more columns than a workbook may have")
