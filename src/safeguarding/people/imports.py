"""Importing agencies and people from a CSV file or an Excel workbook.

Three steps, each a plain function so that views stay thin and tests need no requests:

1. `parse_table(file)` reads a .csv (UTF-8 with or without BOM, else Windows-1252) or .xlsx file
   into a header and rows, or raises `ImportFileError` with a message for the person uploading it.
2. `validate_agencies(table, partnership)` / `validate_people(table, partnership)` check every row
   against the database and the rest of the file and return an `ImportReport`: what would be
   created, what would be updated, and every reason each rejected row was rejected. Nothing is
   written.
3. `import_agencies(report, actor)` / `import_people(report, actor)` write a report that has no
   rejected rows, through people.services (which audit each write), inside one transaction, and
   record one `people.import.completed` audit entry. `confirm_import()` re-validates and imports in
   a single transaction, for the confirmation step.

A blank cell means "not given": on an existing agency or person it leaves the current value alone
(except yes/no columns, where blank means no).
"""

from __future__ import annotations

import os
import re
from collections.abc import Callable
from contextlib import contextmanager
from dataclasses import dataclass, field
from typing import Any

from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.db import transaction
from django.db.models.functions import Lower

from safeguarding.core import audit
from safeguarding.core.tabular import TabularError, open_table
from safeguarding.people import services
from safeguarding.people.models import (
    Agency,
    Membership,
    Partnership,
    Role,
    Sector,
    Team,
    User,
)

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

CREATE = "create"
UPDATE = "update"
REJECT = "reject"


class ImportFileError(Exception):
    """The file as a whole cannot be used; the message says why, for the person uploading it."""

    def __init__(self, message: str):
        super().__init__(message)
        self.message = message


class ImportFailed(Exception):
    """A write was refused while importing; the transaction was rolled back."""

    def __init__(self, row_number: int, messages: list[str]):
        self.row_number = row_number
        self.messages = messages
        super().__init__(f"Row {row_number}: {' '.join(messages)}")


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


# The report ------------------------------------------------------------------------------------


@dataclass
class RowReport:
    number: int
    label: str
    errors: list[str] = field(default_factory=list)
    details: list[str] = field(default_factory=list)  # what would change, or notes
    data: dict[str, Any] = field(default_factory=dict)  # cleaned values, for the import
    existing: Any = None  # the Agency or User this row updates

    @property
    def action(self) -> str:
        if self.errors:
            return REJECT
        return UPDATE if self.existing is not None else CREATE


@dataclass
class ImportReport:
    kind: str
    partnership: Partnership
    rows: list[RowReport]
    file_name: str = ""
    imported: bool = False
    teams_created: int = 0

    def _with(self, action: str) -> list[RowReport]:
        return [row for row in self.rows if row.action == action]

    @property
    def rows_read(self) -> int:
        return len(self.rows)

    @property
    def to_create(self) -> list[RowReport]:
        return self._with(CREATE)

    @property
    def to_update(self) -> list[RowReport]:
        return self._with(UPDATE)

    @property
    def rejected(self) -> list[RowReport]:
        return self._with(REJECT)

    @property
    def accepted(self) -> list[RowReport]:
        return [row for row in self.rows if row.action != REJECT]

    @property
    def is_valid(self) -> bool:
        return bool(self.rows) and not self.rejected

    def counts(self) -> dict[str, int]:
        return {
            "rows": self.rows_read,
            "created": len(self.to_create),
            "updated": len(self.to_update),
            "rejected": len(self.rejected),
        }


# Cleaning values -------------------------------------------------------------------------------

_TRUE = {"yes", "y", "true", "1"}
_FALSE = {"no", "n", "false", "0", ""}
_DOMAIN = re.compile(r"^[a-z0-9]([a-z0-9-]*[a-z0-9])?(\.[a-z0-9]([a-z0-9-]*[a-z0-9])?)+$")


def _key(value: str) -> str:
    """How names are compared: case and runs of spaces do not matter."""
    return " ".join(value.split()).lower()


def _tidy(value: str) -> str:
    return " ".join(value.split())


def _split_list(value: str) -> list[str]:
    return [part.strip() for part in re.split(r"[;,]", value) if part.strip()]


