"""Risk identification instruments: versioned data files and the engine that evaluates them.

Shipped instruments live beside this file as `<code>/<version>.yaml` (our own wording). A
partnership may load its licensed wording as a newer version (`manage.py load_instrument`); those
are kept in the database (`risk.InstrumentVersion`) and found by passing `partnership=`.

    inst = get_instrument("children-da-matrix")              # newest shipped version
    inst = get_instrument("dash-2009", version=1, partnership=partnership)
    ev = inst.evaluate({"q1_injury": "yes", ...})
"""

from __future__ import annotations

from functools import cache
from pathlib import Path

from safeguarding.risk.instruments.engine import (
    ANSWER_LABELS,
    AnswerError,
    Evaluation,
    Instrument,
    InstrumentError,
    Level,
    Question,
    Reason,
    Section,
    add_months,
)
from safeguarding.risk.instruments.loading import load_instrument_file, parse_instrument

__all__ = [
    "ANSWER_LABELS",
    "AnswerError",
    "Evaluation",
    "Instrument",
    "InstrumentError",
    "Level",
    "Question",
    "Reason",
    "Section",
    "add_months",
    "latest_instruments",
    "available_instruments",
    "get_instrument",
    "load_instrument_file",
    "parse_instrument",
    "shipped_instruments",
]

SHIPPED_DIR = Path(__file__).resolve().parent


@cache
def shipped_instruments() -> dict[tuple[str, int], Instrument]:
    """Every shipped instrument file, validated, by (code, version). A bad file fails loudly."""
    found: dict[tuple[str, int], Instrument] = {}
    for path in sorted(SHIPPED_DIR.glob("*/*.y*ml")) + sorted(SHIPPED_DIR.glob("*/*.json")):
        inst = load_instrument_file(path)
        if inst.code != path.parent.name or str(inst.version) != path.stem:
            raise InstrumentError(
                str(path), f"is {inst.code} version {inst.version}: its path must match"
            )
        found[(inst.code, inst.version)] = inst
    return found


def _partnership_versions(partnership) -> dict[tuple[str, int], Instrument]:
    if partnership is None:
        return {}
    from safeguarding.risk.models import InstrumentVersion

    return {
        (row.code, row.version): row.instrument()
        for row in InstrumentVersion.objects.filter(partnership=partnership)
    }


def available_instruments(partnership=None) -> dict[tuple[str, int], Instrument]:
    return {**shipped_instruments(), **_partnership_versions(partnership)}


def get_instrument(code: str, version: int | None = None, partnership=None) -> Instrument:
    """The instrument `code`: a given version, or the newest (a partnership's own newer versions
    included). Raises InstrumentError for an unknown code or version."""
    versions = {v: inst for (c, v), inst in available_instruments(partnership).items() if c == code}
    if not versions:
        raise InstrumentError(code, "there is no such instrument")
    if version is None:
        return versions[max(versions)]
    try:
        return versions[int(version)]
    except (KeyError, ValueError, TypeError):
        raise InstrumentError(code, f"there is no version {version}") from None


def latest_instruments(partnership=None) -> list[Instrument]:
    newest: dict[str, Instrument] = {}
    for (code, _version), inst in sorted(available_instruments(partnership).items()):
        newest[code] = inst
    return sorted(newest.values(), key=lambda inst: inst.title)
