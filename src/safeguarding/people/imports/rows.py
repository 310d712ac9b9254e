"""Shared row validation: cleaning the values of a row, and naming the row when a write fails."""

import re
from contextlib import contextmanager
from typing import Any

from django.core.exceptions import ValidationError
from django.core.validators import validate_email

from safeguarding.people.models import (
    Role,
    Sector,
)

from .files import Row
from .report import ImportFailed, RowReport

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


@contextmanager
def _row_errors(row: RowReport):
    """Turn a service's ValidationError into ImportFailed naming the row (and so roll back)."""
    try:
        yield
    except ValidationError as error:
        raise ImportFailed(row.number, list(error.messages)) from error
