"""The report on a file: what each row would create or update, or why it is rejected; and the
checks and audit entry around importing one."""

from dataclasses import dataclass, field
from typing import Any

from safeguarding.core import audit
from safeguarding.people.models import (
    Partnership,
)

from .files import PEOPLE

CREATE = "create"
UPDATE = "update"
REJECT = "reject"


class ImportFailed(Exception):
    """A write was refused while importing; the transaction was rolled back."""

    def __init__(self, row_number: int, messages: list[str]):
        self.row_number = row_number
        self.messages = messages
        super().__init__(f"Row {row_number}: {' '.join(messages)}")


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
