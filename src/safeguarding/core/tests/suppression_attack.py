"""An attacker for small-number suppression, for tests: given what a page, an API response or an
export shows (cells and totals, the hidden ones as "fewer than 5" or "withheld"), can any hidden
count be worked out?

It knows what any reader knows: each row and column adds up to its total, the totals to the grand
total; "fewer than 5" is 1 to 4; "withheld" is 0 or 5 and over (1 to 4 would say "fewer than 5").
It tries, in turn:
1. exact linear algebra: a hidden entry is fixed by the equations when its unit vector lies in
   the row space of the equations restricted to the hidden entries (rank test over fractions);
2. interval reasoning: each equation bounds each of its hidden entries by what the others allow;
3. for small systems, a search of every whole-number completion within those bounds.

Written apart from safeguarding.core.suppression (which has its own check) so that the tests do
not mark the helper's work with the helper's own reasoning. Page tests can call `attack_table`
on a table parsed from the page, or `attack` on several tables that share entries (a run's
totals on one page, its breakdowns on another).
"""

from __future__ import annotations

import math
import re
from collections.abc import Hashable, Sequence
from dataclasses import dataclass
from fractions import Fraction

FEWER = "fewer"
WITHHELD = "withheld"
UNSHOWN = "unshown"  # an entry in the equations that is not shown: 0 or more
Key = Hashable


@dataclass(frozen=True)
class Finding:
    key: Key
    value: int
    how: str  # "linear", "bounds" or "search"


def parse_shown(shown) -> int | str:
    """A shown value (an int, a Count, or text such as "1,234", "fewer than 5", "withheld")
    as the attacker reads it: the number, FEWER or WITHHELD; None is UNSHOWN."""
    if shown is None:
        return UNSHOWN
    if hasattr(shown, "shown_as") or hasattr(shown, "withheld"):
        shown = str(shown)
    if isinstance(shown, int):
        return shown
    text = str(shown).strip().lower()
    if text.startswith("fewer than"):
        return FEWER
    if text == WITHHELD:
        return WITHHELD
    if re.fullmatch(r"[\d,]+", text):
        return int(text.replace(",", ""))
    raise ValueError(f"Not a count: {shown!r}")


def attack(
    shown: dict[Key, object],
    equations: Sequence[tuple[Sequence[Key], Key]],
    *,
    threshold: int = 5,
    search_limit: int = 200_000,
) -> list[Finding]:
    """Every hidden entry that can be worked out, with its value. `equations` are (parts,
    total): sum of the parts equals the total."""
    read = {key: parse_shown(value) for key, value in shown.items()}
    hidden = [key for key, value in read.items() if not isinstance(value, int)]
    unshown = {key for key, value in read.items() if value == UNSHOWN}
    if not hidden:
        return []
    index = {key: i for i, key in enumerate(hidden)}
    system = []  # (coefficients over hidden, constant)
    for parts, total in equations:
        coefficients = [0] * len(hidden)
        constant = 0
        for key, sign in [*((p, 1) for p in parts), (total, -1)]:
            if key in index:
                coefficients[index[key]] += sign
            else:
                constant -= sign * read[key]
        if any(coefficients):
            system.append((coefficients, constant))
    findings: dict[Key, Finding] = {}

    # 1. Linear algebra
    matrix = [[Fraction(c) for c in coefficients] for coefficients, _ in system]
    base_rank = _rank(matrix)
    solution = _particular_solution(system, len(hidden))
    for key, i in index.items():
        unit = [Fraction(int(j == i)) for j in range(len(hidden))]
        if _rank([*matrix, unit]) == base_rank:
            findings[key] = Finding(key, int(solution[i]), "linear")

    # 2. Interval reasoning
    low = [1 if read[key] == FEWER else 0 for key in hidden]
    high: list[float] = [threshold - 1 if read[key] == FEWER else math.inf for key in hidden]
    gap = [read[key] == WITHHELD for key in hidden]

    def clamp(i, lo, hi):
        if gap[i]:
            if lo >= 1:
                lo = max(lo, threshold)
            if hi < threshold:
                hi = min(hi, 0)
        return max(low[i], lo), min(high[i], hi)

    for _ in range(200):
        moved = False
        for coefficients, constant in system:
            members = [j for j, c in enumerate(coefficients) if c]
            for i in members:
                others_low = sum(
                    coefficients[j] * (low[j] if coefficients[j] > 0 else high[j])
                    for j in members
                    if j != i
                )
                others_high = sum(
                    coefficients[j] * (high[j] if coefficients[j] > 0 else low[j])
                    for j in members
                    if j != i
                )
                # coefficients are +1 or -1 in a table's equations
                a = coefficients[i]
                ends = sorted(((constant - others_high) / a, (constant - others_low) / a))
                lo = math.ceil(ends[0]) if ends[0] != -math.inf else 0
                hi = math.floor(ends[1]) if ends[1] != math.inf else math.inf
                new = clamp(i, lo, hi)
                if new[0] <= new[1] and new != (low[i], high[i]):
                    low[i], high[i] = new
                    moved = True
        if not moved:
            break
    for key, i in index.items():
        if low[i] == high[i] and key not in findings:
            findings[key] = Finding(key, int(low[i]), "bounds")

    # 3. Search of whole-number completions, when every hidden entry is bounded and few
    size = math.prod((h - lo + 1) for lo, h in zip(low, high, strict=True) if h != math.inf)
    if all(h != math.inf for h in high) and size <= search_limit:
        for key, value in _search(system, low, high, gap, threshold, hidden).items():
            findings.setdefault(key, Finding(key, value, "search"))
    return [finding for key, finding in findings.items() if key not in unshown]


