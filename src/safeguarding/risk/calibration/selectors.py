"""Reads for calibration: lists, a participant's progress, and the results the board reads.

Results are computed from one query of plain values per page (no per-rating queries), so the
results pages stay fast with hundreds of raters.
"""

from __future__ import annotations

import contextlib
from collections import defaultdict
from dataclasses import dataclass

from django.db.models import Count, IntegerField, OuterRef, QuerySet, Subquery
from django.db.models.functions import Coalesce

from safeguarding.people.models import Agency, Sector
from safeguarding.risk.calibration import stats
from safeguarding.risk.instruments import InstrumentError, get_instrument
from safeguarding.risk.models import CalibrationExercise, Rating, Vignette


def _count(queryset, outer: str):
    """A correlated COUNT subquery: joining several to-many relations in one query would
    multiply the rows (participants x ratings x vignettes)."""
    counted = (
        queryset.filter(**{outer: OuterRef("pk")})
        .order_by()
        .values(outer)
        .annotate(n=Count("pk"))
        .values("n")[:1]
    )
    return Coalesce(Subquery(counted, output_field=IntegerField()), 0)


_ExerciseVignette = CalibrationExercise.vignettes.through
_Participant = CalibrationExercise.participants.through


def vignette_list(*, partnership) -> QuerySet[Vignette]:
    return (
        Vignette.objects.filter(partnership=partnership)
        .select_related("author")
        .annotate(
            rating_count=_count(Rating.objects.all(), "vignette"),
            exercise_count=_count(_ExerciseVignette.objects.all(), "vignette"),
        )
        .order_by("title")
    )


def exercise_list(*, partnership) -> QuerySet[CalibrationExercise]:
    return (
        CalibrationExercise.objects.filter(partnership=partnership)
        .annotate(
            vignette_count=_count(_ExerciseVignette.objects.all(), "calibrationexercise"),
            participant_count=_count(_Participant.objects.all(), "calibrationexercise"),
            rating_count=_count(Rating.objects.all(), "exercise"),
        )
        .order_by("-held_on", "-pk")
    )


def exercises_for_participant(user) -> QuerySet[CalibrationExercise]:
    """Opened exercises the user takes part in, with how many vignettes they have rated."""
    return (
        CalibrationExercise.objects.filter(participants=user)
        .exclude(status=CalibrationExercise.Status.DRAFT)
        .annotate(
            vignette_count=_count(_ExerciseVignette.objects.all(), "calibrationexercise"),
            rated_count=_count(Rating.objects.filter(rater=user), "exercise"),
        )
        .order_by("-held_on", "-pk")
    )


def participant_vignettes(exercise: CalibrationExercise, user) -> list[tuple[Vignette, Rating]]:
    """The exercise's vignettes, each with the user's rating (or None)."""
    ratings = {
        r.vignette_id: r
        for r in Rating.objects.filter(exercise=exercise, rater=user).only(
            "pk", "vignette_id", "chosen_level", "suggested_level", "created_at"
        )
    }
    return [(v, ratings.get(v.pk)) for v in exercise.vignettes.order_by("title", "pk")]


def levels_for(instrument_code: str, partnership) -> dict[int, str]:
    """{level value: label} of the instrument's newest version, low to high."""
    try:
        inst = get_instrument(instrument_code, partnership=partnership)
    except InstrumentError:
        return {}
    return {level.value: level.label for level in inst.levels}


# Results ---------------------------------------------------------------------------------------

_RATING_VALUES = (
    "rater_id",
    "exercise_id",
    "vignette_id",
    "chosen_level",
    "suggested_level",
    "vignette__expert_level",
    "agency_id",
    "sector",
)


def _judgements(rows, *, group: str | None = None, by_exercise: bool = False):
    for row in rows:
        subject = (row["exercise_id"], row["vignette_id"]) if by_exercise else row["vignette_id"]
        yield stats.Judgement(
            rater=row["rater_id"],
            subject=subject,
            level=row["chosen_level"],
            expert_level=row["vignette__expert_level"],
            suggested_level=row["suggested_level"],
            group=row[group] if group else None,
        )


def _categories(levels: dict[int, str], rows) -> list[int]:
    return sorted(set(levels) | {row["chosen_level"] for row in rows})


@dataclass
class GroupRow:
    name: str
    result: stats.GroupResult


@dataclass
class VignetteRow:
    vignette: Vignette
    expert_level: int | None
    counts: list[tuple[int, str, int]]  # (level, label, ratings)
    agreement: stats.ExpertAgreement
    kappa_subject_ratings: int


@dataclass
class Results:
    exercise: CalibrationExercise | None
    levels: dict[int, str]
    summary: stats.Summary
    agencies: list[GroupRow]
    sectors: list[GroupRow]
    vignettes: list[VignetteRow]


def _named_groups(summary: stats.Summary, names: dict) -> list[GroupRow]:
    rows = [GroupRow(str(names.get(g.group, g.group)), g) for g in summary.groups]
    # Shown groups first (largest first), then the suppressed ones by name.
    return sorted(rows, key=lambda r: (r.result.suppressed, -r.result.raters, r.name))


