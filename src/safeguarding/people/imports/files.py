"""Reading an import file (a .csv or .xlsx, through core.tabular) into a Table, and the
columns each kind of import takes."""

import os
from dataclasses import dataclass
from typing import Any

from safeguarding.core.tabular import TabularError, open_table

MAX_FILE_BYTES = 5 * 1024 * 1024
MAX_ROWS = 5000
MAX_COLUMNS = 100
# An .xlsx is a zip archive: refuse archives that would expand to more than this.
MAX_XLSX_UNPACKED_BYTES = 100 * 1024 * 1024
_UNREADABLE_CHARACTERS = (
    'The file\'s characters could not be read. Save it as "CSV UTF-8" and upload it again.'
)

AGENCIES = "agencies"
PEOPLE = "people"


class ImportFileError(Exception):
    """The file as a whole cannot be used; the message says why, for the person uploading it."""

    def __init__(self, message: str):
        super().__init__(message)
        self.message = message


# Columns ---------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Column:
    name: str
    required: bool
    description: str


AGENCY_COLUMNS = (
    Column(
        "name",
        True,
        "The agency's name. An agency with the same name (in any capitals) "
        "is updated, not added again.",
    ),
    Column("sector", True, "One of the sector codes or names below."),
    Column(
        "locality", False, "The name of one of the partnership's localities. Blank for countywide."
    ),
    Column("statutory_partner", False, "yes or no (true/false, 1/0 also work). Blank means no."),
    Column("funds_partnership", False, "yes or no (true/false, 1/0 also work). Blank means no."),
    Column(
        "email_domains",
        False,
        "Work e-mail domains of its staff, separated by ; or , for "
        "example police.example; nhs.example",
    ),
)

PEOPLE_COLUMNS = (
    Column(
        "email",
        True,
        "Work e-mail address. A person who already has an account with this "
        "address is updated, not added again.",
    ),
    Column("given_name", True, "First name."),
    Column("family_name", True, "Last name."),
    Column("agency", True, "The name of an agency already in the service."),
    Column(
        "team", False, "Team name within the agency. A team that does not exist yet is created."
    ),
    Column("job_title", False, "Job title."),
    Column(
        "roles",
        False,
        "Role codes or names, separated by ; or , (see below). Blank means "
        "practitioner for new people and no change for existing people.",
    ),
    Column(
        "line_manager_email",
        False,
        "E-mail address of their line manager: someone with an "
        "account already, or someone else in the same file.",
    ),
)

COLUMNS = {AGENCIES: AGENCY_COLUMNS, PEOPLE: PEOPLE_COLUMNS}


def column_names(kind: str) -> list[str]:
    return [column.name for column in COLUMNS[kind]]


# Reading the file ------------------------------------------------------------------------------


@dataclass(frozen=True)
class Row:
    number: int  # the row's number in the file or spreadsheet; the header is row 1
    values: dict[str, str]

    def get(self, column: str) -> str:
        return self.values.get(column, "")


@dataclass(frozen=True)
class Table:
    header: list[str]  # normalised column names, in file order ("" for a blank header cell)
    rows: list[Row]
    file_name: str = ""


def clean_file_name(name: str) -> str:
    return os.path.basename(str(name or "").replace("\\", "/"))[:200]


def parse_table(file, name: str | None = None) -> Table:
    """Read a .csv or .xlsx file (an uploaded file, a file object or bytes) into a Table."""
    if isinstance(file, bytes | bytearray):
        data = bytes(file)
    else:
        name = name or getattr(file, "name", "")
        if getattr(file, "size", None) is not None and file.size > MAX_FILE_BYTES:
            raise ImportFileError(too_big_message())
        if hasattr(file, "seek"):
            file.seek(0)
        data = file.read(MAX_FILE_BYTES + 1)
    name = clean_file_name(name or "")
    if len(data) > MAX_FILE_BYTES:
        raise ImportFileError(too_big_message())
    extension = os.path.splitext(name)[1].lower()
    if extension == ".xls":
        raise ImportFileError(
            "The file is an old-style Excel workbook (.xls). Save it as an "
            "Excel workbook (.xlsx) or a CSV file and upload it again."
        )
    if extension not in {".csv", ".xlsx"}:
        raise ImportFileError("The file must be a CSV file (.csv) or an Excel workbook (.xlsx).")
    if not data.strip():
        raise ImportFileError("The file is empty.")
    return _table(data, name, xlsx=extension == ".xlsx")


def too_big_message() -> str:
    return f"The file must be smaller than {MAX_FILE_BYTES // (1024 * 1024)} MB."


def _cell_text(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    if hasattr(value, "isoformat"):
        return value.isoformat()
    return str(value)


FILE_MESSAGES = {
    "empty": "The file is empty.",
    "utf16": _UNREADABLE_CHARACTERS,
    "binary": _UNREADABLE_CHARACTERS,
    "encoding": _UNREADABLE_CHARACTERS,
    "xlsx": "The file could not be read as an Excel workbook (.xlsx).",
    "too_many_rows": f"The file has more than {MAX_ROWS:,} rows. Split it into "
    "smaller files and import each one.",
}


def _table(data: bytes, file_name: str, *, xlsx: bool) -> Table:
    try:
        with open_table(
            data,
            file_format="xlsx" if xlsx else "csv",
            max_rows=MAX_ROWS,
            max_columns=MAX_COLUMNS,
            max_unpacked_bytes=MAX_XLSX_UNPACKED_BYTES if xlsx else None,
            refuse_duplicate_columns=True,
        ) as table:
            rows = [
                Row(
                    number=number,
                    values={
                        column: _cell_text(cells[index]).strip() if index < len(cells) else ""
                        for column, index in table.positions.items()
                    },
                )
                for number, cells in table.rows()
            ]
    except TabularError as error:
        if error.code == "csv":
            message = f"The file could not be read as a CSV file ({error.detail})."
        else:
            message = FILE_MESSAGES.get(error.code, error.message)
        raise ImportFileError(message) from None
    if not rows:
        raise ImportFileError("The file has column names but no rows below them.")
    return Table(header=table.header, rows=rows, file_name=file_name)


def check_columns(table: Table, kind: str) -> None:
    """Refuse a file that lacks any required column, naming the missing columns."""
    missing = [c.name for c in COLUMNS[kind] if c.required and c.name not in table.header]
    if missing:
        which = "this required column" if len(missing) == 1 else "these required columns"
        raise ImportFileError(
            f"The file is missing {which}: {', '.join(missing)}. The first row must contain "
            "the column names."
        )
