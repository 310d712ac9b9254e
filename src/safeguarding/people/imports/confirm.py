"""Validate again and import, in one transaction: the confirmation step."""

from collections.abc import Callable
from typing import Any

from django.db import transaction

from safeguarding.people.models import (
    Partnership,
)

from .agencies import import_agencies, validate_agencies
from .files import AGENCIES, PEOPLE, Table
from .people import import_people, validate_people
from .report import ImportReport

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