def _choice_lookup(choices) -> dict[str, str]:
    lookup = {}
    for code, label in choices:
        for text in (code, code.replace("_", " "), label):
            lookup[_key(str(text))] = code
    return lookup


SECTORS = _choice_lookup(Sector.choices)
ROLES = _choice_lookup(Role.choices)
SECTOR_LABELS = dict(Sector.choices)
ROLE_LABELS = dict(Role.choices)


def _yes_no(row: Row, column: str, errors: list[str]) -> bool:
    value = row.get(column).strip().lower()
    if value in _TRUE:
        return True
    if value not in _FALSE:
        errors.append(f"{column} must be yes or no, not “{row.get(column)}”.")
    return False


def _text(
    row: Row, column: str, errors: list[str], *, max_length: int, required: bool = False
) -> str:
    value = _tidy(row.get(column))
    if required and not value:
        errors.append(f"{column} is missing.")
    elif len(value) > max_length:
        errors.append(f"{column} must be {max_length} characters or fewer.")
    return value


def _email(value: str) -> str | None:
    """The address in lower case, or None if it is not a valid e-mail address."""
    value = value.strip().lower()
    if len(value) > 254:
        return None
    try:
        validate_email(value)
    except ValidationError:
        return None
    return value


def _label(value: Any) -> str:
    if value in (None, "", []):
        return "blank"
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, list):
        return ", ".join(value)
    return str(value)


def _change(label: str, before: Any, after: Any) -> str:
    return f"{label}: {_label(before)} → {_label(after)}"


# Agencies --------------------------------------------------------------------------------------


def validate_agencies(table: Table, partnership: Partnership) -> ImportReport:
    """Check every row of an agencies file; nothing is written."""
    check_columns(table, AGENCIES)
    existing = {
        _key(a.name): a
        for a in Agency.objects.filter(partnership=partnership).select_related("locality")
    }
    localities = {_key(loc.name): loc for loc in partnership.localities.all()}
    seen: dict[str, int] = {}
    rows = []
    for row in table.rows:
        errors: list[str] = []
        name = _text(row, "name", errors, max_length=200, required=True)
        sector_text = row.get("sector").strip()
        sector = SECTORS.get(_key(sector_text))
        if not sector_text:
            errors.append("sector is missing.")
        elif sector is None:
            errors.append(
                f"sector “{sector_text}” is not a sector. Use one of the codes or "
                "names in the list of sectors."
            )
        locality_text = _tidy(row.get("locality"))
        locality = localities.get(_key(locality_text)) if locality_text else None
        if locality_text and locality is None:
            names = ", ".join(sorted(loc.name for loc in localities.values())) or "none"
            errors.append(
                f"locality “{locality_text}” is not one of the partnership's localities ({names})."
            )
        statutory = _yes_no(row, "statutory_partner", errors)
        funds = _yes_no(row, "funds_partnership", errors)
        domains = []
        for domain in _split_list(row.get("email_domains")):
            domain = domain.lower().lstrip("@")
            if not _DOMAIN.match(domain):
                errors.append(f"email_domains: “{domain}” is not an e-mail domain.")
            elif domain not in domains:
                domains.append(domain)
        if name:
            if _key(name) in seen:
                errors.append(
                    f"{name} is also on row {seen[_key(name)]}: an agency can only "
                    "be in the file once."
                )
            else:
                seen[_key(name)] = row.number

        report_row = RowReport(number=row.number, label=name or "(no name)", errors=errors)
        rows.append(report_row)
        if errors:
            continue
        agency = existing.get(_key(name))
        values: dict[str, Any] = {"sector": sector}
        for column, attribute, value in (
            ("statutory_partner", "is_statutory_partner", statutory),
            ("funds_partnership", "funds_partnership", funds),
        ):
            if agency is None or column in table.header:
                values[attribute] = value
        if agency is None or locality is not None:
            values["locality"] = locality
        if agency is None or domains:
            values["email_domains"] = sorted(domains)
        if agency is None:
            report_row.data = {"name": name, **values}
            if locality is not None:
                report_row.details.append(f"Locality: {locality.name}")
            continue
        report_row.existing = agency
        report_row.data = values
        report_row.details = _agency_changes(agency, values)
        if not agency.is_active:
            report_row.details.append("This agency is inactive and stays inactive.")
    return ImportReport(
        kind=AGENCIES, partnership=partnership, rows=rows, file_name=table.file_name
    )


