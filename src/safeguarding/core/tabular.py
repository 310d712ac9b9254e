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

Limits (issue 15): a workbook is refused from its zip directory and the start of its first
sheet, before openpyxl parses anything, when it unpacks to more than TABULAR_MAX_UNCOMPRESSED_MB
(or the caller's `max_unpacked_bytes`), when a part unpacks to more than
TABULAR_MAX_COMPRESSION_RATIO times its compressed size (a zip bomb), or when its sheet declares
(<dimension ref=...>) more rows than allowed or more than TABULAR_MAX_COLUMNS columns. Reading
stops when the rows actually read, blank ones too, pass the limit (the caller's `max_rows`, else
TABULAR_MAX_ROWS) by more than BLANK_ROWS_ALLOWED.
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
    "xlsx_suspicious": "The workbook unpacks to more than {limit:,} times its size, which a "
    "spreadsheet does not. Save it again from Excel, or as CSV UTF-8, and upload it again.",
    "too_many_columns": "The workbook's first sheet has more than {limit:,} columns. Delete the "
    "unused columns, or save it as CSV UTF-8, and upload it again.",
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


# Rows and blank rows a file may have beyond its row limit (a header, blank lines, a total row).
BLANK_ROWS_ALLOWED = 1000
# A part smaller than this unpacked is not checked for its compression ratio (it cannot hurt).
RATIO_CHECKED_FROM = 1024 * 1024
# How much of a sheet's XML is read to find its <dimension> (it comes before the cells).
DIMENSION_SEARCH_BYTES = 64 * 1024
_DIMENSION = re.compile(
    rb"<(?:\w+:)?dimension\s+ref=[\"']\$?([A-Za-z]{1,3})\$?(\d{1,7})"
    rb"(?::\$?([A-Za-z]{1,3})\$?(\d{1,7}))?[\"']"
)


@dataclass(frozen=True)
class Limits:
    """How large a file may be; by default from the settings (TABULAR_*)."""

    rows: int
    columns: int
    unpacked_bytes: int
    compression_ratio: int

    @classmethod
    def for_call(cls, *, max_rows: int | None, max_unpacked_bytes: int | None) -> Limits:
        from django.conf import settings

        rows = settings.TABULAR_MAX_ROWS
        unpacked = settings.TABULAR_MAX_UNCOMPRESSED_MB * 1024 * 1024
        return cls(
            rows=rows if max_rows is None else min(rows, max_rows),
            columns=settings.TABULAR_MAX_COLUMNS,
            unpacked_bytes=unpacked
            if max_unpacked_bytes is None
            else min(unpacked, max_unpacked_bytes),
            compression_ratio=settings.TABULAR_MAX_COMPRESSION_RATIO,
        )


def _column_number(letters: bytes) -> int:
    number = 0
    for letter in letters.upper():
        number = number * 26 + letter - ord("A") + 1
    return number


def check_workbook(stream: IO[bytes], limits: Limits) -> None:
    """Refuse a workbook too large to parse, from its zip directory and the start of each sheet's
    XML, without parsing it; the stream is left at its start. A file that is not a zip is left
    for openpyxl to refuse. The sizes are the zip directory's: zipfile yields no more than an
    entry's declared size (and fails its CRC check if the data was longer)."""
    try:
        archive = zipfile.ZipFile(stream)
    except (zipfile.BadZipFile, OSError, ValueError, EOFError):
        stream.seek(0)
        return
    try:
        infos = archive.infolist()
        if sum(info.file_size for info in infos) > limits.unpacked_bytes:
            raise TabularError("xlsx_too_large")
        for info in infos:
            if info.file_size >= RATIO_CHECKED_FROM and (
                info.file_size > limits.compression_ratio * max(info.compress_size, 1)
            ):
                raise TabularError("xlsx_suspicious", limit=limits.compression_ratio)
        for info in infos:
            name = info.filename.lower()
            if name.startswith("xl/worksheets/") and name.endswith(".xml"):
                _check_dimension(archive, info, limits)
    finally:
        archive.close()
        stream.seek(0)


def _check_dimension(archive: zipfile.ZipFile, info: zipfile.ZipInfo, limits: Limits) -> None:
    try:
        with archive.open(info) as sheet:
            start = sheet.read(DIMENSION_SEARCH_BYTES)
    except Exception:  # noqa: BLE001 - a damaged part is openpyxl's to refuse, as before
        return
    match = _DIMENSION.search(start)
    if match is None:
        return
    first_col, first_row, last_col, last_row = match.groups()
    # The sheet is read from A1 (openpyxl fills the cells before the range), so the last cell
    # of the range is what counts, not the range's size.
    columns = _column_number(last_col or first_col)
    rows = int(last_row or first_row)
    if columns > limits.columns:
        raise TabularError("too_many_columns", limit=limits.columns)
    if rows > limits.rows + BLANK_ROWS_ALLOWED:
        raise TabularError("too_many_rows", limit=limits.rows)


def _xlsx_rows(
    stream: IO[bytes], *, max_columns: int | None, limits: Limits
) -> Iterator[list[Any]]:
    from openpyxl import load_workbook

    check_workbook(stream, limits)
    try:
        workbook = load_workbook(stream, read_only=True, data_only=True)
    except Exception as exc:  # openpyxl raises many types for a damaged workbook
        raise TabularError("xlsx") from exc
    try:
        if not workbook.worksheets:
            return
        rows = workbook.worksheets[0].iter_rows(max_col=max_columns, values_only=True)
        while True:
            try:
                row = next(rows)
            except StopIteration:
                return
            except Exception as exc:  # a damaged sheet: ParseError, IndexError, ValueError...
                raise TabularError("xlsx") from exc
            yield list(row)
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
    file: slower, but a Windows-1252 character on the last line is still read right).
    `max_rows`, `max_unpacked_bytes`: tighter limits than the settings' (see Limits)."""
    limits = Limits.for_call(max_rows=max_rows, max_unpacked_bytes=max_unpacked_bytes)
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
            raw = _xlsx_rows(stream, max_columns=max_columns, limits=limits)
        else:
            encoding = detect_encoding(stream, sample=encoding_sample)
            raw = _csv_rows(stream, encoding)
        numbered = _numbered(raw, max_columns if file_format == "csv" else None, limits.rows)
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


def _numbered(rows: Iterator[list[Any]], max_columns: int | None, max_rows: int):
    """(number, cells) for every row, blank or not; stops reading past the row limit (blank rows
    count, so a sheet of millions of empty rows is not read to its end)."""
    for number, cells in enumerate(rows, start=1):
        if number > max_rows + BLANK_ROWS_ALLOWED:
            raise TabularError("too_many_rows", limit=max_rows)
        yield number, cells if max_columns is None else cells[:max_columns]
