"""Small-number suppression of the board's figures.

The board insight functions return counts only, never a record or a name, and every count from 1
to 4 is suppressed (shown as "fewer than 5") so that no family can be picked out. Where the rows
of a table add up to a total the board also sees, a single suppressed row could be worked out by
subtraction, so the next smallest row is withheld as well (secondary suppression).
"""

from __future__ import annotations

from dataclasses import dataclass

SUPPRESS_BELOW = 5


@dataclass(frozen=True)
class Count:
    """A count as the board sees it: the number, "fewer than 5" when it is 1 to 4, or "withheld"
    when it is hidden only so that a suppressed number beside it cannot be worked out."""

    value: int
    withheld: bool = False

    @property
    def suppressed(self) -> bool:
        return self.withheld or 0 < self.value < SUPPRESS_BELOW

    def __str__(self) -> str:
        if self.withheld:
            return "withheld"
        return f"fewer than {SUPPRESS_BELOW}" if self.suppressed else f"{self.value:,}"

    def shown(self) -> int | None:
        return None if self.suppressed else self.value


def suppress_rows(values: list[int]) -> list[Count]:
    """Counts for rows that add up to a total shown beside them. Each from 1 to 4 is suppressed;
    if that hides only one row, the smallest other row above zero is withheld too, so that the
    suppressed one cannot be worked out as the total minus the rest."""
    cells = [Count(value) for value in values]
    hidden = [cell for cell in cells if cell.suppressed]
    if len(hidden) == 1:
        others = sorted(
            (cell.value, index) for index, cell in enumerate(cells) if cell.value >= SUPPRESS_BELOW
        )
        if others:
            index = others[0][1]
            cells[index] = Count(cells[index].value, withheld=True)
    return cells


def rate(part: int | Count, whole: int | Count) -> str:
    """A percentage, withheld when either number is small enough to identify someone (or is
    itself withheld)."""
    part, whole = (n if isinstance(n, Count) else Count(n) for n in (part, whole))
    if whole.value == 0:
        return "–"
    if part.suppressed or whole.suppressed:
        return "withheld"
    return f"{round(100 * part.value / whole.value)}%"


def rows(pairs) -> list[tuple]:
    """[(label, Count)] for [(label, number)] rows that add up to the table's total."""
    pairs = list(pairs)
    return list(
        zip([label for label, _ in pairs], suppress_rows([n for _, n in pairs]), strict=True)
    )