def _agency_changes(agency: Agency, values: dict[str, Any]) -> list[str]:
    changes = []
    if values["sector"] != agency.sector:
        changes.append(
            _change(
                "Sector",
                SECTOR_LABELS.get(agency.sector, agency.sector),
                SECTOR_LABELS[values["sector"]],
            )
        )
    if "locality" in values and values["locality"] != agency.locality:
        changes.append(_change("Locality", agency.locality, values["locality"]))
    for attribute, label in (
        ("is_statutory_partner", "Statutory partner"),
        ("funds_partnership", "Funds the partnership"),
    ):
        if attribute in values and values[attribute] != getattr(agency, attribute):
            changes.append(_change(label, getattr(agency, attribute), values[attribute]))
    if "email_domains" in values and values["email_domains"] != sorted(agency.email_domains):
        changes.append(
            _change("E-mail domains", sorted(agency.email_domains), values["email_domains"])
        )
    return changes or ["No changes"]


def import_agencies(report: ImportReport, actor) -> ImportReport:
    """Write a validated agencies report through people.services, in one transaction."""
    _check_importable(report, AGENCIES)
    with transaction.atomic():
        for row in report.rows:
            with _row_errors(row):
                if row.existing is None:
                    services.agency_create(partnership=report.partnership, actor=actor, **row.data)
                else:
                    services.agency_update(agency=row.existing, actor=actor, **row.data)
        _record_completed(report, actor)
    report.imported = True
    return report


# People ----------------------------------------------------------------------------------------


def validate_people(table: Table, partnership: Partnership) -> ImportReport:
    """Check every row of a people file; nothing is written."""
    check_columns(table, PEOPLE)
    agencies = {_key(a.name): a for a in Agency.objects.filter(partnership=partnership)}
    teams = {
        (t.agency_id, _key(t.name)): t for t in Team.objects.filter(agency__partnership=partnership)
    }

    # Every valid address in the file, and the accounts that already exist for them or for the
    # line managers the file names.
    file_emails: dict[str, int] = {}
    for row in table.rows:
        email = _email(row.get("email"))
        if email and email not in file_emails:
            file_emails[email] = row.number
    wanted = set(file_emails)
    wanted.update(e for e in (_email(r.get("line_manager_email")) for r in table.rows) if e)
    users = _users_by_email(wanted)
    memberships = {
        (m.user_id, m.agency_id): m
        for m in Membership.objects.filter(user__in=users.values())
        .select_related("agency", "team", "line_manager")
        .prefetch_related("role_grants")
    }

    seen: dict[str, int] = {}
    new_teams: set[tuple[int, str]] = set()
    rows = []
    for row in table.rows:
        errors: list[str] = []
        email_text = row.get("email").strip()
        email = _email(email_text)
        if not email_text:
            errors.append("email is missing.")
        elif email is None:
            errors.append(f"email “{email_text}” is not a valid e-mail address.")
        elif email in seen:
            errors.append(
                f"{email} is also on row {seen[email]}: a person can only be in the file once."
            )
        else:
            seen[email] = row.number
        given_name = _text(row, "given_name", errors, max_length=100, required=True)
        family_name = _text(row, "family_name", errors, max_length=100, required=True)

        agency_text = _tidy(row.get("agency"))
        agency = agencies.get(_key(agency_text)) if agency_text else None
        if not agency_text:
            errors.append("agency is missing.")
        elif agency is None:
            errors.append(
                f"agency “{agency_text}” is not an agency in the service. Import or "
                "add the agency first."
            )
        elif not agency.is_active:
            errors.append(f"agency {agency.name} is inactive.")

        team_name = _text(row, "team", errors, max_length=200)
        job_title = _text(row, "job_title", errors, max_length=200)

        roles: list[str] = []
        for text in _split_list(row.get("roles")):
            code = ROLES.get(_key(text))
            if code is None:
                errors.append(
                    f"roles: “{text}” is not a role. Use one of the codes or names in "
                    "the list of roles."
                )
            elif code not in roles:
                roles.append(code)

        manager_text = row.get("line_manager_email").strip()
        manager_email = _email(manager_text) if manager_text else None
        if manager_text:
            if manager_email is None:
                errors.append(f"line_manager_email “{manager_text}” is not a valid e-mail address.")
            elif manager_email == email:
                errors.append("A person cannot be their own line manager.")
            elif manager_email not in file_emails and manager_email not in users:
                errors.append(
                    f"line_manager_email {manager_email} is not someone with an "
                    "account or someone in this file."
                )
            elif manager_email not in file_emails and not users[manager_email].is_active:
                errors.append(f"line manager {manager_email} has a deactivated account.")

        label = email or email_text or "(no e-mail address)"
        if given_name or family_name:
            label = f"{given_name} {family_name}".strip() + f" ({label})"
        report_row = RowReport(number=row.number, label=label, errors=errors)
        rows.append(report_row)
        if errors:
            continue

        team = teams.get((agency.pk, _key(team_name))) if team_name else None
        new_team = team_name if team_name and team is None else ""
        report_row.data = {
            "email": email,
            "given_name": given_name,
            "family_name": family_name,
            "agency": agency,
            "team": team,
            "new_team": new_team,
            "job_title": job_title or None,
            "roles": roles or None,
            "line_manager_email": manager_email,
            "membership": None,
        }
        details = report_row.details
        if new_team and (agency.pk, _key(new_team)) not in new_teams:
            new_teams.add((agency.pk, _key(new_team)))
            details.append(f"New team “{new_team}” will be created in {agency.name}.")
        user = users.get(email)
        if user is None:
            details.append(f"Agency: {agency.name}")
            details.append(
                "Roles: " + ", ".join(ROLE_LABELS[r] for r in roles or [Role.PRACTITIONER])
            )
            if team_name:
                details.append(f"Team: {team.name if team else new_team}")
            if manager_email:
                details.append(f"Line manager: {manager_email}")
            continue
        report_row.existing = user
        membership = memberships.get((user.pk, agency.pk))
        report_row.data["membership"] = membership
        details.extend(_person_changes(user, membership, report_row.data))
    return ImportReport(kind=PEOPLE, partnership=partnership, rows=rows, file_name=table.file_name)


