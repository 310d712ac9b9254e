"""Read a GP registration extract or a health visiting caseload extract (CSV or XLSX).

Every row is validated and normalised into a `Record`; the `ExtractReport` says how many rows were
read, accepted, flagged (kept, with a problem noted) and rejected (left out, with the reasons).
A file that cannot be used at all raises `ExtractRefused` with a message a person can act on, and
the caller gets nothing from it: the whole file is read into memory before anything is returned,
so nothing is ever half-imported.
"""

from __future__ import annotations

import datetime
import operator
import re
from dataclasses import dataclass, field
from typing import Any

from safeguarding.core.tabular import Contract, Table, TabularError, open_table, source_name

COMMON_COLUMNS = [
    "record_id",
    "nhs_number",
    "given_name",
    "family_name",
    "date_of_birth",
    "sex",
    "postcode",
    "address_line",
]
COLUMNS = {
    "gp": [*COMMON_COLUMNS, "gp_practice_code"],
    "hv": [*COMMON_COLUMNS, "hv_team"],
}
CONTRACTS = {kind: Contract(required=columns) for kind, columns in COLUMNS.items()}
KIND_NAMES = {"gp": "GP registration extract", "hv": "health visiting caseload extract"}


class ExtractRefused(Exception):
    """The file cannot be imported at all; nothing from it is used."""

    def __init__(self, message: str, *, missing_columns: list[str] | None = None):
        super().__init__(message)
        self.message = message
        self.missing_columns = list(missing_columns or [])


@dataclass(slots=True)
class Record:
    record_id: str
    nhs_number: str | None
    nhs_number_raw: str
    nhs_number_valid: bool
    given_name: str
    family_name: str
    date_of_birth: datetime.date | None
    sex: str
    postcode: str | None
    address_line: str
    gp_practice_code: str = ""
    hv_team: str = ""
    flags: list[str] = field(default_factory=list)

    def as_row(self) -> dict[str, Any]:
        """The record's fields as written to the output files."""
        return {
            "nhs_number": self.nhs_number or "",
            "nhs_number_as_supplied": self.nhs_number_raw,
            "given_name": self.given_name,
            "family_name": self.family_name,
            "date_of_birth": self.date_of_birth.isoformat() if self.date_of_birth else "",
            "sex": self.sex,
            "postcode": self.postcode or "",
            "address_line": self.address_line,
            "gp_practice_code": self.gp_practice_code,
            "hv_team": self.hv_team,
            "flags": "; ".join(self.flags),
        }


@dataclass(slots=True)
class RowProblem:
    row_number: int
    record_id: str
    reasons: list[str]


@dataclass
class ExtractReport:
    kind: str
    filename: str
    encoding: str
    rows_read: int = 0
    accepted: list[Record] = field(default_factory=list)
    flagged: list[RowProblem] = field(default_factory=list)
    rejected: list[RowProblem] = field(default_factory=list)

    def summary(self) -> dict[str, Any]:
        return {
            "kind": self.kind,
            "filename": self.filename,
            "encoding": self.encoding,
            "rows_read": self.rows_read,
            "accepted": len(self.accepted),
            "flagged": len(self.flagged),
            "rejected": len(self.rejected),
        }


# --- field rules -------------------------------------------------------------------------------

_NHS_WEIGHTS = (10, 9, 8, 7, 6, 5, 4, 3, 2)


def nhs_check_digit(first_nine: str) -> int | None:
    """The modulus 11 check digit for nine digits, or None when no valid number can end them."""
    if len(first_nine) != 9:
        raise ValueError("nhs_check_digit needs nine digits")
    total = sum(map(operator.mul, map(int, first_nine), _NHS_WEIGHTS))
    check = 11 - (total % 11)
    if check == 11:
        return 0
    if check == 10:
        return None
    return check


def nhs_number_is_valid(digits: str) -> bool:
    if len(digits) != 10 or not digits.isdigit():
        return False
    return nhs_check_digit(digits[:9]) == int(digits[9])


