"""Reading a tabular file: a CSV file (UTF-8 with or without BOM, else Windows-1252) or an XLSX
workbook (its first sheet, read-only), from a path, an uploaded file, a file object or bytes.

    with open_table(upload, contract=Contract(required=["name"], optional=["team"])) as table:
        for number, values in table.records():   # number: the row's number in the file
            ...

The first non-blank row is the header; its names are matched case- and whitespace-insensitively
(`header_key`: "Given Name" and "given-name" are both "given_name"). A file the reader cannot
use at all raises `TabularError` with a `code` (see CODES) and a message naming what is wrong:
callers that have their own wording translate the code. Rows are read lazily, so a caller that
only needs the header (a form checking an upload) reads no further.
"""

from __future__ import annotations

import codecs
import csv
import io
import os
import re
import shutil
import tempfile
import zipfile
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import IO, Any

csv.field_size_limit(1_000_000)

XLSX_MAGIC = b"PK\x03\x04"

CODES = {
    "unopenable": "The file {name} could not be opened.",
    "empty": "The file is empty.",
    "utf16": "The file is saved as UTF-16 text. Save it as CSV UTF-8 and upload it again.",
    "binary": "The file is not a CSV or XLSX file (it contains binary data).",
    "encoding": "The file is neither UTF-8 nor Windows-1252 text. Save it as CSV UTF-8.",
    "csv": "The file could not be read as CSV ({detail}).",
    "xlsx": "The file could not be read as an Excel workbook (.xlsx).",
    "xlsx_too_large": "The workbook is too large to import. Split it into smaller files.",
    "duplicate_columns": "These columns appear more than once: {columns}.",
    "missing_columns": "The file is missing these columns: {columns}.",
    "too_many_rows": "The file has more than {limit:,} rows. Split it into smaller files.",
}


class TabularError(Exception):
    """The file cannot be used at all; `code` says why (a key of CODES)."""

    def __init__(self, code: str, *, detail: str = "", columns: Sequence[str] = (), **values):
        self.code = code
        self.detail = detail
        self.columns = list(columns)
        self.message = CODES[code].format(detail=detail, columns=", ".join(columns), **values)
        super().__init__(self.message)

    @property
    def missing_columns(self) -> list[str]:
        return self.columns if self.code == "missing_columns" else []


@dataclass(frozen=True)
class Contract:
    """The columns a file must have, and those it may have (matched by `header_key`)."""

    required: Sequence[str]
    optional: Sequence[str] = ()
    aliases: dict[str, str] = field(default_factory=dict)  # header key -> column name

    @property
    def columns(self) -> list[str]:
        return [*self.required, *self.optional]


def header_key(value: Any) -> str:
    """'Line manager e-mail ' -> 'line_manager_e_mail'; 'Given-Name' -> 'given_name'."""
    text = "" if value is None else " ".join(str(value).split())
    return re.sub(r"[\s\-]+", "_", text.lower().lstrip("\ufeff")).strip("_")


def is_blank(cells: Sequence[Any]) -> bool:
    return not any(cell is not None and str(cell).strip() for cell in cells)


@dataclass
class Table:
    """An open file, its header read. `rows()`/`records()` read the rest, once."""

    name: str
    encoding: str  # "utf-8", "utf-8-sig", "cp1252" or "xlsx"
    header: list[str]  # header keys in file order ("" for a blank header cell)
    header_row: int
    positions: dict[str, int]  # column -> index of its first occurrence
    _rows: Iterator[tuple[int, list[Any]]]
    max_rows: int | None = None

    def rows(self) -> Iterator[tuple[int, list[Any]]]:
        """(row number, cells) for each non-blank row below the header; cells as read (strings
        from a CSV file, typed values from a workbook)."""
        count = 0
        for number, cells in self._rows:
            if is_blank(cells):
                continue
            count += 1
            if self.max_rows is not None and count > self.max_rows:
                raise TabularError("too_many_rows", limit=self.max_rows)
            yield number, cells

    def records(self, columns: Sequence[str] | None = None) -> Iterator[tuple[int, dict]]:
        """(row number, {column: cell}) for the given columns (default every named column)."""
        wanted = [c for c in (columns or self.positions) if c in self.positions]
        index = [(column, self.positions[column]) for column in wanted]
        for number, cells in self.rows():
            yield number, {c: cells[i] if i < len(cells) else None for c, i in index}


def source_name(source: Any) -> str:
    """The file name of a path or an uploaded file ("upload" for an unnamed stream)."""
    if isinstance(source, bytes | bytearray):
        return ""
    if isinstance(source, str | os.PathLike):
        return Path(source).name
    return Path(getattr(source, "name", "") or "upload").name


def _open_binary(source: Any) -> tuple[IO[bytes], str, bool]:
    """A seekable binary stream, the file name, and whether we opened it (so must close it)."""
    if isinstance(source, bytes | bytearray):
        return io.BytesIO(bytes(source)), "", True
    if isinstance(source, str | os.PathLike):
        path = Path(source)
        try:
            return path.open("rb"), path.name, True
        except OSError as exc:
            raise TabularError("unopenable", name=path.name, detail=exc.strerror or "") from exc
    name = Path(getattr(source, "name", "") or "upload").name
    stream = getattr(source, "file", source)  # Django's UploadedFile wraps a file
    if hasattr(stream, "seekable") and stream.seekable():
        stream.seek(0)
        return stream, name, False
    spooled = tempfile.SpooledTemporaryFile(max_size=64 * 1024 * 1024)  # noqa: SIM115
    shutil.copyfileobj(stream, spooled)
    spooled.seek(0)
    return spooled, name, True


