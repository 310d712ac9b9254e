"""Importing agencies and people from a CSV file or an Excel workbook.

Three steps, each a plain function so that views stay thin and tests need no requests:

1. `parse_table(file)` (files.py) reads a .csv (UTF-8 with or without BOM, else Windows-1252) or
   .xlsx file through core.tabular into a header and rows, or raises `ImportFileError` with a
   message for the person uploading it.
2. `validate_agencies(table, partnership)` (agencies.py) / `validate_people(table, partnership)`
   (people.py) check every row against the database and the rest of the file and return an
   `ImportReport` (report.py): what would be created, what would be updated, and every reason
   each rejected row was rejected. Nothing is written. Shared row cleaning is in rows.py.
3. `import_agencies(report, actor)` / `import_people(report, actor)` write a report that has no
   rejected rows, through people.services (which audit each write), inside one transaction, and
   record one `people.import.completed` audit entry. `confirm_import()` (confirm.py)
   re-validates and imports in a single transaction, for the confirmation step.

A blank cell means "not given": on an existing agency or person it leaves the current value alone
(except yes/no columns, where blank means no).

The names below are re-exported so that `from safeguarding.people import imports` and
`imports.parse_table(...)` keep working.
"""

from safeguarding.people import services  # tests replace its functions through this name

from .agencies import import_agencies, validate_agencies
from .confirm import IMPORTERS, VALIDATORS, confirm_import
from .files import (
    AGENCIES,
    AGENCY_COLUMNS,
    COLUMNS,
    MAX_COLUMNS,
    MAX_FILE_BYTES,
    MAX_ROWS,
    MAX_XLSX_UNPACKED_BYTES,
    PEOPLE,
    PEOPLE_COLUMNS,
    Column,
    ImportFileError,
    Row,
    Table,
    check_columns,
    clean_file_name,
    column_names,
    parse_table,
    too_big_message,
)
from .people import import_people, validate_people
from .report import CREATE, REJECT, UPDATE, ImportFailed, ImportReport, RowReport
from .rows import ROLE_LABELS, ROLES, SECTOR_LABELS, SECTORS

__all__ = [
    "AGENCIES",
    "AGENCY_COLUMNS",
    "COLUMNS",
    "CREATE",
    "IMPORTERS",
    "MAX_COLUMNS",
    "MAX_FILE_BYTES",
    "MAX_ROWS",
    "MAX_XLSX_UNPACKED_BYTES",
    "PEOPLE",
    "PEOPLE_COLUMNS",
    "REJECT",
    "ROLES",
    "ROLE_LABELS",
    "SECTORS",
    "SECTOR_LABELS",
    "UPDATE",
    "VALIDATORS",
    "Column",
    "ImportFailed",
    "ImportFileError",
    "ImportReport",
    "Row",
    "RowReport",
    "Table",
    "check_columns",
    "services",
    "clean_file_name",
    "column_names",
    "confirm_import",
    "import_agencies",
    "import_people",
    "parse_table",
    "too_big_message",
    "validate_agencies",
    "validate_people",
]
