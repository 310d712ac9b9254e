"""Agreement statistics for calibration exercises, in plain Python (no numpy on this platform).

**Fleiss' kappa** measures how far a group of raters agree with one another beyond what chance
would give, when each subject (here: a vignette in an exercise) is placed in one of several
categories (the instrument's levels) by several raters. 1 is complete agreement, 0 is no better
than chance, below 0 is worse than chance.

Raters often skip a vignette or arrive late, so subjects have **unequal numbers of ratings**. We
use the standard generalisation of Fleiss (1971) given by Fleiss, Levin & Paik, *Statistical
Methods for Rates and Proportions* (3rd ed., 2003, ch. 18):

    kappa = 1 - sum_i sum_j x_ij (m_i - x_ij) / m_i  /  ( n (m_bar - 1) sum_j p_j q_j )

with n subjects, m_i ratings of subject i, x_ij ratings of subject i in category j,
m_bar = sum_i m_i / n, p_j = sum_i x_ij / (n m_bar) and q_j = 1 - p_j. With equal m_i it is
exactly Fleiss' kappa. Subjects with fewer than two ratings say nothing about agreement and are
left out. Kappa is undefined (None) when every rating is in one category (no variation to agree
beyond chance) or when no subject has two ratings.

**Uncertainty**: a delete-one-rater jackknife standard error, with a normal 95% interval. It
treats the raters as a sample of the workforce and the vignettes as fixed (the board's question
is about practitioners, and an exercise has too few vignettes to resample them). It is shown only
with at least `MIN_RATERS_FOR_INTERVAL` raters; with fewer the jackknife is unreliable.

**Agreement with the expert**: exact, within one level, under-called (below the expert: the
dangerous error, as a family is offered less than it needs) and over-called.
"""

from __future__ import annotations

import math
from collections import defaultdict
from collections.abc import Hashable, Iterable, Sequence
from dataclasses import dataclass, field

MIN_RATERS_FOR_INTERVAL = 10
MIN_GROUP_RATERS = 5  # groups (agencies, sectors) with fewer raters are suppressed
Z_95 = 1.959963984540054


@dataclass(frozen=True)
class Kappa:
    value: float | None
    observed: float | None = None  # mean pairwise agreement, P-bar
    expected: float | None = None  # chance agreement, P_e
    subjects: int = 0
    ratings: int = 0
    raters: int = 0
    standard_error: float | None = None
    reason: str = ""  # why the value is None

    @property
    def interval(self) -> tuple[float, float] | None:
        if self.value is None or self.standard_error is None:
            return None
        spread = Z_95 * self.standard_error
        return (max(-1.0, self.value - spread), min(1.0, self.value + spread))

    @property
    def strength(self) -> str:
        """Landis & Koch's (1977) words for a kappa, widely used in reports to boards."""
        if self.value is None:
            return ""
        if self.value < 0:
            return "poor"
        for bound, words in (
            (0.2, "slight"),
            (0.4, "fair"),
            (0.6, "moderate"),
            (0.8, "substantial"),
        ):
            if self.value <= bound:
                return words
        return "almost perfect"


NO_SUBJECTS = "No vignette has been rated by two or more people."
ONE_CATEGORY = "Every rating is at the same level, so kappa cannot be calculated."


def _kappa_terms(rows: Sequence[Sequence[int]]) -> tuple[float, float, float, int, int] | str:
    """(kappa, P-bar, P_e, subjects, ratings) or the reason kappa is undefined."""
    rows = [row for row in rows if sum(row) >= 2]
    if not rows:
        return NO_SUBJECTS
    n = len(rows)
    total = sum(sum(row) for row in rows)
    m_bar = total / n
    categories = len(rows[0])
    p = [sum(row[j] for row in rows) / total for j in range(categories)]
    chance = sum(pj * (1 - pj) for pj in p)  # = 1 - P_e
    if chance <= 1e-12:
        return ONE_CATEGORY
    disagreement = 0.0
    observed = 0.0
    for row in rows:
        m = sum(row)
        disagreement += sum(x * (m - x) for x in row) / m
        observed += (sum(x * x for x in row) - m) / (m * (m - 1))
    kappa = 1 - disagreement / (n * (m_bar - 1) * chance)
    return kappa, observed / n, 1 - chance, n, total


def fleiss_kappa(rows: Sequence[Sequence[int]]) -> Kappa:
    """Fleiss' kappa from a subjects x categories table of counts (rows may sum differently)."""
    rows = [list(row) for row in rows]
    widths = {len(row) for row in rows}
    if len(widths) > 1:
        raise ValueError("Every row needs one count for each category.")
    if any(x < 0 for row in rows for x in row):
        raise ValueError("Counts cannot be negative.")
    terms = _kappa_terms(rows)
    if isinstance(terms, str):
        return Kappa(None, subjects=len(rows), ratings=sum(map(sum, rows)), reason=terms)
    value, observed, expected, subjects, ratings = terms
    return Kappa(value, observed, expected, subjects, ratings)


@dataclass(frozen=True)
class Judgement:
    """One rater's level for one subject, with the expert's level for that subject."""

    rater: Hashable
    subject: Hashable
    level: int
    expert_level: int | None = None
    suggested_level: int | None = None
    group: Hashable = None  # agency or sector, for breakdowns