def _search(system, low, high, gap, threshold, hidden) -> dict[Key, int]:
    seen: list[set[int]] = [set() for _ in hidden]
    domains = [
        [v for v in range(int(lo), int(hi) + 1) if not (g and 0 < v < threshold)]
        for lo, hi, g in zip(low, high, gap, strict=True)
    ]
    values = [0] * len(hidden)

    def consistent(upto: int) -> bool:
        for coefficients, constant in system:
            members = [j for j, c in enumerate(coefficients) if c]
            complete = max(members) <= upto
            if complete and sum(coefficients[j] * values[j] for j in members) != constant:
                return False
        return True

    def walk(i: int) -> None:
        if i == len(hidden):
            for j, v in enumerate(values):
                seen[j].add(v)
            return
        for v in domains[i]:
            values[i] = v
            if consistent(i):
                walk(i + 1)

    walk(0)
    return {key: next(iter(s)) for key, s in zip(hidden, seen, strict=True) if len(s) == 1}


def _rank(rows: list[list[Fraction]]) -> int:
    rows = [list(r) for r in rows]
    rank = 0
    width = len(rows[0]) if rows else 0
    for col in range(width):
        pivot = next((r for r in range(rank, len(rows)) if rows[r][col] != 0), None)
        if pivot is None:
            continue
        rows[rank], rows[pivot] = rows[pivot], rows[rank]
        for r in range(rank + 1, len(rows)):
            if rows[r][col]:
                f = rows[r][col] / rows[rank][col]
                rows[r] = [a - f * b for a, b in zip(rows[r], rows[rank], strict=True)]
        rank += 1
    return rank


def _particular_solution(system, width: int) -> list[Fraction]:
    """A solution of the equations with every free entry at zero (any solution will do: an
    entry the equations fix has the same value in all of them)."""
    rows = [[Fraction(c) for c in coefficients] + [Fraction(k)] for coefficients, k in system]
    pivots = []
    rank = 0
    for col in range(width):
        pivot = next((r for r in range(rank, len(rows)) if rows[r][col] != 0), None)
        if pivot is None:
            continue
        rows[rank], rows[pivot] = rows[pivot], rows[rank]
        lead = rows[rank][col]
        rows[rank] = [c / lead for c in rows[rank]]
        for r in range(len(rows)):
            if r != rank and rows[r][col]:
                f = rows[r][col]
                rows[r] = [a - f * b for a, b in zip(rows[r], rows[rank], strict=True)]
        pivots.append(col)
        rank += 1
    solution = [Fraction(0)] * width
    for r, col in enumerate(pivots):
        solution[col] = rows[r][-1]
    return solution


