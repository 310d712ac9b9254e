"""Step 1: the columns Splink compares, computed once here so both backends score the same."""

from __future__ import annotations

import datetime
import itertools
from collections.abc import Iterable
from typing import Any

from .extracts import Record
from .names import (
    compact,
    fuzzy_given_name_keys,
    given_name_keys,
    plain_address,
    soundex,
    tokens,
)

FEATURE_COLUMNS = [
    "unique_id",
    "nhs_number",
    "nhs_invalid",
    "given_std",
    "given_keys",
    "given_key",
    "given_fuzzy_keys",
    "given_sdx",
    "family_std",
    "family_tokens",
    "family_sdx",
    "dob",
    "dob_str",
    "dob_swap",
    "dob_ym",
    "sex",
    "postcode",
    "pc_sector",
    "pc_out",
    "pc_area",
    "address_std",
]


def _swap_day_month(dob: datetime.date) -> str | None:
    if dob.day > 12 or dob.day == dob.month:
        return None
    return datetime.date(dob.year, dob.day, dob.month).isoformat()


def _postcode_area(outward: str) -> str | None:
    """The letters an outward code starts with: LS for LS6, B for B15, EC for EC1A."""
    letters = "".join(itertools.takewhile(str.isalpha, outward))
    return letters or None


def features(records: Iterable[Record]) -> dict[str, list[Any]]:
    """Columns for Splink, one entry per record (column-wise, cheap to hand to Arrow)."""
    columns: dict[str, list[Any]] = {name: [] for name in FEATURE_COLUMNS}
    append = {name: columns[name].append for name in FEATURE_COLUMNS}
    for r in records:
        given_parts = tokens(r.given_name)
        given = given_parts[0] if given_parts else None
        keys = list(given_name_keys(given)) if given else None
        family_parts = tokens(r.family_name)
        dob = r.date_of_birth
        postcode = r.postcode
        append["unique_id"](r.record_id)
        append["nhs_number"](r.nhs_number)
        raw_digits = r.nhs_number_raw.replace(" ", "") if not r.nhs_number else ""
        append["nhs_invalid"](
            raw_digits if len(raw_digits) == 10 and raw_digits.isdigit() else None
        )
        append["given_std"](given)
        append["given_keys"](keys)
        append["given_key"](keys[0] if keys else None)
        append["given_fuzzy_keys"](list(fuzzy_given_name_keys(given)) if given else None)
        append["given_sdx"](soundex(given) if given else None)
        append["family_std"](compact(r.family_name) or None)
        append["family_tokens"](family_parts or None)
        append["family_sdx"](soundex(family_parts[0]) if family_parts else None)
        append["dob"](dob)
        append["dob_str"](dob.isoformat() if dob else None)
        append["dob_swap"](_swap_day_month(dob) if dob else None)
        append["dob_ym"](dob.isoformat()[:7] if dob else None)
        append["sex"](r.sex if r.sex in ("M", "F") else None)
        append["postcode"](postcode)
        append["pc_sector"](postcode[:-2] if postcode else None)
        outward = postcode.split(" ")[0] if postcode else None
        append["pc_out"](outward)
        append["pc_area"](_postcode_area(outward) if outward else None)
        append["address_std"](plain_address(r.address_line) or None)
    return columns


def _arrow_table(columns: dict[str, list[Any]]):
    import pyarrow as pa

    schema = pa.schema(
        [
            (name, pa.list_(pa.string()))
            if name in ("given_keys", "given_fuzzy_keys", "family_tokens")
            else (name, pa.date32() if name == "dob" else pa.string())
            for name in FEATURE_COLUMNS
        ]
    )
    return pa.table(columns, schema=schema)
