"""Validating and importing a file of agencies."""

from typing import Any

from django.db import transaction

from safeguarding.people import services
from safeguarding.people.models import (
    Agency,
    Partnership,
)

from .files import AGENCIES, Table, check_columns
from .report import ImportReport, RowReport, _check_importable, _record_completed
from .rows import (
    _DOMAIN,
    SECTOR_LABELS,
    SECTORS,
    _change,
    _key,
    _row_errors,
    _split_list,
    _text,
    _tidy,
    _yes_no,
)

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
