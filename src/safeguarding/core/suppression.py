"""Small-number suppression, with the secondary suppression that stops it being undone.

Every aggregate page, API response and export shows counts through this module (see ADR 0008):
- Primary: a count from 1 to 4 (below `threshold`, 5 by default) is shown as "fewer than 5".
  Zero is shown: it identifies nobody.
- Secondary: when the counts hidden that way could be worked out from what is shown beside them
  (a row's total minus its other cells; the run totals minus the other localities; a total of 8
  made of two cells "fewer than 5", so both are 4), further cells are "withheld", the smallest
  first, until no hidden count can be worked out.

"Can be worked out" is decided here exactly for the equations the table publishes (each row and
column adds up to its total, the totals to the grand total): a hidden count is exposed when the
equations fix it (exact linear algebra over fractions), or when they fix it together with what
a reader knows of each hidden count: "fewer than 5" is 1 to 4, and "withheld" is 0 or 5 and over
(a search for a second table that is consistent with everything shown and differs there).
core/tests/suppression_attack.py
is an independent attacker the tests run against this module's output.
"""

from __future__ import annotations

import math
from collections import deque
from collections.abc import Hashable, Sequence
from dataclasses import dataclass

SUPPRESS_BELOW = 5
WITHHELD = "withheld"


def fewer_than(threshold: int = SUPPRESS_BELOW) -> str:
    return f"fewer than {threshold}"


@dataclass(frozen=True)
class Count:
    """A count as it may be shown: the number, "fewer than 5" when it is 1 to 4, or "withheld"
    when it is hidden so that a suppressed count beside it cannot be worked out.

    `value` is the number to show, None when hidden; the true number stays in `count` and must
    not be output anywhere a hidden value would be."""

    count: int
    withheld: bool = False
    threshold: int = SUPPRESS_BELOW

    @property
    def primary(self) -> bool:
        """Hidden because it is small."""
        return 0 < self.count < self.threshold

    @property
    def suppressed(self) -> bool:
        """Hidden, for either reason."""
        return self.withheld or self.primary

    @property
    def value(self) -> int | None:
        return None if self.suppressed else self.count

    def __str__(self) -> str:
        if self.primary:
            return fewer_than(self.threshold)
        if self.withheld:
            return WITHHELD
        return f"{self.count:,}"

    def export(self) -> int | str:
        """For a CSV or XLSX cell: the number, or the words."""
        return str(self) if self.suppressed else self.count

    def as_json(self) -> dict:
        """For an API: {"value": 12, "shown_as": "12"} or {"value": null, "shown_as":
        "fewer than 5"}."""
        return {"value": self.value, "shown_as": str(self)}


def rate(part: int | Count, whole: int | Count) -> str:
    """A percentage, withheld when either number is hidden (or small enough to be)."""
    part, whole = (n if isinstance(n, Count) else Count(n) for n in (part, whole))
    if whole.count == 0:
        return "–"
    if part.suppressed or whole.suppressed:
        return WITHHELD
    return f"{round(100 * part.count / whole.count)}%"


# The general case: entries and the equations that link them ---------------------------------

Key = Hashable


@dataclass(frozen=True)
class Equation:
    """sum(parts) == total, over entry keys."""

    parts: tuple[Key, ...]
    total: Key


def protect(
    values: dict[Key, int],
    equations: Sequence[Equation],
    *,
    threshold: int = SUPPRESS_BELOW,
    prefer_last: frozenset[Key] = frozenset(),
    unshown: frozenset[Key] = frozenset(),
) -> dict[Key, Count]:
    """Counts for every entry such that no hidden one can be worked out from the rest. Entries
    in `prefer_last` (totals, typically) are withheld only when nothing else will do. Entries in
    `unshown` take part in the equations but are never shown (a reader knows only that they are 0
    or more); their Counts are returned withheld."""
    if any(v < 0 for v in values.values()):
        raise ValueError("Counts cannot be negative.")
    order = {key: index for index, key in enumerate(values)}
    primary = {key for key, v in values.items() if 0 < v < threshold and key not in unshown}
    withheld: set[Key] = set(unshown)
    neighbours: dict[Key, set[Key]] = {key: set() for key in values}
    for equation in equations:
        members = {*equation.parts, equation.total}
        for key in members:
            neighbours[key] |= members
    withheld |= _line_rule(values, equations, primary, prefer_last)
    while primary:
        exposed = disclosed(
            values, equations, primary, withheld, threshold=threshold, unshown=unshown
        )
        if not exposed:
            break
        hidden = primary | withheld
        candidates = [key for key in values if key not in hidden and values[key]]
        if not candidates:
            break  # every count above zero is hidden
        # One more cell withheld beside each exposed entry (unless one was just withheld beside
        # it): a cell before a total, in the exposed entry's row or column, the smallest.
        # Never a zero: "withheld" would tell a reader it is 0 or 5 and over, and the sums
        # beside it often settle which.
        added: set[Key] = set()
        for key in sorted(exposed, key=order.__getitem__):
            if neighbours[key] & added:
                continue
            pick = min(
                (c for c in candidates if c not in added),
                key=lambda c, key=key: (
                    c in prefer_last,
                    c not in neighbours[key],
                    values[c],
                    order[c],
                ),
                default=None,
            )
            if pick is not None:
                added.add(pick)
        withheld |= added
    return {
        key: Count(value, withheld=key in withheld, threshold=threshold)
        for key, value in values.items()
    }


