"""Writes of a partnership's own instrument versions (validated by the engine before loading).

Every function is keyword-only, atomic and records an audit entry; it raises ValidationError
(with field names where it can) and leaves nothing half-saved. Access (who may call which) is
checked by the views through risk.access; services check the rules of the record itself.
"""

from __future__ import annotations

from django.db import transaction

from safeguarding.core.audit import record
from safeguarding.risk.instruments import (
    InstrumentError,
    parse_instrument,
    shipped_instruments,
)
from safeguarding.risk.models import (
    InstrumentVersion,
)


def instrument_version_validate(*, partnership, filename: str, text: str):
    """The instrument in `text`, if it is valid and newer than every version of that instrument
    the partnership already has; otherwise InstrumentError naming the file and the problem."""
    instrument = parse_instrument(text, filename, partnership_id=partnership.pk)
    existing = [v for (c, v) in shipped_instruments() if c == instrument.code]
    existing += list(
        InstrumentVersion.objects.filter(partnership=partnership, code=instrument.code).values_list(
            "version", flat=True
        )
    )
    if existing and instrument.version <= max(existing):
        raise InstrumentError(
            filename,
            f"version {instrument.version} is not new: {instrument.code} already has version "
            f"{max(existing)} (give the file version {max(existing) + 1})",
        )
    return instrument


@transaction.atomic
def instrument_version_load(*, partnership, filename: str, text: str, actor) -> InstrumentVersion:
    """A partnership's own version of an instrument (e.g. its licensed wording): validated by the
    engine, and newer than every version of that instrument it already has."""
    instrument = instrument_version_validate(partnership=partnership, filename=filename, text=text)
    version = InstrumentVersion.objects.create(
        partnership=partnership,
        code=instrument.code,
        version=instrument.version,
        title=instrument.title,
        filename=filename[-200:],
        source=text,
        loaded_by=actor,
    )
    record(
        action="risk.instrument.loaded",
        obj=version,
        actor=actor,
        changes={"code": instrument.code, "version": instrument.version, "file": filename},
    )
    return version