def normalise_nhs_number(raw: str) -> tuple[str | None, str | None]:
    """(digits, None) if valid, (None, reason) if invalid, (None, None) if blank."""
    value = raw.strip()
    if not value:
        return None, None
    digits = value.replace(" ", "")
    if len(digits) != 10 or not digits.isdigit():
        return None, f"NHS number “{value}” is not 10 digits; kept but not used to match"
    if not nhs_number_is_valid(digits):
        return None, f"NHS number “{value}” fails the check digit; kept but not used to match"
    return digits, None


_ISO_DATE = re.compile(r"^(\d{4})-(\d{1,2})-(\d{1,2})(?:[T ]00:00(?::00)?)?$")
_UK_DATE = re.compile(r"^(\d{1,2})/(\d{1,2})/(\d{4})$")


def parse_date_of_birth(raw: Any, today: datetime.date) -> tuple[datetime.date | None, str | None]:
    if isinstance(raw, datetime.datetime):
        value: datetime.date | None = raw.date()
    elif isinstance(raw, datetime.date):
        value = raw
    else:
        text = str(raw).strip()
        if not text:
            return None, None
        value = None
        if match := _ISO_DATE.match(text):
            year, month, day = (int(g) for g in match.groups())
        elif match := _UK_DATE.match(text):
            day, month, year = (int(g) for g in match.groups())
        else:
            return None, (
                f"date of birth “{text}” is not a date like 2013-04-30 or 30/04/2013; left blank"
            )
        try:
            value = datetime.date(year, month, day)
        except ValueError:
            return None, f"date of birth “{text}” is not a real date; left blank"
    if value > today:
        # A baby's date with day and month swapped often lands in the future (12/01 as 01/12):
        # read it the other way round when that gives a past date, and say so.
        if value.day <= 12 and value.day != value.month:
            swapped = datetime.date(value.year, value.day, value.month)
            if swapped <= today:
                return swapped, (
                    f"date of birth {value:%d/%m/%Y} is in the future; read as "
                    f"{swapped:%d/%m/%Y} (day and month swapped)"
                )
        return None, f"date of birth {value:%d/%m/%Y} is in the future; left blank"
    return value, None


_SEX_WORDS = {
    "M": "M",
    "MALE": "M",
    "BOY": "M",
    "1": "M",
    "F": "F",
    "FEMALE": "F",
    "GIRL": "F",
    "2": "F",
    "U": "U",
    "UNKNOWN": "U",
    "NOT KNOWN": "U",
    "NOT SPECIFIED": "U",
    "INDETERMINATE": "U",
    "I": "U",
    "X": "U",
    "0": "U",
    "9": "U",
}


def normalise_sex(raw: str) -> tuple[str, str | None]:
    text = " ".join(raw.strip().upper().split())
    if not text:
        return "U", None
    if text in _SEX_WORDS:
        return _SEX_WORDS[text], None
    return "U", f"sex “{raw.strip()}” is not M, F or U (or male, female, unknown); recorded as U"


_POSTCODE = re.compile(r"^([A-Z]{1,2}[0-9][A-Z0-9]?)([0-9][A-Z]{2})$")


def normalise_postcode(raw: str) -> tuple[str | None, str | None]:
    compact = "".join(raw.split()).upper()
    if not compact:
        return None, None
    match = _POSTCODE.match(compact)
    if not match:
        return None, f"postcode “{raw.strip()}” is not a UK postcode; left blank"
    return f"{match.group(1)} {match.group(2)}", None


