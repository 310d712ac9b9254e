"""Exports people open in spreadsheets: CSV (streamed, or written to a file) and XLSX.

Every CSV and XLSX the platform writes goes through here (core/tests/test_exports.py checks the
tree). Every cell goes through `safe_cell`, so text that a spreadsheet would run as a formula
(starting with = + - @, a tab or a carriage return) is neutralised with a leading apostrophe.
Text that already starts with apostrophes before such a character gets one more, so the change
can be undone exactly: `read_csv` (through `restore_cell`) gives back what was written.
"""

from __future__ import annotations

import csv
import io
import re
from collections.abc import Iterable, Sequence
from pathlib import Path
from typing import IO, Any

from django.http import HttpResponse, StreamingHttpResponse

# A formula start, or one behind apostrophes (what a neutralised formula looks like).
_NEEDS_APOSTROPHE = re.compile(r"'*[=+\-@\t\r]")
_NEUTRALISED = re.compile(r"''*[=+\-@\t\r]")


def safe_cell(value: Any) -> Any:
    if isinstance(value, str) and _NEEDS_APOSTROPHE.match(value):
        return "'" + value
    return value


def restore_cell(value: Any) -> Any:
    """The value `safe_cell` was given (for files the platform reads back)."""
    if isinstance(value, str) and _NEUTRALISED.match(value):
        return value[1:]
    return value


def safe_cells(values: Iterable[Any]) -> list[Any]:
    return [safe_cell(value) for value in values]


class _Echo:
    def write(self, value):
        return value


def csv_response(filename: str, header: Sequence[str], rows: Iterable[Sequence[Any]]):
    """A streamed CSV download (UTF-8 with a BOM, so Excel reads accents correctly)."""
    writer = csv.writer(_Echo())

    def lines():
        yield "\ufeff" + writer.writerow(header)
        for row in rows:
            yield writer.writerow(safe_cells(row))

    response = StreamingHttpResponse(lines(), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


def write_csv(
    target: str | Path | IO[str], header: Sequence[str], rows: Iterable[Sequence[Any]]
) -> None:
    """Write a CSV file (UTF-8, no BOM) to a path or an open text handle (opened with
    newline="")."""
    if isinstance(target, str | Path):
        with Path(target).open("w", newline="", encoding="utf-8") as handle:
            write_csv(handle, header, rows)
        return
    writer = csv.writer(target)
    writer.writerow(header)
    for row in rows:
        writer.writerow(safe_cells(row))


def read_csv(target: str | Path | IO[str]) -> list[dict[str, Any]]:
    """Read back a CSV written by `write_csv`: one dict per row, each value as it was given."""
    if isinstance(target, str | Path):
        with Path(target).open(newline="", encoding="utf-8") as handle:
            return read_csv(handle)
    return [
        {name: restore_cell(value) for name, value in row.items()} for row in csv.DictReader(target)
    ]


def xlsx_response(filename: str, sheets: dict[str, tuple[Sequence[str], Iterable[Sequence[Any]]]]):
    """An XLSX download with one sheet per entry: {sheet title: (header, rows)}."""
    from openpyxl import Workbook
    from openpyxl.styles import Font

    workbook = Workbook(write_only=False)
    workbook.remove(workbook.active)
    for title, (header, rows) in sheets.items():
        sheet = workbook.create_sheet(title=title[:31])
        sheet.append(list(header))
        for cell in sheet[1]:
            cell.font = Font(bold=True)
        for row in rows:
            sheet.append(safe_cells(row))
        sheet.freeze_panes = "A2"
    buffer = io.BytesIO()
    workbook.save(buffer)
    response = HttpResponse(
        buffer.getvalue(),
        content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    )
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response