def _users_by_email(emails: set[str]) -> dict[str, User]:
    found: dict[str, User] = {}
    emails = sorted(emails)
    for start in range(0, len(emails), 500):
        chunk = emails[start : start + 500]
        for user in User.objects.annotate(email_lower=Lower("email")).filter(email_lower__in=chunk):
            found[user.email.lower()] = user
    return found


def _person_changes(user: User, membership: Membership | None, data: dict[str, Any]) -> list:
    changes = []
    if (user.given_name, user.family_name) != (data["given_name"], data["family_name"]):
        changes.append(
            _change("Name", user.full_name, f"{data['given_name']} {data['family_name']}")
        )
    if not user.is_active:
        changes.append("This account is deactivated and stays deactivated.")
    agency = data["agency"]
    team_name = data["team"].name if data["team"] else data["new_team"]
    if membership is None:
        roles = data["roles"] or [Role.PRACTITIONER]
        changes.append(
            f"Will be added to {agency.name} ({', '.join(ROLE_LABELS[r] for r in roles)})."
        )
        if data["line_manager_email"]:
            changes.append(f"Line manager: {data['line_manager_email']}")
        return changes
    if team_name and (membership.team is None or _key(membership.team.name) != _key(team_name)):
        changes.append(_change("Team", membership.team.name if membership.team else "", team_name))
    if data["job_title"] is not None and data["job_title"] != membership.job_title:
        changes.append(_change("Job title", membership.job_title, data["job_title"]))
    if data["roles"] is not None:
        current = sorted(membership.role_codes)
        if current != sorted(data["roles"]):
            changes.append(
                _change(
                    "Roles",
                    [ROLE_LABELS.get(r, r) for r in current],
                    [ROLE_LABELS[r] for r in sorted(data["roles"])],
                )
            )
    manager = data["line_manager_email"]
    current_manager = membership.line_manager.email if membership.line_manager else ""
    if manager and manager != current_manager.lower():
        changes.append(_change("Line manager", current_manager, manager))
    return changes or ["No changes"]


