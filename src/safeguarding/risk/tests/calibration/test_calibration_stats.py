"""The calibration statistics against published worked examples and hand calculations."""

from __future__ import annotations

import math
import random
from fractions import Fraction

import pytest

from safeguarding.risk.calibration.stats import (
    NO_SUBJECTS,
    ONE_CATEGORY,
    Judgement,
    Kappa,
    expert_agreement,
    fleiss_kappa,
    kappa_for,
    summarise,
)

# Wikipedia's worked example of Fleiss' kappa: 10 subjects, 14 raters each, 5 categories.
WIKIPEDIA = [
    [0, 0, 0, 0, 14],
    [0, 2, 6, 4, 2],
    [0, 0, 3, 5, 6],
    [0, 3, 9, 2, 0],
    [2, 2, 8, 1, 1],
    [7, 7, 0, 0, 0],
    [3, 2, 6, 3, 0],
    [2, 5, 3, 2, 2],
    [6, 5, 2, 1, 0],
    [0, 2, 2, 3, 7],
]


def test_wikipedia_worked_example_gives_0_210():
    result = fleiss_kappa(WIKIPEDIA)
    assert result.observed == pytest.approx(0.378, abs=5e-4)
    assert result.expected == pytest.approx(0.213, abs=5e-4)
    assert result.value == pytest.approx(0.210, abs=5e-4)
    assert (result.subjects, result.ratings) == (10, 140)
    assert result.strength == "fair"  # Landis & Koch: 0.21 to 0.40


def test_equal_raters_match_fleiss_1971_definition():
    """With equal numbers of raters the generalisation is (P-bar - P_e) / (1 - P_e)."""
    result = fleiss_kappa(WIKIPEDIA)
    assert result.value == pytest.approx(
        (result.observed - result.expected) / (1 - result.expected)
    )


def test_unequal_raters_by_hand():
    """Subjects rated by 3, 2 and 2 people. n = 3, m_bar = 7/3, p = (4/7, 3/7),
    sum p q = 24/49; disagreement = 0 + (1*1/2 + 1*1/2) + 0 = 1;
    kappa = 1 - 1 / (3 * 4/3 * 24/49) = 47/96."""
    result = fleiss_kappa([[3, 0], [1, 1], [0, 2]])
    assert result.value == pytest.approx(float(Fraction(47, 96)))


def test_subjects_with_one_rating_are_left_out():
    with_single = fleiss_kappa([[3, 0], [1, 1], [0, 2], [0, 1]])
    assert with_single.value == pytest.approx(float(Fraction(47, 96)))
    assert with_single.subjects == 3


def test_perfect_agreement_over_several_levels_is_one():
    result = fleiss_kappa([[5, 0, 0], [0, 5, 0], [0, 0, 4]])
    assert result.value == pytest.approx(1.0)
    assert result.strength == "almost perfect"


def test_everyone_at_one_level_leaves_kappa_undefined():
    result = fleiss_kappa([[6, 0, 0], [6, 0, 0]])
    assert result.value is None
    assert result.reason == ONE_CATEGORY
    assert result.interval is None


def test_a_single_rater_gives_no_kappa():
    judgements = [Judgement("only", subject, level) for subject, level in [("a", 1), ("b", 3)]]
    result = kappa_for(judgements, [1, 2, 3, 4])
    assert result.value is None
    assert result.reason == NO_SUBJECTS
    assert result.raters == 1


def test_systematic_disagreement_is_below_zero():
    # Two raters who always disagree on a two-level scale.
    assert fleiss_kappa([[1, 1], [1, 1], [1, 1]]).value < 0
    assert Kappa(-0.1).strength == "poor"


def test_bad_tables_are_refused():
    with pytest.raises(ValueError):
        fleiss_kappa([[1, 2], [1, 2, 3]])
    with pytest.raises(ValueError):
        fleiss_kappa([[-1, 3]])
    with pytest.raises(ValueError, match="Level 9"):
        kappa_for([Judgement("r", "s", 9)], [1, 2, 3, 4])


