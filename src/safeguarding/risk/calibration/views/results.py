"""The business unit and the board read the results of one exercise and of all, and export them."""

from __future__ import annotations

from django.http import Http404
from django.shortcuts import render
from django.urls import reverse
from django.views.decorators.http import require_safe

from safeguarding.core import audit, charts
from safeguarding.core.exports import csv_response, xlsx_response
from safeguarding.people.selectors import partnership_for
from safeguarding.risk.calibration import access, selectors
from safeguarding.risk.models import CalibrationExercise
from safeguarding.risk.navigation import tool_links


def _level_chart(row, levels):
    labels = [label for _, label, _ in row.counts]
    counts = [count for _, _, count in row.counts]
    expert = levels.get(row.expert_level, row.expert_level)
    return charts.bar_chart(
        labels,
        counts,
        title=f"{row.vignette.title}: levels chosen",
        name="Ratings",
        value_label="Ratings",
        description=f"{sum(counts)} ratings; the expert level is {expert}.",
        chart_id=f"chart-vignette-{row.vignette.pk}",
    )


@require_safe
def exercise_results(request, pk):
    exercise = access.get_exercise_results_for_user(request.user, pk)
    results = selectors.exercise_results(exercise)
    vignettes = [(row, _level_chart(row, results.levels)) for row in results.vignettes]
    return render(
        request,
        "risk/calibration/exercise_results.html",
        {
            "exercise": exercise,
            "results": results,
            "summary": results.summary,
            "vignettes": vignettes,
            "may_manage": access.may_manage(request.user),
            "min_group": selectors.stats.MIN_GROUP_RATERS,
        },
    )


def _percent(value) -> str:
    return "" if value is None else f"{value:.1f}"


def _kappa(value) -> str:
    return "" if value is None else f"{value:.3f}"


def _group_rows(groups):
    for group in groups:
        result = group.result
        if result.suppressed:
            yield [group.name, "fewer than 5", "", "", "", ""]
            continue
        yield [
            group.name,
            result.raters,
            _kappa(result.kappa.value),
            _percent(result.agreement.exact_percent),
            _percent(result.agreement.within_one_percent),
            _percent(result.agreement.under_percent),
        ]


GROUP_HEADER = ["kappa", "% exact", "% within one level", "% under-called"]
RATING_HEADER = [
    "rater",
    "sector",
    "vignette",
    "expert level",
    "suggested level",
    "chosen level",
    "exact",
    "under-called",
    "rationale given",
]


@require_safe
def exercise_export(request, pk, fmt):
    exercise = access.get_exercise_to_manage(request.user, pk)
    if fmt not in ("csv", "xlsx") or exercise.status == CalibrationExercise.Status.DRAFT:
        raise Http404("No such export")
    rows = selectors.export_rows(exercise)
    audit.record(
        action="risk.calibration_exercise.exported",
        obj=exercise,
        actor=request.user,
        changes={"format": fmt, "ratings": len(rows)},
    )
    name = f"calibration-{exercise.pk}-{exercise.held_on:%Y-%m-%d}"
    if fmt == "csv":
        return csv_response(f"{name}.csv", RATING_HEADER, rows)
    results = selectors.exercise_results(exercise)
    summary = results.summary
    interval = summary.kappa.interval
    overview = [
        ["Exercise", exercise.title],
        ["Date", exercise.held_on.isoformat()],
        ["Status", exercise.get_status_display()],
        ["Raters", summary.raters],
        ["Ratings", summary.agreement.ratings],
        ["Fleiss' kappa", _kappa(summary.kappa.value)],
        ["95% interval (jackknife over raters)", f"{interval[0]:.3f} to {interval[1]:.3f}"]
        if interval
        else ["95% interval (jackknife over raters)", "not calculated (fewer than 10 raters)"],
        ["% exact agreement with the expert", _percent(summary.agreement.exact_percent)],
        ["% within one level", _percent(summary.agreement.within_one_percent)],
        ["% under-called", _percent(summary.agreement.under_percent)],
        ["% over-called", _percent(summary.agreement.over_percent)],
    ]
    vignette_rows = [
        [
            row.vignette.title,
            row.expert_level,
            row.agreement.ratings,
            _percent(row.agreement.exact_percent),
            _percent(row.agreement.under_percent),
        ]
        + [count for _, _, count in row.counts]
        for row in results.vignettes
    ]
    first = results.vignettes[0].counts if results.vignettes else []
    level_header = [f"chose {label}" for _, label, _ in first]
    return xlsx_response(
        f"{name}.xlsx",
        {
            "Summary": (["measure", "value"], overview),
            "By agency": (["agency", "raters", *GROUP_HEADER], _group_rows(results.agencies)),
            "By sector": (["sector", "raters", *GROUP_HEADER], _group_rows(results.sectors)),
            "Vignettes": (
                ["vignette", "expert level", "ratings", "% exact", "% under-called", *level_header],
                vignette_rows,
            ),
            "Ratings": (RATING_HEADER, rows),
        },
    )


@require_safe
def results(request):
    access.require_results_reader(request.user)
    partnership = partnership_for(request.user)
    found = selectors.trend(
        partnership=partnership, instrument_code=request.GET.get("instrument", "")
    )
    labels = [f"{p.exercise.held_on:%b %Y}" for p in found.points]
    shown = [p for p in found.points if not p.suppressed]
    kappa_chart = exact_chart = None
    if shown:
        kappa = charts.Series(
            "Kappa",
            [None if p.suppressed else p.kappa.value for p in found.points],
            intervals=[None if p.suppressed else p.kappa.interval for p in found.points],
            missing="not calculated",
        )
        kappa_chart = charts.trend_chart(
            labels,
            [kappa],
            title="Agreement between raters (Fleiss' kappa) in each exercise",
            description="Kappa runs from below 0 (worse than chance) to 1 (complete agreement).",
            decimals=2,
            max_value=1,
            category_header="Exercise",
            chart_id="chart-kappa-trend",
        )
        exact_chart = charts.bar_chart(
            [f"{p.exercise.title} ({p.exercise.held_on:%b %Y})" for p in shown],
            [round(p.agreement.exact_percent or 0, 1) for p in shown],
            title="Ratings at the expert's level, by exercise",
            name="At the expert's level",
            value_label="Share of ratings",
            category_header="Exercise",
            max_value=100,
            unit="%",
            decimals=1,
            description="The share of ratings at exactly the expert's level.",
            chart_id="chart-exact-trend",
        )
    return render(
        request,
        "risk/calibration/results.html",
        {
            "trend": found,
            "kappa_chart": kappa_chart,
            "exact_chart": exact_chart,
            "may_manage": access.may_manage(request.user),
            "min_group": selectors.stats.MIN_GROUP_RATERS,
            "results_url": reverse("risk:calibration-results"),
            "tool_links": tool_links(request.user, "calibration-results"),
        },
    )
