"""Time small-number suppression (safeguarding.core.suppression) on breakdowns of realistic
sizes; write the results to docs/bench-suppression.md.

Usage (from the repository root):

    PYTHONPATH=src .venv/bin/python bench/suppression.py [--runs 3]

Each case is a table of two columns (the health records breakdowns: not known to health
visiting, not registered with a GP) with row totals, column totals and a grand total, of 10, 50
and 200 rows drawn with a fixed seed so that about half of the cells are from 1 to 4 (GP
practices in a county: many with a child or two). A last case is a whole linkage run as
health_records protects it: its totals and extract sizes and four breakdowns (20 localities,
40 teams, 200 GP practices, 7 age bands) sharing the run's totals. Each is timed `--runs` times
(the median and the maximum wall time); the number of cells hidden as "fewer than 5" and
"withheld" is recorded. No Django set-up and no database: the helper is pure Python.
"""

from __future__ import annotations

import argparse
import datetime
import os
import platform
import random
import statistics
import sys
import time
from pathlib import Path
from types import SimpleNamespace

ROOT = Path(__file__).resolve().parent.parent
OUTPUT = ROOT / "docs" / "bench-suppression.md"
sys.path.insert(0, str(ROOT / "src"))

SMALL_HEAVY = [0, 0, 1, 1, 2, 2, 3, 3, 4, 4, 5, 6, 7, 8, 9, 12, 15, 20, 30, 45]


def _table(rows: int, seed: int) -> list[list[int]]:
    rng = random.Random(seed)
    return [[rng.choice(SMALL_HEAVY) for _ in range(2)] for _ in range(rows)]


def _run(seed: int):
    """A linkage run's saved counts, as health_records keeps them."""
    from safeguarding.health_records.age_bands import AGE_BANDS
    from safeguarding.health_records.models import Direction

    rng = random.Random(seed)
    sizes = {"locality": 20, "team": 40, "gp_practice": 200}
    breakdowns = {Direction.GP_NOT_KNOWN_TO_HV: {}, Direction.HV_NOT_REGISTERED: {}}
    gp_practices = [rng.choice(SMALL_HEAVY) for _ in range(sizes["gp_practice"])]
    hv_practices = [rng.choice(SMALL_HEAVY) for _ in range(sizes["gp_practice"])]
    for direction, practices in zip(breakdowns, (gp_practices, hv_practices), strict=True):
        total = sum(practices)
        tables = breakdowns[direction]
        tables["gp_practice"] = {f"P{i:03}": n for i, n in enumerate(practices)}
        for name in ("locality", "team"):
            cuts = sorted(rng.randrange(total + 1) for _ in range(sizes[name] - 1))
            parts = [b - a for a, b in zip([0, *cuts], [*cuts, total], strict=True)]
            tables[name] = {f"{name} {i}": n for i, n in enumerate(parts)}
        cuts = sorted(rng.randrange(total + 1) for _ in range(len(AGE_BANDS) - 1))
        parts = [b - a for a, b in zip([0, *cuts], [*cuts, total], strict=True)]
        tables["age_band"] = dict(zip(AGE_BANDS, parts, strict=True))
    gp_unknown, hv_unknown = sum(gp_practices), sum(hv_practices)
    return SimpleNamespace(
        matched=41_250,
        review=37,
        gp_not_known_to_hv=gp_unknown,
        hv_not_registered_with_gp=hv_unknown,
        gp_records=41_250 + gp_unknown + 11,
        hv_records=41_250 + hv_unknown + 9,
        breakdowns=breakdowns,
    )


def _time(function, runs: int) -> tuple[list[float], object]:
    times, result = [], None
    for _ in range(runs):
        started = time.perf_counter()
        result = function()
        times.append(time.perf_counter() - started)
    return times, result


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=3)
    args = parser.parse_args()
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "safeguarding.settings")
    import django

    django.setup()
    from safeguarding.core.suppression import suppress_table
    from safeguarding.health_records.selectors.counts import _entries, withheld_keys

    lines = []
    for rows in (10, 50, 200):
        counts = _table(rows, seed=rows)
        times, table = _time(lambda counts=counts: suppress_table(counts), args.runs)
        cells = [c for row in table.cells for c in row]
        small = sum(c.primary for c in cells)
        withheld = sum(c.withheld for c in [*cells, *table.row_totals, *table.column_totals])
        lines.append((f"suppress_table, {rows} rows × 2", 2 * rows, small, withheld, times))
    run = _run(seed=1)
    values, _, _, _ = _entries(run)
    times, keys = _time(lambda: withheld_keys(run), args.runs)
    small = sum(0 < n < 5 for key, n in values.items() if key[0] != "run")
    lines.append(
        ("a whole run (health_records withheld_keys)", len(values), small, len(keys), times)
    )

    load = os.getloadavg()[0] if hasattr(os, "getloadavg") else float("nan")
    out = [
        "# Small-number suppression: timings",
        "",
        "Written by `bench/suppression.py`. Each figure is the median and the maximum wall time",
        f"of {args.runs} runs in one process.",
        "",
        f"- Date: {datetime.date.today().isoformat()}",
        f"- Machine: {os.cpu_count()} cores, {platform.machine()}; Python "
        f"{platform.python_version()}; load average when the report was written {load:.1f}",
        f"- Command: `PYTHONPATH=src .venv/bin/python bench/suppression.py --runs {args.runs}`",
        "",
        "| what | entries | fewer than 5 | withheld | median ms | max ms |",
        "|---|---:|---:|---:|---:|---:|",
    ]
    for what, entries, small, withheld, times in lines:
        median, worst = statistics.median(times) * 1000, max(times) * 1000
        out.append(f"| {what} | {entries} | {small} | {withheld} | {median:,.0f} | {worst:,.0f} |")
    OUTPUT.write_text("\n".join(out) + "\n")
    print(OUTPUT.read_text())


if __name__ == "__main__":
    main()
