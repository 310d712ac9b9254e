"""A run's counts as those who see aggregates only are shown them: one protection
(safeguarding.core.suppression) over everything the pages publish about the run together, so
that no hidden count can be worked out from what the index page, the trend and the breakdowns
show side by side.

What a reader can add up, and so what is protected together:
- the run's totals (index page: run history; trend), with the extract sizes beside them: the GP
  extract is the matched children, the ones not known to health visiting and a few second
  registrations (and the same for the health visiting extract); the second registrations are
  not shown, but they are among the pairs to review, so a reader knows them to be from 0 to
  that number (with none to review, extract minus matched is the unknown children);
- each breakdown (locality, team, GP practice, age band): for each row, the two directions and
  the row's total; for each direction, the rows add up to the run's total of that direction,
  the same number the index page shows.

The withheld entries are worked out once, when the run's results are saved (`withheld_keys`,
stored in run.breakdowns["withheld"]); a run saved before that is worked out when it is read.
Analysts, who may see named children, see every number.
"""

from __future__ import annotations

from dataclasses import dataclass

from safeguarding.core.suppression import Count, Equation, protect
from safeguarding.health_records.age_bands import AGE_BANDS
from safeguarding.health_records.models import Direction

BREAKDOWN_TITLES = {
    "locality": "Locality",
    "team": "Health visiting team",
    "gp_practice": "GP practice",
    "age_band": "Age band",
}
RUN_FIELDS = ("matched", "review", "gp_not_known_to_hv", "hv_not_registered_with_gp")
RECORDS = ("gp_records", "hv_records")
WITHHELD_KEY = "withheld"  # in run.breakdowns
UNSUPPRESSED = 0  # threshold for analysts: nothing is small enough to hide


@dataclass
class RunCounts:
    matched: Count
    review: Count
    gp_not_known_to_hv: Count
    hv_not_registered_with_gp: Count
    gp_records: Count
    hv_records: Count
    tables: dict[str, list[BreakdownRow]]


@dataclass
class BreakdownRow:
    label: str
    gp_not_known_to_hv: Count
    hv_not_registered: Count
    total: Count


def _rows(run, table: str) -> list[tuple[str, int, int]]:
    """(label, GP not known to HV, HV not registered) for each row of a breakdown, in a fixed
    order (the age bands in theirs, the others by label)."""
    gp = run.breakdowns.get(Direction.GP_NOT_KNOWN_TO_HV, {}).get(table, {})
    hv = run.breakdowns.get(Direction.HV_NOT_REGISTERED, {}).get(table, {})
    labels = set(gp) | set(hv)
    if table == "age_band":
        ordered = [band for band in AGE_BANDS if band in labels]
    else:
        ordered = sorted(labels)
    return [(label, gp.get(label, 0), hv.get(label, 0)) for label in ordered]


def _entries(run) -> tuple[dict, list[Equation], frozenset, frozenset]:
    values: dict = {("run", name): getattr(run, name) for name in (*RUN_FIELDS, *RECORDS)}
    gp_total, hv_total = ("run", "gp_not_known_to_hv"), ("run", "hv_not_registered_with_gp")
    # Not shown, but in the sums a reader can make: the records taken off the unknown lists as
    # second registrations (pairs to review), and the other pairs to review.
    gp_other = run.gp_records - run.matched - run.gp_not_known_to_hv
    hv_other = run.hv_records - run.matched - run.hv_not_registered_with_gp
    review_rest = run.review - gp_other - hv_other
    values[("run", "gp_other")] = max(0, gp_other)
    values[("run", "hv_other")] = max(0, hv_other)
    values[("run", "review_rest")] = max(0, review_rest)
    unshown = frozenset({("run", "gp_other"), ("run", "hv_other"), ("run", "review_rest")})
    equations = []
    if gp_other >= 0:
        parts = (("run", "matched"), gp_total, ("run", "gp_other"))
        equations.append(Equation(parts, ("run", "gp_records")))
    if hv_other >= 0:
        parts = (("run", "matched"), hv_total, ("run", "hv_other"))
        equations.append(Equation(parts, ("run", "hv_records")))
    if min(gp_other, hv_other, review_rest) >= 0:
        parts = (("run", "gp_other"), ("run", "hv_other"), ("run", "review_rest"))
        equations.append(Equation(parts, ("run", "review")))
    totals = {("run", "gp_records"), ("run", "hv_records"), gp_total, hv_total}
    for table in BREAKDOWN_TITLES:
        rows = _rows(run, table)
        if not rows:
            continue
        for label, gp, hv in rows:
            values[(table, label, "gp")] = gp
            values[(table, label, "hv")] = hv
            values[(table, label, "total")] = gp + hv
            totals.add((table, label, "total"))
            equations.append(
                Equation(((table, label, "gp"), (table, label, "hv")), (table, label, "total"))
            )
        # The rows add up to the run's totals only when every child is in the table.
        if sum(gp for _, gp, _ in rows) == run.gp_not_known_to_hv:
            equations.append(Equation(tuple((table, r[0], "gp") for r in rows), gp_total))
        if sum(hv for _, _, hv in rows) == run.hv_not_registered_with_gp:
            equations.append(Equation(tuple((table, r[0], "hv") for r in rows), hv_total))
    return values, equations, frozenset(totals), unshown


def withheld_keys(run) -> list[list[str]]:
    """The entries withheld for the run (as lists, for JSON); worked out once, when it is saved."""
    values, equations, totals, unshown = _entries(run)
    counts = protect(values, equations, prefer_last=totals, unshown=unshown)
    return [list(key) for key, count in counts.items() if count.withheld and key not in unshown]


def run_counts(run, *, suppress: bool) -> RunCounts:
    """Every count the pages show for the run, as Counts: suppressed for those who see
    aggregates only, every number for analysts."""
    values, _, _, _ = _entries(run)
    if suppress:
        stored = run.breakdowns.get(WITHHELD_KEY)
        keys = stored if stored is not None else withheld_keys(run)
        withheld = {tuple(key) for key in keys}
        shown = {key: Count(n, withheld=key in withheld) for key, n in values.items()}
    else:
        shown = {key: Count(n, threshold=UNSUPPRESSED) for key, n in values.items()}
    tables = {}
    for table in BREAKDOWN_TITLES:
        rows = [
            BreakdownRow(
                label=label,
                gp_not_known_to_hv=shown[(table, label, "gp")],
                hv_not_registered=shown[(table, label, "hv")],
                total=shown[(table, label, "total")],
            )
            for label, _, _ in _rows(run, table)
        ]
        if not suppress and table != "age_band":
            # Largest first, as before, for those who see every number; the order of hidden
            # counts would tell a reader their size, so the others see rows by label.
            rows.sort(key=lambda row: -row.total.count)
        tables[table] = rows
    return RunCounts(
        **{name: shown[("run", name)] for name in (*RUN_FIELDS, *RECORDS)}, tables=tables
    )