def _line_rule(values, equations, primary, prefer_last) -> set[Key]:
    """A quick first pass, so that the exact check below starts near its answer: no equation may
    be left with a single hidden entry (it would be its total minus the rest). Withhold the
    smallest count above zero beside each such entry, a total only when nothing else will do,
    until every equation hides none or at least two. Cheap, and most tables need little more."""
    order = {key: index for index, key in enumerate(values)}
    withheld: set[Key] = set()
    lines = [[k for k in (*equation.parts, equation.total) if values[k]] for equation in equations]
    changed = True
    while changed:
        changed = False
        for members in lines:
            hidden = [k for k in members if k in primary or k in withheld]
            if len(hidden) != 1:
                continue
            pick = min(
                (k for k in members if k not in primary and k not in withheld),
                key=lambda k: (k in prefer_last, values[k], order[k]),
                default=None,
            )
            if pick is not None:
                withheld.add(pick)
                changed = True
    return withheld


def disclosed(
    values: dict[Key, int],
    equations: Sequence[Equation],
    primary: set[Key],
    withheld: set[Key],
    *,
    threshold: int = SUPPRESS_BELOW,
    budget: int = 1_000,
    unshown: frozenset[Key] = frozenset(),
) -> set[Key]:
    """The hidden entries a reader might work out from the shown ones and the equations.

    A hidden entry is safe when another table, as consistent with everything shown as the true
    one, gives it a different value: the reader cannot tell the two apart. The equations are
    first reduced exactly (fractions): an entry they fix on their own is exposed. For the others,
    a search looks for such a second table near the true one (each hidden entry moved by a
    little, "fewer than 5" kept within 1 to 4, "withheld" kept at 0 or 5 and over); one found
    clears every entry it changes. An entry no search clears within `budget` steps counts as
    exposed, so the answer errs on the side of hiding more."""
    order = list(values)
    hidden = sorted(primary | withheld | unshown, key=order.index)
    if not hidden:
        return set()
    system = _system(values, equations, hidden)
    exposed = _fixed_by_equations(system, hidden) - unshown
    unproven = {
        key: None for key in hidden if key not in exposed and key not in unshown
    }  # ordered set
    by_key: dict[Key, list[int]] = {key: [] for key in hidden}
    for index, (coefficients, _) in enumerate(system):
        for key in coefficients:
            by_key[key].append(index)
    while unproven:
        key = next(iter(unproven))
        changed = _nearby_table(
            values, system, by_key, primary, key, threshold, budget, unshown=unshown
        )
        if changed is None and len(hidden) <= FULL_SEARCH_UP_TO:
            other = _second_table(
                values, system, hidden, primary, key, threshold, budget, unshown=unshown
            )
            if other is not None:
                changed = [k for k in hidden if other[k] != values[k]]
        if changed is None:
            exposed.add(key)
            del unproven[key]
            continue
        for k in changed:
            unproven.pop(k, None)
    return exposed


def _system(values, equations, hidden) -> list[tuple[dict[Key, int], int]]:
    """Each equation over the hidden entries: ({entry: coefficient}, constant)."""
    hidden_set = set(hidden)
    system = []
    for equation in equations:
        coefficients: dict[Key, int] = {}
        constant = 0
        for key, sign in [*((p, 1) for p in equation.parts), (equation.total, -1)]:
            if key in hidden_set:
                coefficients[key] = coefficients.get(key, 0) + sign
            else:
                constant -= sign * values[key]
        coefficients = {k: c for k, c in coefficients.items() if c}
        if coefficients:
            system.append((coefficients, constant))
    return system