def _table(
    judgements: Iterable[Judgement], categories: Sequence[int]
) -> tuple[dict[Hashable, list[int]], dict[Hashable, list[tuple[Hashable, int]]]]:
    index = {category: position for position, category in enumerate(categories)}
    rows: dict[Hashable, list[int]] = {}
    by_rater: dict[Hashable, list[tuple[Hashable, int]]] = defaultdict(list)
    for judgement in judgements:
        if judgement.level not in index:
            raise ValueError(f"Level {judgement.level} is not one of {list(categories)}.")
        column = index[judgement.level]
        rows.setdefault(judgement.subject, [0] * len(categories))[column] += 1
        by_rater[judgement.rater].append((judgement.subject, column))
    return rows, by_rater


def kappa_for(judgements: Iterable[Judgement], categories: Sequence[int]) -> Kappa:
    """Fleiss' kappa among the raters of `judgements`, with a jackknife standard error."""
    judgements = list(judgements)
    rows, by_rater = _table(judgements, categories)
    result = fleiss_kappa(list(rows.values()))
    raters = len(by_rater)
    standard_error = None
    if result.value is not None and raters >= MIN_RATERS_FOR_INTERVAL:
        standard_error = _jackknife_se(rows, by_rater)
    return Kappa(
        result.value,
        result.observed,
        result.expected,
        result.subjects,
        result.ratings,
        raters,
        standard_error,
        result.reason,
    )


def _jackknife_se(
    rows: dict[Hashable, list[int]], by_rater: dict[Hashable, list[tuple[Hashable, int]]]
) -> float | None:
    leave_one_out = []
    for ratings in by_rater.values():
        for subject, column in ratings:
            rows[subject][column] -= 1
        terms = _kappa_terms(list(rows.values()))
        for subject, column in ratings:
            rows[subject][column] += 1
        if isinstance(terms, str):
            return None
        leave_one_out.append(terms[0])
    count = len(leave_one_out)
    mean = sum(leave_one_out) / count
    return math.sqrt((count - 1) / count * sum((k - mean) ** 2 for k in leave_one_out))


@dataclass(frozen=True)
class ExpertAgreement:
    ratings: int = 0
    exact: int = 0
    within_one: int = 0
    under: int = 0
    over: int = 0
    suggested: int = 0  # ratings where the tool suggested a level
    suggested_exact: int = 0  # ... and that level was the expert's

    def _percent(self, part: int, whole: int | None = None) -> float | None:
        whole = self.ratings if whole is None else whole
        return None if not whole else 100 * part / whole

    @property
    def exact_percent(self) -> float | None:
        return self._percent(self.exact)

    @property
    def within_one_percent(self) -> float | None:
        return self._percent(self.within_one)

    @property
    def under_percent(self) -> float | None:
        return self._percent(self.under)

    @property
    def over_percent(self) -> float | None:
        return self._percent(self.over)

    @property
    def suggested_exact_percent(self) -> float | None:
        return self._percent(self.suggested_exact, self.suggested)


def expert_agreement(judgements: Iterable[Judgement]) -> ExpertAgreement:
    """How the chosen levels compare with the expert's (judgements without one are skipped).

    Levels are the instrument's ordered values (1 = lowest), so "within one" is one scale apart.
    """
    counts = defaultdict(int)
    for judgement in judgements:
        expert = judgement.expert_level
        if expert is None:
            continue
        counts["ratings"] += 1
        counts["exact"] += judgement.level == expert
        counts["within_one"] += abs(judgement.level - expert) <= 1
        counts["under"] += judgement.level < expert
        counts["over"] += judgement.level > expert
        if judgement.suggested_level is not None:
            counts["suggested"] += 1
            counts["suggested_exact"] += judgement.suggested_level == expert
    return ExpertAgreement(**counts)


@dataclass(frozen=True)
class GroupResult:
    group: Hashable
    raters: int
    suppressed: bool
    kappa: Kappa | None = None
    agreement: ExpertAgreement | None = None


@dataclass(frozen=True)
class Summary:
    kappa: Kappa
    agreement: ExpertAgreement
    raters: int
    groups: list[GroupResult] = field(default_factory=list)


def summarise(
    judgements: Iterable[Judgement],
    categories: Sequence[int],
    *,
    min_group_raters: int = MIN_GROUP_RATERS,
) -> Summary:
    """Kappa and agreement with the expert for everyone, and for each group of raters. Groups
    with fewer than `min_group_raters` raters are suppressed: their figures are not computed."""
    judgements = list(judgements)
    grouped: dict[Hashable, list[Judgement]] = defaultdict(list)
    for judgement in judgements:
        if judgement.group is not None:
            grouped[judgement.group].append(judgement)
    groups = []
    for group, members in grouped.items():
        raters = len({j.rater for j in members})
        if raters < min_group_raters:
            groups.append(GroupResult(group, raters, suppressed=True))
        else:
            groups.append(
                GroupResult(
                    group,
                    raters,
                    suppressed=False,
                    kappa=kappa_for(members, categories),
                    agreement=expert_agreement(members),
                )
            )
    return Summary(
        kappa=kappa_for(judgements, categories),
        agreement=expert_agreement(judgements),
        raters=len({j.rater for j in judgements}),
        groups=groups,
    )