def attack_table(
    cells: Sequence[Sequence[object]],
    *,
    row_totals: Sequence[object] | None = None,
    column_totals: Sequence[object] | None = None,
    grand_total: object | None = None,
    threshold: int = 5,
) -> list[Finding]:
    """The attack on one table as shown: cells[i][j], and whichever totals it shows. Keys of the
    findings: ("cell", i, j), ("row", i), ("column", j), ("grand",)."""
    shown: dict[Key, object] = {}
    equations = []
    width = len(cells[0]) if cells else 0
    for i, row in enumerate(cells):
        for j, value in enumerate(row):
            shown[("cell", i, j)] = value
    if row_totals is not None:
        for i, value in enumerate(row_totals):
            shown[("row", i)] = value
            equations.append(([("cell", i, j) for j in range(width)], ("row", i)))
    if column_totals is not None:
        for j, value in enumerate(column_totals):
            shown[("column", j)] = value
            equations.append(([("cell", i, j) for i in range(len(cells))], ("column", j)))
    if grand_total is not None:
        shown[("grand",)] = grand_total
        if row_totals is not None:
            equations.append(([("row", i) for i in range(len(cells))], ("grand",)))
        if column_totals is not None:
            equations.append(([("column", j) for j in range(width)], ("grand",)))
        if row_totals is None and column_totals is None:
            equations.append(([k for k in shown if k[0] == "cell"], ("grand",)))
    return attack(shown, equations, threshold=threshold)


def attack_suppressed(table, threshold: int = 5) -> list[Finding]:
    """The attack on a safeguarding.core.suppression.SuppressedTable, as it would be shown."""
    return attack_table(
        [[str(c) for c in row] for row in table.cells],
        row_totals=[str(c) for c in table.row_totals] if table.row_totals is not None else None,
        column_totals=[str(c) for c in table.column_totals]
        if table.column_totals is not None
        else None,
        grand_total=str(table.grand_total) if table.grand_total is not None else None,
        threshold=threshold,
    )


@dataclass
class HtmlTable:
    """A table as a page shows it: its caption, and each body row as (the row's header text,
    [its cells' texts])."""

    caption: str
    rows: list[tuple[str, list[str]]]

    def row(self, header: str) -> list[str]:
        return next(cells for head, cells in self.rows if head == header)


def html_tables(html: str) -> list[HtmlTable]:
    """Every <table> of a page, read as a reader reads it (tags dropped, spaces collapsed)."""
    from html.parser import HTMLParser

    tables: list[HtmlTable] = []

    class Reader(HTMLParser):
        def __init__(self):
            super().__init__()
            self.text: list[str] | None = None
            self.in_body = False
            self.row: list[str] | None = None
            self.head = ""

        def handle_starttag(self, tag, attrs):
            if tag == "table":
                tables.append(HtmlTable("", []))
            elif tag == "tbody":
                self.in_body = True
            elif tag == "tr" and self.in_body:
                self.row, self.head = [], ""
            elif tag in ("caption", "th", "td"):
                self.text = []

        def handle_endtag(self, tag):
            text = " ".join("".join(self.text or []).split())
            if tag == "caption":
                tables[-1].caption = text
            elif tag == "th" and self.row is not None:
                self.head = text
            elif tag == "td" and self.row is not None:
                self.row.append(text)
            elif tag == "tr" and self.row is not None:
                tables[-1].rows.append((self.head, self.row))
                self.row = None
            elif tag == "tbody":
                self.in_body = False
            if tag in ("caption", "th", "td"):
                self.text = None

        def handle_data(self, data):
            if self.text is not None:
                self.text.append(data)

    Reader().feed(html)
    return tables