def import_people(report: ImportReport, actor) -> ImportReport:
    """Write a validated people report through people.services, in one transaction.

    New people get no password and no e-mail: they choose a password with the password reset
    link. Line managers are set after everyone in the file exists.
    """
    _check_importable(report, PEOPLE)
    teams: dict[tuple[int, str], Team] = {}
    people: dict[str, User] = {}
    later: list[tuple[RowReport, Membership, str]] = []
    with transaction.atomic():
        for row in report.rows:
            data = row.data
            with _row_errors(row):
                agency = data["agency"]
                team = data["team"]
                if team is None and data["new_team"]:
                    key = (agency.pk, _key(data["new_team"]))
                    if key not in teams:
                        teams[key] = services.team_create(
                            agency=agency, name=data["new_team"], actor=actor
                        )
                    team = teams[key]
                manager_email = data["line_manager_email"]
                manager = _find_user(manager_email, people) if manager_email else None
                membership = data["membership"]
                if row.existing is None:
                    user = services.person_create(
                        email=data["email"],
                        given_name=data["given_name"],
                        family_name=data["family_name"],
                        agency=agency,
                        roles=data["roles"] or [Role.PRACTITIONER],
                        job_title=data["job_title"] or "",
                        team=team,
                        line_manager=manager,
                        actor=actor,
                    )
                    membership = Membership.objects.get(user=user, agency=agency)
                else:
                    user = services.person_update(
                        user=row.existing,
                        actor=actor,
                        given_name=data["given_name"],
                        family_name=data["family_name"],
                    )
                    if membership is None:
                        membership = services.membership_create(
                            user=user,
                            agency=agency,
                            roles=data["roles"] or [Role.PRACTITIONER],
                            job_title=data["job_title"] or "",
                            team=team,
                            line_manager=manager,
                            actor=actor,
                        )
                    else:
                        values: dict[str, Any] = {}
                        if team is not None:
                            values["team"] = team
                        if data["job_title"] is not None:
                            values["job_title"] = data["job_title"]
                        if manager is not None:
                            values["line_manager"] = manager
                        services.membership_update(
                            membership=membership, actor=actor, roles=data["roles"], **values
                        )
                people[data["email"]] = user
                if manager_email and manager is None:
                    later.append((row, membership, manager_email))
        for row, membership, manager_email in later:
            with _row_errors(row):
                manager = _find_user(manager_email, people)
                if manager is None:
                    raise ValidationError(f"The line manager {manager_email} was not found.")
                services.membership_update(membership=membership, actor=actor, line_manager=manager)
        report.teams_created = len(teams)
        _record_completed(report, actor)
    report.imported = True
    return report


def _find_user(email: str, people: dict[str, User]) -> User | None:
    if email in people:
        return people[email]
    return User.objects.filter(email__iexact=email).first()


# Shared ----------------------------------------------------------------------------------------


@contextmanager
def _row_errors(row: RowReport):
    """Turn a service's ValidationError into ImportFailed naming the row (and so roll back)."""
    try:
        yield
    except ValidationError as error:
        raise ImportFailed(row.number, list(error.messages)) from error


def _check_importable(report: ImportReport, kind: str) -> None:
    if report.kind != kind:
        raise ValueError(f"This is a report on {report.kind}, not {kind}.")
    if not report.is_valid:
        raise ValueError("A report with rejected rows cannot be imported.")
    if report.imported:
        raise ValueError("This report has already been imported.")


def _record_completed(report: ImportReport, actor) -> None:
    changes: dict[str, Any] = {
        "kind": report.kind,
        "file_name": report.file_name,
        **report.counts(),
    }
    if report.kind == PEOPLE:
        changes["teams_created"] = report.teams_created
    audit.record(
        action="people.import.completed",
        actor=actor,
        changes=changes,
        object_type="people.import",
        object_repr=report.file_name or report.kind,
    )


VALIDATORS: dict[str, Callable[[Table, Partnership], ImportReport]] = {
    AGENCIES: validate_agencies,
    PEOPLE: validate_people,
}
IMPORTERS: dict[str, Callable[[ImportReport, Any], ImportReport]] = {
    AGENCIES: import_agencies,
    PEOPLE: import_people,
}


def confirm_import(kind: str, table: Table, partnership: Partnership, actor) -> ImportReport:
    """Validate the file again against the database as it is now and, if no row is rejected,
    import it, all in one transaction. Returns the report; `report.imported` says which."""
    with transaction.atomic():
        report = VALIDATORS[kind](table, partnership)
        if report.is_valid:
            IMPORTERS[kind](report, actor)
    return report
