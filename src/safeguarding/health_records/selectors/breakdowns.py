"""The breakdowns of a run's unknown children (locality, team, GP practice, age band), from the
counts saved with the run."""

from __future__ import annotations

from dataclasses import dataclass

from safeguarding.health_records import access
from safeguarding.health_records.age_bands import AGE_BANDS
from safeguarding.health_records.models import Direction, LinkageRun
from safeguarding.health_records.selectors.runs import shown

BREAKDOWN_TITLES = {
    "locality": "Locality",
    "team": "Health visiting team",
    "gp_practice": "GP practice",
    "age_band": "Age band",
}


@dataclass
class BreakdownRow:
    label: str
    gp_not_known_to_hv: int | str
    hv_not_registered: int | str
    total: int | str


def breakdowns(*, run: LinkageRun, user) -> dict[str, list[BreakdownRow]]:
    """{table: rows} from the counts saved with the run: both directions side by side."""
    suppress = access.suppresses_small_numbers(user)
    tables = {}
    for table in BREAKDOWN_TITLES:
        gp = run.breakdowns.get(Direction.GP_NOT_KNOWN_TO_HV, {}).get(table, {})
        hv = run.breakdowns.get(Direction.HV_NOT_REGISTERED, {}).get(table, {})
        labels = set(gp) | set(hv)
        if table == "age_band":
            ordered = [band for band in AGE_BANDS if band in labels]
        else:
            ordered = sorted(
                labels, key=lambda label: (-(gp.get(label, 0) + hv.get(label, 0)), label)
            )
        tables[table] = [
            BreakdownRow(
                label=label,
                gp_not_known_to_hv=shown(gp.get(label, 0), suppress=suppress),
                hv_not_registered=shown(hv.get(label, 0), suppress=suppress),
                total=shown(gp.get(label, 0) + hv.get(label, 0), suppress=suppress),
            )
            for label in ordered
        ]
    return tables