def _fixed_by_equations(system, hidden) -> set[Key]:
    """Entries whose unit vector is in the row space of the equations: after exact reduction to
    reduced row echelon form, a row with a single non-zero coefficient. Whole numbers throughout
    (each row divided by the greatest common divisor of its coefficients), so nothing rounds."""
    column = {key: i for i, key in enumerate(hidden)}
    matrix = []
    for coefficients, _ in system:
        row = [0] * len(hidden)
        for key, c in coefficients.items():
            row[column[key]] = c
        matrix.append(row)
    rows, pivot = len(matrix), 0
    for col in range(len(hidden)):
        pick = next((r for r in range(pivot, rows) if matrix[r][col]), None)
        if pick is None:
            continue
        matrix[pivot], matrix[pick] = matrix[pick], matrix[pivot]
        lead_row = matrix[pivot]
        lead = lead_row[col]
        for r in range(rows):
            factor = matrix[r][col]
            if r != pivot and factor:
                row = [lead * a - factor * b for a, b in zip(matrix[r], lead_row, strict=True)]
                divisor = math.gcd(*row)
                matrix[r] = [v // divisor for v in row] if divisor > 1 else row
        pivot += 1
    fixed = set()
    for row in matrix[:pivot]:
        nonzero = [i for i, c in enumerate(row) if c]
        if len(nonzero) == 1:
            fixed.add(hidden[nonzero[0]])
    return fixed


FULL_SEARCH_UP_TO = 40  # hidden entries; above it only the quick search below runs


def _nearby_table(
    values, system, by_key, primary, target, threshold, budget, depth=10, unshown=frozenset()
):
    """A quick search for a second table that differs from the true one in a few entries (a
    cycle of changes that leaves every equation balanced): only the changed entries are tracked,
    so each step costs the size of the change, not of the table. Any table found is a valid
    witness; when none is found the fuller search (small tables) or "exposed" follows. Returns
    the entries it changes."""

    def allowed(key, v) -> bool:
        if key in unshown:
            return v >= 0
        if key in primary:
            return 0 < v < threshold
        return v == 0 or v >= threshold

    delta: dict[Key, int] = {}
    residual: dict[int, int] = {}
    steps = 0

    def apply(key, d, sign=1):
        for index in by_key[key]:
            r = residual.get(index, 0) + sign * system[index][0][key] * d
            if r:
                residual[index] = r
            else:
                residual.pop(index, None)

    def search() -> bool:
        nonlocal steps
        steps += 1
        if steps > budget:
            return False
        if not residual:
            return True
        if len(delta) >= depth:
            return False
        index = min(residual, key=lambda i: len(system[i][0]))
        coefficients = system[index][0]
        r = residual[index]
        for key in coefficients:
            if key in delta:
                continue
            c = coefficients[key]
            if r % c:
                continue
            d = -r // c
            if not allowed(key, values[key] + d) or values[key] + d < 0:
                continue
            delta[key] = d
            apply(key, d)
            if search():
                return True
            apply(key, d, -1)
            del delta[key]
            if steps > budget:
                return False
        return False

    true = values[target]
    window = range(max(0, true - threshold), true + threshold + 1)
    for v in sorted(window, key=lambda v: abs(v - true)):
        if v == true or not allowed(target, v):
            continue
        delta[target] = v - true
        apply(target, v - true)
        if search():
            return list(delta)
        apply(target, v - true, -1)
        del delta[target]
        if steps > budget:
            return None
    return None


def _second_table(values, system, hidden, primary, target, threshold, budget, unshown=frozenset()):
    """Values for the hidden entries, other than the true ones for `target`, that satisfy every
    equation and what the reader knows of each entry; None if none is found."""

    def allowed(key, v) -> bool:
        if key in unshown:
            return v >= 0
        if key in primary:
            return 0 < v < threshold
        return v == 0 or v >= threshold

    def candidates(key):
        true = values[key]
        window = range(max(0, true - threshold), true + threshold + 1)
        near = sorted(window, key=lambda v: (abs(v - true), v))
        near += [0, threshold]
        seen = []
        for v in near:
            if allowed(key, v) and v not in seen and not (key == target and v == true):
                seen.append(v)
        return seen

    by_key: dict[Key, list[int]] = {key: [] for key in hidden}
    for index, (coefficients, _) in enumerate(system):
        for key in coefficients:
            by_key[key].append(index)
    # Entries near the target first, so that its equations are settled early.
    ordered, frontier, queued = [], deque([target]), {target}
    while frontier:
        key = frontier.popleft()
        ordered.append(key)
        for index in by_key[key]:
            for k in system[index][0]:
                if k not in queued:
                    queued.add(k)
                    frontier.append(k)
    ordered += [k for k in hidden if k not in queued]
    steps = 0
    chosen: dict[Key, int] = {}

    def consistent(keys) -> tuple[bool, list[tuple[Key, int]]]:
        """Whether the equations touching `keys` can still hold; entries they now force."""
        forced = []
        for index in {i for key in keys for i in by_key[key]}:
            coefficients, constant = system[index]
            open_keys = [k for k in coefficients if k not in chosen]
            partial = sum(c * chosen[k] for k, c in coefficients.items() if k in chosen)
            if not open_keys:
                if partial != constant:
                    return False, []
            elif len(open_keys) == 1:
                key = open_keys[0]
                rest, c = constant - partial, coefficients[key]
                if rest % c:
                    return False, []
                v = rest // c
                if v < 0 or not allowed(key, v) or (key == target and v == values[key]):
                    return False, []
                forced.append((key, v))
        return True, forced

    def place(assignments) -> bool:
        nonlocal steps
        steps += 1
        if steps > budget:
            return False
        placed = []
        queue = list(assignments)
        while queue:
            key, v = queue.pop()
            if key in chosen:
                if chosen[key] != v:
                    break
                continue
            chosen[key] = v
            placed.append(key)
            ok, forced = consistent([key])
            if not ok:
                break
            queue += forced
        else:
            nxt = next((k for k in ordered if k not in chosen), None)
            if nxt is None:
                return True
            for v in candidates(nxt):
                if place([(nxt, v)]):
                    return True
                if steps > budget:
                    break
        for key in placed:
            del chosen[key]
        return False

    for v in candidates(target):
        if place([(target, v)]):
            return dict(chosen) | {k: values[k] for k in values if k not in chosen}
        if steps > budget:
            return None
    return None


# Tables ---------------------------------------------------------------------------------------


@dataclass(frozen=True)
class SuppressedTable:
    """cells[i][j]; row_totals[i], column_totals[j] and grand_total when the table shows them."""

    cells: list[list[Count]]
    row_totals: list[Count] | None
    column_totals: list[Count] | None
    grand_total: Count | None


def suppress_table(
    counts: Sequence[Sequence[int]],
    *,
    row_totals: bool = True,
    column_totals: bool = True,
    grand_total: bool = True,
    threshold: int = SUPPRESS_BELOW,
) -> SuppressedTable:
    """A table of counts shown with the totals asked for (each the sum of its cells). Totals are
    withheld only when no cell will do, so that a total shown on another page (a run's totals
    beside its breakdowns) reads the same everywhere."""
    counts = [[int(n) for n in row] for row in counts]
    if len({len(row) for row in counts}) > 1:
        raise ValueError("Every row needs the same number of cells.")
    width = len(counts[0]) if counts else 0
    values: dict[Key, int] = {}
    for i, row in enumerate(counts):
        for j, n in enumerate(row):
            values[("cell", i, j)] = n
    equations = []
    totals: set[Key] = set()
    if row_totals:
        for i, row in enumerate(counts):
            values[("row", i)] = sum(row)
            totals.add(("row", i))
            equations.append(Equation(tuple(("cell", i, j) for j in range(width)), ("row", i)))
    if column_totals:
        for j in range(width):
            values[("column", j)] = sum(row[j] for row in counts)
            totals.add(("column", j))
            parts = tuple(("cell", i, j) for i in range(len(counts)))
            equations.append(Equation(parts, ("column", j)))
    if grand_total:
        values[("grand",)] = sum(map(sum, counts))
        totals.add(("grand",))
        if row_totals:
            parts = tuple(("row", i) for i in range(len(counts)))
            equations.append(Equation(parts, ("grand",)))
        if column_totals:
            equations.append(Equation(tuple(("column", j) for j in range(width)), ("grand",)))
        if not (row_totals or column_totals):
            equations.append(Equation(tuple(k for k in values if k[0] == "cell"), ("grand",)))
    shown = protect(values, equations, threshold=threshold, prefer_last=frozenset(totals))
    return SuppressedTable(
        cells=[[shown[("cell", i, j)] for j in range(width)] for i in range(len(counts))],
        row_totals=[shown[("row", i)] for i in range(len(counts))] if row_totals else None,
        column_totals=[shown[("column", j)] for j in range(width)] if column_totals else None,
        grand_total=shown[("grand",)] if grand_total else None,
    )


def suppress_counts(
    values: Sequence[int], *, total: bool = True, threshold: int = SUPPRESS_BELOW
) -> tuple[list[Count], Count | None]:
    """The common case: rows of one count each, and (when shown) their total."""
    if not values:
        return [], Count(0, threshold=threshold) if total else None
    table = suppress_table(
        [[n] for n in values],
        row_totals=False,
        column_totals=total,
        grand_total=False,
        threshold=threshold,
    )
    return [row[0] for row in table.cells], table.column_totals[0] if total else None