def _text(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    if isinstance(value, datetime.datetime):
        return value.date().isoformat()
    return " ".join(str(value).split())


# --- reading files -----------------------------------------------------------------------------


def _refusal(error: TabularError, kind: str, filename: str) -> ExtractRefused:
    """The reader's refusal in this module's words."""
    messages = {
        "unopenable": f"The file {filename} could not be opened: {error.detail}.",
        "empty": f"The file {filename} is empty.",
        "utf16": "The file is saved as UTF-16 text. Save it as CSV UTF-8 (or Windows-1252) and "
        "upload it again.",
        "binary": "The file is not a CSV or XLSX file (it contains binary data).",
        "encoding": "The file is neither UTF-8 nor Windows-1252 text. Save it as CSV UTF-8 and "
        "upload it again.",
        "csv": f"The file could not be read as CSV: {error.detail}.",
        "xlsx": "The file looks like an XLSX workbook but could not be opened.",
        "missing_columns": f"The {KIND_NAMES[kind]} is missing these columns: "
        f"{', '.join(error.columns)}. The header row must name: {', '.join(COLUMNS[kind])}.",
    }
    return ExtractRefused(
        messages.get(error.code, error.message), missing_columns=error.missing_columns
    )


def read_extract(
    path_or_file: Any, kind: str, *, today: datetime.date | None = None
) -> ExtractReport:
    """Read and validate a whole extract. Raises ExtractRefused if it cannot be used at all."""
    if kind not in COLUMNS:
        raise ValueError(f"kind must be 'gp' or 'hv', not {kind!r}")
    today = today or datetime.date.today()
    filename = source_name(path_or_file)
    try:
        with open_table(path_or_file, contract=CONTRACTS[kind]) as table:
            report = ExtractReport(kind=kind, filename=table.name, encoding=table.encoding)
            _validate_rows(table, kind, report, today)
    except TabularError as error:
        raise _refusal(error, kind, filename) from error
    return report


def _validate_rows(table: Table, kind: str, report: ExtractReport, today) -> None:
    expected = COLUMNS[kind]
    positions = table.positions
    extra_field = "gp_practice_code" if kind == "gp" else "hv_team"
    index_of = [positions[column] for column in expected]
    width = max(index_of) + 1
    pick = operator.itemgetter(*index_of)
    # Dates of birth and sexes repeat a great deal, so each distinct value is checked once.
    dates: dict[str, tuple[datetime.date | None, str | None]] = {}
    sexes: dict[str, tuple[str, str | None]] = {}
    seen: dict[str, int] = {}
    for row_number, raw in table.rows():
        cells = (
            pick(raw) if len(raw) >= width else [raw[i] if i < len(raw) else None for i in index_of]
        )
        # _text for every cell (the common case, plain strings from a CSV file, inline).
        texts = [" ".join(c.split()) if c.__class__ is str else _text(c) for c in cells]
        if not any(texts):
            continue  # blank lines (often at the end of a spreadsheet) are not records
        report.rows_read += 1
        record_id, nhs_raw, given, family, _, sex_text, postcode_text, address, extra = texts
        raw_dob = cells[4]
        problems: list[str] = []
        reject: list[str] = []
        if not record_id:
            reject.append("record_id is blank")
        elif record_id in seen:
            reject.append(f"record_id “{record_id}” is already used on row {seen[record_id]}")
        else:
            seen[record_id] = row_number
        nhs_number, nhs_problem = normalise_nhs_number(nhs_raw)
        if raw_dob.__class__ is str:
            parsed = dates.get(raw_dob)
            if parsed is None:
                parsed = dates[raw_dob] = parse_date_of_birth(raw_dob, today)
            dob, dob_problem = parsed
        else:
            dob, dob_problem = parse_date_of_birth(raw_dob or "", today)
        sex_checked = sexes.get(sex_text)
        if sex_checked is None:
            sex_checked = sexes[sex_text] = normalise_sex(sex_text)
        sex, sex_problem = sex_checked
        postcode, postcode_problem = normalise_postcode(postcode_text)
        if nhs_problem or dob_problem or sex_problem or postcode_problem:
            problems += [p for p in (nhs_problem, dob_problem, sex_problem, postcode_problem) if p]
        if nhs_number is None and not (family and dob):
            reject.append(
                "too little to identify the child: needs a valid NHS number, or a family name "
                "and a date of birth"
            )
        if reject:
            report.rejected.append(RowProblem(row_number, record_id, reject + problems))
            continue
        record = Record(
            record_id=record_id,
            nhs_number=nhs_number,
            nhs_number_raw=nhs_raw,
            nhs_number_valid=nhs_number is not None,
            given_name=given,
            family_name=family,
            date_of_birth=dob,
            sex=sex,
            postcode=postcode,
            address_line=address,
            flags=problems,
        )
        setattr(record, extra_field, extra)
        report.accepted.append(record)
        if problems:
            report.flagged.append(RowProblem(row_number, record_id, problems))
    if report.rows_read == 0:
        raise ExtractRefused(
            f"The {KIND_NAMES[kind]} has a header row but no records.",
        )