def exercise_results(exercise: CalibrationExercise) -> Results:
    rows = list(Rating.objects.filter(exercise=exercise).values(*_RATING_VALUES))
    levels = levels_for(exercise.instrument_code, exercise.partnership)
    categories = _categories(levels, rows)
    by_agency = stats.summarise(_judgements(rows, group="agency_id"), categories)
    by_sector = stats.summarise(_judgements(rows, group="sector"), categories)
    agency_names = dict(
        Agency.objects.filter(pk__in={row["agency_id"] for row in rows}).values_list("pk", "name")
    )
    per_vignette: dict[int, list[dict]] = defaultdict(list)
    for row in rows:
        per_vignette[row["vignette_id"]].append(row)
    vignettes = []
    for vignette in exercise.vignettes.order_by("title", "pk"):
        mine = per_vignette.get(vignette.pk, [])
        counted = defaultdict(int)
        for row in mine:
            counted[row["chosen_level"]] += 1
        vignettes.append(
            VignetteRow(
                vignette=vignette,
                expert_level=vignette.expert_level,
                counts=[(c, levels.get(c, f"Level {c}"), counted[c]) for c in categories],
                agreement=stats.expert_agreement(_judgements(mine)),
                kappa_subject_ratings=len(mine),
            )
        )
    return Results(
        exercise=exercise,
        levels=levels,
        summary=by_agency,
        agencies=_named_groups(by_agency, agency_names),
        sectors=_named_groups(by_sector, dict(Sector.choices)),
        vignettes=vignettes,
    )


@dataclass
class TrendPoint:
    exercise: CalibrationExercise
    kappa: stats.Kappa
    agreement: stats.ExpertAgreement
    raters: int

    @property
    def suppressed(self) -> bool:
        """Too few raters to report without identifying them."""
        return self.raters < stats.MIN_GROUP_RATERS


@dataclass
class Trend:
    instrument_code: str
    instrument_title: str
    instrument_codes: list[str]
    levels: dict[int, str]
    points: list[TrendPoint]
    overall: stats.Summary | None
    sectors: list[GroupRow]


def trend(*, partnership, instrument_code: str = "") -> Trend:
    """Agreement in each closed exercise on one instrument, oldest first, and all of them
    together (a vignette rated in two exercises counts as two subjects)."""
    closed = CalibrationExercise.objects.filter(
        partnership=partnership, status=CalibrationExercise.Status.CLOSED
    )
    codes = sorted(set(closed.values_list("instrument_code", flat=True)))
    if instrument_code not in codes:
        latest = closed.order_by("-held_on", "-pk").first()
        instrument_code = latest.instrument_code if latest else ""
    exercises = list(closed.filter(instrument_code=instrument_code).order_by("held_on", "pk"))
    rows = list(
        Rating.objects.filter(exercise__in=[e.pk for e in exercises]).values(*_RATING_VALUES)
    )
    levels = levels_for(instrument_code, partnership) if instrument_code else {}
    categories = _categories(levels, rows)
    grouped: dict[int, list[dict]] = defaultdict(list)
    for row in rows:
        grouped[row["exercise_id"]].append(row)
    points = []
    for exercise in exercises:
        mine = grouped.get(exercise.pk, [])
        judgements = list(_judgements(mine))
        points.append(
            TrendPoint(
                exercise=exercise,
                kappa=stats.kappa_for(judgements, categories),
                agreement=stats.expert_agreement(judgements),
                raters=len({row["rater_id"] for row in mine}),
            )
        )
    overall = None
    sectors: list[GroupRow] = []
    if rows:
        overall = stats.summarise(_judgements(rows, group="sector", by_exercise=True), categories)
        sectors = _named_groups(overall, dict(Sector.choices))
    title = instrument_code
    if instrument_code:
        with contextlib.suppress(InstrumentError):
            title = get_instrument(instrument_code, partnership=partnership).title
    return Trend(instrument_code, title, codes, levels, points, overall, sectors)


def export_rows(exercise: CalibrationExercise) -> list[list]:
    """One row per rating, without names or agencies (a small agency's raters could be
    recognised): raters are numbered within the exercise, with their sector."""
    rows = (
        Rating.objects.filter(exercise=exercise)
        .select_related("vignette")
        .order_by("rater_id", "vignette__title", "pk")
    )
    numbers: dict[int, int] = {}
    sectors = dict(Sector.choices)
    out = []
    for rating in rows:
        number = numbers.setdefault(rating.rater_id, len(numbers) + 1)
        expert = rating.vignette.expert_level
        out.append(
            [
                f"Rater {number}",
                sectors.get(rating.sector, rating.sector),
                rating.vignette.title,
                expert,
                rating.suggested_level,
                rating.chosen_level,
                "yes" if rating.chosen_level == expert else "no",
                "yes" if expert is not None and rating.chosen_level < expert else "no",
                "yes" if rating.rationale else "no",
            ]
        )
    return out