def _wikipedia_judgements() -> list[Judgement]:
    """The Wikipedia table as 14 named raters (rater k gives the k-th rating of each row)."""
    judgements = []
    for subject, row in enumerate(WIKIPEDIA):
        levels = [level for level, count in enumerate(row, start=1) for _ in range(count)]
        judgements += [Judgement(f"r{k}", subject, level) for k, level in enumerate(levels)]
    return judgements


def test_kappa_from_judgements_matches_the_table():
    result = kappa_for(_wikipedia_judgements(), [1, 2, 3, 4, 5])
    assert result.value == pytest.approx(fleiss_kappa(WIKIPEDIA).value)
    assert result.raters == 14


def test_jackknife_standard_error_matches_a_from_scratch_calculation():
    judgements = _wikipedia_judgements()
    result = kappa_for(judgements, [1, 2, 3, 4, 5])
    raters = sorted({j.rater for j in judgements})
    leave_one_out = [
        kappa_for([j for j in judgements if j.rater != left_out], [1, 2, 3, 4, 5]).value
        for left_out in raters
    ]
    mean = sum(leave_one_out) / len(raters)
    expected = math.sqrt(
        (len(raters) - 1) / len(raters) * sum((k - mean) ** 2 for k in leave_one_out)
    )
    assert result.standard_error == pytest.approx(expected)
    low, high = result.interval
    assert low < result.value < high
    assert high - low == pytest.approx(2 * 1.959964 * expected, rel=1e-5)


def test_interval_needs_ten_raters_and_narrows_with_more():
    rng = random.Random(4)

    def judgements(raters):
        # Each vignette has a true level; raters hit it 70% of the time, else one either side.
        truth = {"a": 1, "b": 2, "c": 3, "d": 4, "e": 2, "f": 3}
        made = []
        for rater in range(raters):
            for subject, level in truth.items():
                if rng.random() > 0.7:
                    level = min(4, max(1, level + rng.choice([-1, 1])))
                made.append(Judgement(rater, subject, level))
        return made

    assert kappa_for(judgements(9), [1, 2, 3, 4]).standard_error is None
    small = kappa_for(judgements(12), [1, 2, 3, 4]).standard_error
    large = kappa_for(judgements(200), [1, 2, 3, 4]).standard_error
    assert small is not None and large is not None
    assert large < small / 2


def test_agreement_with_the_expert():
    judgements = [
        Judgement("a", "v", 3, expert_level=3, suggested_level=3),
        Judgement("b", "v", 2, expert_level=3, suggested_level=3),  # under by one
        Judgement("c", "v", 1, expert_level=3, suggested_level=2),  # under by two
        Judgement("d", "v", 4, expert_level=3, suggested_level=None),  # over by one
        Judgement("e", "w", 2, expert_level=None),  # no expert level: not counted
    ]
    agreement = expert_agreement(judgements)
    assert (agreement.ratings, agreement.exact, agreement.within_one) == (4, 1, 3)
    assert (agreement.under, agreement.over) == (2, 1)
    assert agreement.exact_percent == 25
    assert agreement.within_one_percent == 75
    assert agreement.under_percent == 50
    assert (agreement.suggested, agreement.suggested_exact) == (3, 2)
    assert agreement.suggested_exact_percent == pytest.approx(200 / 3)


def test_no_ratings_give_no_percentages():
    agreement = expert_agreement([])
    assert agreement.exact_percent is None
    assert agreement.under_percent is None


def test_groups_with_fewer_than_five_raters_are_suppressed():
    judgements = []
    for rater in range(6):
        judgements += [
            Judgement(f"police{rater}", "v1", 3, expert_level=3, group="Police"),
            Judgement(f"police{rater}", "v2", 1, expert_level=1, group="Police"),
        ]
    for rater in range(4):
        judgements += [
            Judgement(f"school{rater}", "v1", 2, expert_level=3, group="School"),
            Judgement(f"school{rater}", "v2", 1, expert_level=1, group="School"),
        ]
    summary = summarise(judgements, [1, 2, 3, 4])
    groups = {group.group: group for group in summary.groups}
    assert summary.raters == 10
    assert not groups["Police"].suppressed
    assert groups["Police"].kappa.value == pytest.approx(1.0)
    assert groups["Police"].agreement.exact_percent == 100
    assert groups["School"].suppressed
    assert groups["School"].kappa is None and groups["School"].agreement is None
    assert summary.agreement.under == 4
