"""Small-number suppression: counts 1 to 4 hidden, and enough beside them withheld that no hidden
count can be worked out from what is shown. The attacker (suppression_attack.py) proves both the
defect in one-cell-at-a-time suppression and the helper's output safe."""

from __future__ import annotations

import random

import pytest

from safeguarding.core.suppression import (
    Count,
    rate,
    suppress_counts,
    suppress_table,
)
from safeguarding.core.tests.suppression_attack import (
    attack,
    attack_suppressed,
    attack_table,
    parse_shown,
)


def old_health_records_style(value: int) -> int | str:
    """health_records.selectors.shown before the fix: each small cell on its own."""
    return "fewer than 5" if 0 < value < 5 else value


def test_count_says_what_is_shown_and_keeps_hidden_values_out_of_value():
    assert str(Count(1234)) == "1,234" and Count(1234).value == 1234
    assert str(Count(0)) == "0" and Count(0).value == 0
    assert str(Count(3)) == "fewer than 5" and Count(3).value is None
    assert str(Count(12, withheld=True)) == "withheld" and Count(12, withheld=True).value is None
    assert Count(3).export() == "fewer than 5" and Count(7).export() == 7
    assert Count(3).as_json() == {"value": None, "shown_as": "fewer than 5"}
    assert Count(9).as_json() == {"value": 9, "shown_as": "9"}
    assert str(Count(9, threshold=10)) == "fewer than 10"


def test_rate_is_withheld_when_either_side_is_hidden():
    assert rate(5, 10) == "50%"
    assert rate(3, 10) == "withheld"
    assert rate(Count(6, withheld=True), 10) == "withheld"
    assert rate(0, 0) == "–"


def test_attacker_recovers_a_row_suppressed_one_cell_at_a_time():
    # A breakdown row as health_records shows it today: "fewer than 5", 10, total 13.
    row = [old_health_records_style(n) for n in (3, 10)]
    findings = attack_table([row], row_totals=[old_health_records_style(13)])
    assert [(f.key, f.value) for f in findings] == [(("cell", 0, 0), 3)]


def test_attacker_recovers_a_locality_from_the_run_totals():
    # Per-locality rows with the run's totals (shown on the index page) as column totals.
    localities = [[3, 10], [6, 8], [9, 12]]
    cells = [[old_health_records_style(n) for n in row] for row in localities]
    run_totals = [sum(column) for column in zip(*localities, strict=True)]
    findings = attack_table(cells, column_totals=run_totals)
    assert (("cell", 0, 0), 3) in [(f.key, f.value) for f in findings]


def test_attacker_uses_what_fewer_than_5_means():
    # Two cells "fewer than 5" that add up to 8 are both 4.
    findings = attack_table([["fewer than 5", "fewer than 5", 0]], row_totals=[8])
    assert sorted(f.value for f in findings) == [4, 4]


def test_attacker_uses_what_withheld_means():
    # The risk app's rule (withhold one more cell) leaves 1 + withheld = 6: withheld is 0 or
    # 5 and over, so it is 5 and the hidden count is 1.
    findings = attack_table([["fewer than 5"], ["withheld"]], column_totals=[6])
    assert {f.key: f.value for f in findings} == {("cell", 0, 0): 1, ("cell", 1, 0): 5}


def test_attacker_on_linked_tables_sharing_totals():
    shown = {"a": "fewer than 5", "b": "withheld", "t": 13, "c": 10}
    equations = [(["a", "b"], "t"), (["b"], "c")]  # b shown as 10 on another page
    assert [(f.key, f.value) for f in attack(shown, equations)][0] == ("a", 3)


def test_parse_shown_reads_page_text():
    assert parse_shown("1,234") == 1234
    assert parse_shown("Fewer than 5") == "fewer"
    assert parse_shown(Count(7, withheld=True)) == "withheld"
    with pytest.raises(ValueError):
        parse_shown("n/a")


def test_one_row_and_its_total():
    cells, total = suppress_counts([3, 10, 0])
    assert [str(c) for c in cells] == ["fewer than 5", "withheld", "0"]
    assert str(total) == "13"


def test_nothing_small_nothing_hidden():
    cells, total = suppress_counts([0, 12, 30])
    assert [c.value for c in cells] == [0, 12, 30] and total.value == 42


def test_total_withheld_only_when_no_cell_will_do():
    cells, total = suppress_counts([1, 5])
    assert [str(c) for c in cells] == ["fewer than 5", "withheld"]
    assert str(total) == "withheld"
    assert attack_table([[str(c)] for c in cells], column_totals=[str(total)]) == []


def test_breakdown_with_run_totals_is_safe():
    table = suppress_table([[3, 10], [6, 8], [9, 12]])
    assert str(table.cells[0][0]) == "fewer than 5"
    assert attack_suppressed(table) == []
    # the run totals stay shown, as they are on the index page
    assert [c.value for c in table.column_totals] == [18, 30]


def test_totals_that_are_small_are_suppressed_too():
    table = suppress_table([[2, 0], [0, 0]])
    assert str(table.grand_total) == "fewer than 5"
    assert attack_suppressed(table) == []


@pytest.mark.parametrize("seed", [1, 2, 3])
def test_no_suppressed_value_can_be_recovered_from_random_tables(seed):
    rng = random.Random(seed)
    choices = [0, 0, 1, 2, 3, 4, 5, 6, 7, 9, 12, 20, 35]
    for number in range(120):
        rows, columns = rng.randint(1, 5), rng.randint(1, 4)
        if number % 3 == 0:
            columns = 1  # the one-dimensional case
        counts = [[rng.choice(choices) for _ in range(columns)] for _ in range(rows)]
        options = {
            "row_totals": rng.random() < 0.7,
            "column_totals": rng.random() < 0.8,
            "grand_total": rng.random() < 0.7,
        }
        table = suppress_table(counts, **options)
        assert attack_suppressed(table) == [], (counts, options)
        for row, shown_row in zip(counts, table.cells, strict=True):
            for n, shown in zip(row, shown_row, strict=True):
                assert shown.count == n
                assert shown.suppressed == (0 < n < 5) or shown.withheld
                assert not (n == 0 and shown.suppressed)  # zero is shown


def test_negative_counts_are_refused():
    with pytest.raises(ValueError):
        suppress_counts([-1, 3])