def detect_encoding(stream: IO[bytes], *, sample: int | None = None) -> str:
    """UTF-8 ("utf-8-sig" with a BOM) if the file (or its first `sample` bytes) decodes as such,
    else Windows-1252. Refuses UTF-16 and binary data."""
    head = stream.read(4)
    stream.seek(0)
    if head.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        raise TabularError("utf16")
    decoder = codecs.getincrementaldecoder("utf-8")()
    left = sample
    try:
        while chunk := stream.read(1024 * 1024 if left is None else min(left, 1024 * 1024)):
            if b"\x00" in chunk:
                raise TabularError("binary")
            decoder.decode(chunk)
            if left is not None:
                left -= len(chunk)
                if left <= 0:
                    break
        if left is None or left > 0:
            decoder.decode(b"", final=True)  # a character cut by the sample is not an error
        encoding = "utf-8-sig" if head.startswith(codecs.BOM_UTF8) else "utf-8"
    except UnicodeDecodeError:
        encoding = "cp1252"
    stream.seek(0)
    return encoding


def _csv_rows(stream: IO[bytes], encoding: str) -> Iterator[list[str]]:
    text = io.TextIOWrapper(stream, encoding=encoding, newline="")
    try:
        yield from csv.reader(text)
    except UnicodeDecodeError as exc:
        raise TabularError("encoding") from exc
    except csv.Error as exc:
        raise TabularError("csv", detail=str(exc)) from exc
    finally:
        if not stream.closed:
            text.detach()  # leave the caller's file open


def _xlsx_rows(
    stream: IO[bytes], *, max_columns: int | None, max_unpacked_bytes: int | None
) -> Iterator[list[Any]]:
    from openpyxl import load_workbook

    try:
        if max_unpacked_bytes is not None:
            with zipfile.ZipFile(stream) as archive:
                unpacked = sum(info.file_size for info in archive.infolist())
            stream.seek(0)
            if unpacked > max_unpacked_bytes:
                raise TabularError("xlsx_too_large")
        workbook = load_workbook(stream, read_only=True, data_only=True)
    except TabularError:
        raise
    except Exception as exc:  # openpyxl raises many types for a damaged workbook
        raise TabularError("xlsx") from exc
    try:
        if not workbook.worksheets:
            return
        for row in workbook.worksheets[0].iter_rows(max_col=max_columns, values_only=True):
            yield list(row)
    except (KeyError, ValueError, TypeError, zipfile.BadZipFile, OSError) as exc:
        raise TabularError("xlsx") from exc
    finally:
        workbook.close()


@contextmanager
def open_table(
    source: Any,
    *,
    contract: Contract | None = None,
    file_format: str | None = None,
    encoding_sample: int | None = None,
    max_rows: int | None = None,
    max_columns: int | None = None,
    max_unpacked_bytes: int | None = None,
    refuse_duplicate_columns: bool = False,
) -> Iterator[Table]:
    """Open a CSV or XLSX file and read its header; the file is closed on leaving the block.

    `file_format` "csv" or "xlsx" (default: an XLSX workbook is recognised by its content).
    `encoding_sample`: decide the text encoding from the first so many bytes (default the whole
    file: slower, but a Windows-1252 character on the last line is still read right)."""
    stream, name, close = _open_binary(source)
    raw = None
    try:
        head = stream.read(4)
        stream.seek(0)
        if file_format is None:
            file_format = "xlsx" if head.startswith(XLSX_MAGIC) else "csv"
        if not head:
            raise TabularError("empty")
        if file_format == "xlsx":
            encoding = "xlsx"
            raw = _xlsx_rows(stream, max_columns=max_columns, max_unpacked_bytes=max_unpacked_bytes)
        else:
            encoding = detect_encoding(stream, sample=encoding_sample)
            raw = _csv_rows(stream, encoding)
        numbered = _numbered(raw, max_columns if file_format == "csv" else None)
        header, header_row = None, 0
        for header_row, cells in numbered:  # noqa: B007 - the header's row number is kept
            if not is_blank(cells):
                header = [header_key(cell) for cell in cells]
                break
        if header is None:
            raise TabularError("empty")
        positions: dict[str, int] = {}
        for index, key in enumerate(header):
            column = contract.aliases.get(key, key) if contract else key
            if column:
                positions.setdefault(column, index)
        if refuse_duplicate_columns:
            named = [h for h in header if h]
            duplicates = sorted({h for h in named if named.count(h) > 1})
            if duplicates:
                raise TabularError("duplicate_columns", columns=duplicates)
        if contract is not None:
            missing = [column for column in contract.required if column not in positions]
            if missing:
                raise TabularError("missing_columns", columns=missing)
        yield Table(
            name=name,
            encoding=encoding,
            header=header,
            header_row=header_row,
            positions=positions,
            _rows=numbered,
            max_rows=max_rows,
        )
    finally:
        if raw is not None:
            raw.close()  # release the text wrapper before the file it wraps
        if close:
            stream.close()


def _numbered(rows: Iterator[list[Any]], max_columns: int | None):
    for number, cells in enumerate(rows, start=1):
        yield number, cells if max_columns is None else cells[:max_columns]
