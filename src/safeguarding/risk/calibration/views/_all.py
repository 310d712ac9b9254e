"""Calibration pages under /risk/calibration/: the business unit writes vignettes and runs
exercises; practitioners rate the vignettes of the exercises they take part in; the business unit
and the board read the results."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods, require_POST, require_safe

from safeguarding.core import audit
from safeguarding.core.exports import csv_response, xlsx_response
from safeguarding.core.forms import apply_errors
from safeguarding.learning import charts
from safeguarding.people.selectors import partnership_for
from safeguarding.risk import calibration_access as access
from safeguarding.risk import calibration_selectors as selectors
from safeguarding.risk import calibration_services as services
from safeguarding.risk.calibration_charts import trend_chart_svg
from safeguarding.risk.calibration_forms import (
    ExerciseForm,
    ExpertLevelForm,
    InstrumentAnswersForm,
    LevelForm,
    ParticipantsForm,
    VignetteForm,
)
from safeguarding.risk.models import CalibrationExercise
from safeguarding.risk.navigation import tool_links


class _Combined:
    """Several forms on one page, seen by the base template's error summary as one."""

    def __init__(self, forms):
        self.forms = forms

    @property
    def errors(self):
        return any(form.errors for form in self.forms)

    @property
    def error_list(self):
        return [item for form in self.forms for item in form.error_list]


def _answer_rows(instrument, answers: dict, other: dict | None = None):
    """[(section, [(question, answer text, other answer text, same?)])] for answered sections."""
    sections = []
    for section in instrument.sections:
        rows = []
        for question in section.questions:
            mine = question.display(answers.get(question.code))
            theirs = question.display(other.get(question.code)) if other is not None else None
            rows.append((question, mine, theirs, theirs is None or mine == theirs))
        sections.append((section, rows))
    return sections


# Overview --------------------------------------------------------------------------------------


@require_safe
def home(request):
    user = request.user
    context = {
        "may_manage": access.may_manage(user),
        "may_see_results": access.may_see_results(user),
        "mine": list(selectors.exercises_for_participant(user)),
        "tool_links": tool_links(user, "calibration"),
    }
    if context["may_manage"]:
        partnership = partnership_for(user)
        context["exercises"] = list(selectors.exercise_list(partnership=partnership))
        context["vignette_count"] = selectors.vignette_list(partnership=partnership).count()
    return render(request, "risk/calibration/home.html", context)


# Vignettes -------------------------------------------------------------------------------------


@require_safe
def vignette_list(request):
    access.require_manager(request.user)
    partnership = partnership_for(request.user)
    return render(
        request,
        "risk/calibration/vignette_list.html",
        {"vignettes": selectors.vignette_list(partnership=partnership)},
    )


@never_cache
@require_http_methods(["GET", "POST"])
def vignette_create(request):
    access.require_manager(request.user)
    partnership = partnership_for(request.user)
    form = VignetteForm(request.POST or None, partnership=partnership)
    if request.method == "POST" and form.is_valid():
        code, version = form.instrument_code_version()
        try:
            vignette = services.vignette_create(
                partnership=partnership,
                instrument_code=code,
                instrument_version=version,
                title=form.cleaned_data["title"],
                story=form.cleaned_data["story"],
                actor=request.user,
            )
        except ValidationError as error:
            apply_errors(form, error)
        else:
            messages.success(request, "Vignette saved. Now give the expert's answers and level.")
            return redirect("risk:calibration-vignette-expert", pk=vignette.pk)
    return render(request, "risk/calibration/vignette_form.html", {"form": form})


@never_cache
@require_http_methods(["GET", "POST"])
def vignette_edit(request, pk):
    vignette = access.get_vignette_to_manage(request.user, pk)
    form = VignetteForm(
        request.POST or None,
        partnership=vignette.partnership,
        editing=True,
        initial={"title": vignette.title, "story": vignette.story},
    )
    if request.method == "POST" and form.is_valid():
        try:
            services.vignette_update(
                vignette=vignette,
                title=form.cleaned_data["title"],
                story=form.cleaned_data["story"],
                actor=request.user,
            )
        except ValidationError as error:
            apply_errors(form, error)
        else:
            messages.success(request, "Vignette saved.")
            return redirect("risk:calibration-vignette", pk=vignette.pk)
    return render(
        request, "risk/calibration/vignette_form.html", {"form": form, "vignette": vignette}
    )


@require_safe
def vignette_detail(request, pk):
    vignette = access.get_vignette_to_manage(request.user, pk)
    inst = services.instrument_of(vignette)
    evaluation = inst.evaluate(vignette.expert_answers) if vignette.expert_level else None
    return render(
        request,
        "risk/calibration/vignette_detail.html",
        {
            "vignette": vignette,
            "instrument": inst,
            "expert_level": inst.level(vignette.expert_level) if vignette.expert_level else None,
            "evaluation": evaluation,
            "answers": _answer_rows(inst, vignette.expert_answers),
            "editable": not vignette.ratings.exists(),
            "exercises": vignette.exercises.order_by("-held_on"),
        },
    )


@never_cache
@require_http_methods(["GET", "POST"])
def vignette_expert(request, pk):
    vignette = access.get_vignette_to_manage(request.user, pk)
    inst = services.instrument_of(vignette)
    data = request.POST if request.method == "POST" else None
    answers_form = InstrumentAnswersForm(data, instrument=inst, answers=vignette.expert_answers)
    level_form = ExpertLevelForm(
        data,
        instrument=inst,
        initial={"level": vignette.expert_level, "rationale": vignette.expert_rationale},
    )
    if request.method == "POST":
        answers_ok, level_ok = answers_form.is_valid(), level_form.is_valid()
        if answers_ok and level_ok:
            try:
                services.vignette_set_expert(
                    vignette=vignette,
                    answers=answers_form.answers(),
                    level=level_form.cleaned_data["level"],
                    rationale=level_form.cleaned_data["rationale"],
                    actor=request.user,
                )
            except ValidationError as error:
                if hasattr(error, "error_dict") and set(error.error_dict) & {"level", "rationale"}:
                    apply_errors(level_form, error)
                else:
                    apply_errors(answers_form, error, rename=answers_form.field_for)
            else:
                messages.success(request, "The expert's answers and level are saved.")
                return redirect("risk:calibration-vignette", pk=vignette.pk)
    return render(
        request,
        "risk/calibration/vignette_expert.html",
        {
            "vignette": vignette,
            "instrument": inst,
            "answers_form": answers_form,
            "level_form": level_form,
            "form": _Combined([answers_form, level_form]),  # one error summary for both
        },
    )


@require_POST
def vignette_publish(request, pk):
    vignette = access.get_vignette_to_manage(request.user, pk)
    try:
        services.vignette_publish(vignette=vignette, actor=request.user)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, "Vignette published: it can now be used in exercises.")
    return redirect("risk:calibration-vignette", pk=vignette.pk)


# Exercises -------------------------------------------------------------------------------------


@never_cache
@require_http_methods(["GET", "POST"])
def exercise_create(request):
    access.require_manager(request.user)
    partnership = partnership_for(request.user)
    form = ExerciseForm(request.POST or None, partnership=partnership)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            exercise = services.exercise_create(
                partnership=partnership,
                title=data["title"],
                held_on=data["held_on"],
                instrument_code=data["instrument_code"],
                vignettes=data["vignettes"],
                session=data.get("session"),
                meeting=data.get("meeting"),
                actor=request.user,
            )
        except ValidationError as error:
            apply_errors(form, error)
        else:
            messages.success(request, "Exercise created. Now add the people taking part.")
            return redirect("risk:calibration-participants", pk=exercise.pk)
    return render(request, "risk/calibration/exercise_form.html", {"form": form})


@never_cache
@require_http_methods(["GET", "POST"])
def exercise_edit(request, pk):
    exercise = access.get_exercise_to_manage(request.user, pk)
    form = ExerciseForm(
        request.POST or None,
        partnership=exercise.partnership,
        exercise=exercise,
        initial={
            "title": exercise.title,
            "held_on": exercise.held_on,
            "session": exercise.session_id,
            "meeting": exercise.meeting_id,
            "vignettes": list(exercise.vignettes.values_list("pk", flat=True)),
        },
    )
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            services.exercise_update(
                exercise=exercise,
                title=data["title"],
                held_on=data["held_on"],
                vignettes=data["vignettes"],
                session=data.get("session"),
                meeting=data.get("meeting"),
                actor=request.user,
            )
        except ValidationError as error:
            apply_errors(form, error)
        else:
            messages.success(request, "Exercise saved.")
            return redirect("risk:calibration-exercise", pk=exercise.pk)
    return render(
        request, "risk/calibration/exercise_form.html", {"form": form, "exercise": exercise}
    )


@require_safe
def exercise_detail(request, pk):
    exercise = access.get_exercise_for_user(request.user, pk)
    manager = access.may_manage(request.user)
    participant = access.is_participant(request.user, exercise)
    context = {"exercise": exercise, "may_manage": manager, "is_participant": participant}
    if participant:
        context["my_vignettes"] = selectors.participant_vignettes(exercise, request.user)
    if manager:
        context["vignettes"] = list(exercise.vignettes.order_by("title"))
        context["participant_count"] = exercise.participants.count()
        context["rater_count"] = exercise.ratings.values("rater").distinct().count()
        context["rating_count"] = exercise.ratings.count()
    return render(request, "risk/calibration/exercise_detail.html", context)


@never_cache
@require_http_methods(["GET", "POST"])
def participants(request, pk):
    exercise = access.get_exercise_to_manage(request.user, pk)
    has_event = bool(exercise.session_id or exercise.meeting_id)
    form = ParticipantsForm(
        request.POST if "add" in request.POST else None,
        partnership=exercise.partnership,
        has_event=has_event,
    )
    if request.method == "POST" and "remove" in request.POST:
        person = exercise.participants.filter(pk=request.POST.get("remove")).first()
        if person is None:
            raise Http404("No such participant")
        try:
            services.exercise_participant_remove(
                exercise=exercise, person=person, actor=request.user
            )
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
        else:
            messages.success(request, f"{person} removed from the exercise.")
        return redirect("risk:calibration-participants", pk=exercise.pk)
    if request.method == "POST" and form.is_valid():
        people = list(form.cleaned_data["emails"] or [])
        if form.cleaned_data.get("from_event"):
            people += services.event_attendees(exercise)
        try:
            added = services.exercise_participants_add(
                exercise=exercise, people=people, actor=request.user
            )
        except ValidationError as error:
            apply_errors(form, error)
        else:
            messages.success(
                request, f"{len(added)} {'person' if len(added) == 1 else 'people'} added."
            )
            return redirect("risk:calibration-participants", pk=exercise.pk)
    rated = set(exercise.ratings.values_list("rater_id", flat=True))
    people = [
        (person, person.pk in rated)
        for person in exercise.participants.prefetch_related("memberships__agency").order_by(
            "family_name", "given_name", "email"
        )
    ]
    return render(
        request,
        "risk/calibration/participants.html",
        {"exercise": exercise, "form": form, "people": people},
    )


@require_POST
def exercise_open(request, pk):
    exercise = access.get_exercise_to_manage(request.user, pk)
    try:
        services.exercise_open(exercise=exercise, actor=request.user)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, "The exercise is open: the people taking part can rate now.")
    return redirect("risk:calibration-exercise", pk=exercise.pk)


@require_POST
def exercise_close(request, pk):
    exercise = access.get_exercise_to_manage(request.user, pk)
    try:
        services.exercise_close(exercise=exercise, actor=request.user)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(
            request,
            "The exercise is closed. Raters can now compare their answers with the expert's.",
        )
    return redirect("risk:calibration-exercise", pk=exercise.pk)


# Rating ----------------------------------------------------------------------------------------


def _session_key(exercise, vignette) -> str:
    return f"calibration:{exercise.pk}:{vignette.pk}"


def _rating_gate(request, exercise, vignette):
    """A response instead of the rating pages, when the person cannot rate (or has rated)."""
    mine = exercise.ratings.filter(vignette=vignette, rater=request.user).first()
    if mine is not None:
        return redirect("risk:calibration-rating", pk=mine.pk)
    if not exercise.is_open:
        return render(
            request,
            "risk/calibration/not_open.html",
            {"exercise": exercise, "vignette": vignette},
        )
    return None


@never_cache
@require_http_methods(["GET", "POST"])
def rate(request, pk, vignette_pk):
    exercise, vignette = access.get_vignette_to_rate(request.user, pk, vignette_pk)
    gate = _rating_gate(request, exercise, vignette)
    if gate is not None:
        return gate
    inst = services.instrument_of(vignette)
    key = _session_key(exercise, vignette)
    form = InstrumentAnswersForm(
        request.POST if request.method == "POST" else None,
        instrument=inst,
        answers=request.session.get(key, {}),
    )
    if request.method == "POST" and form.is_valid():
        try:
            cleaned, _ = services.suggest(inst, form.answers())
        except ValidationError as error:
            apply_errors(form, error, rename=form.field_for)
        else:
            request.session[key] = cleaned
            return redirect("risk:calibration-rate-level", pk=exercise.pk, vignette_pk=vignette.pk)
    return render(
        request,
        "risk/calibration/rate.html",
        {"exercise": exercise, "vignette": vignette, "instrument": inst, "form": form},
    )


@never_cache
@require_http_methods(["GET", "POST"])
def rate_level(request, pk, vignette_pk):
    exercise, vignette = access.get_vignette_to_rate(request.user, pk, vignette_pk)
    gate = _rating_gate(request, exercise, vignette)
    if gate is not None:
        return gate
    key = _session_key(exercise, vignette)
    answers = request.session.get(key)
    if answers is None:
        return redirect("risk:calibration-rate", pk=exercise.pk, vignette_pk=vignette.pk)
    inst = services.instrument_of(vignette)
    evaluation = inst.evaluate(answers)
    suggested = evaluation.level.value if evaluation.level else None
    form = LevelForm(
        request.POST if request.method == "POST" else None,
        instrument=inst,
        suggested=suggested,
    )
    if request.method == "POST" and form.is_valid():
        try:
            services.rating_submit(
                exercise=exercise,
                vignette=vignette,
                rater=request.user,
                answers=answers,
                chosen_level=form.cleaned_data["chosen_level"],
                rationale=form.cleaned_data["rationale"],
                actor=request.user,
            )
        except ValidationError as error:
            if hasattr(error, "error_dict") and any(k.startswith("q_") for k in error.error_dict):
                messages.error(request, "Check your answers: the instrument needs more of them.")
                return redirect("risk:calibration-rate", pk=exercise.pk, vignette_pk=vignette.pk)
            apply_errors(form, error)
        else:
            del request.session[key]
            messages.success(request, f"Your rating of {vignette.title} is saved.")
            return redirect("risk:calibration-exercise", pk=exercise.pk)
    return render(
        request,
        "risk/calibration/rate_level.html",
        {
            "exercise": exercise,
            "vignette": vignette,
            "instrument": inst,
            "evaluation": evaluation,
            "form": form,
        },
    )


@require_safe
def rating_detail(request, pk):
    """A rater's own rating; once the exercise has closed, beside the expert's answers."""
    rating = access.get_rating_for_user(request.user, pk)
    exercise, vignette = rating.exercise, rating.vignette
    inst = services.instrument_of(vignette)
    closed = exercise.is_closed
    return render(
        request,
        "risk/calibration/rating_detail.html",
        {
            "rating": rating,
            "exercise": exercise,
            "vignette": vignette,
            "instrument": inst,
            "closed": closed,
            "suggested": inst.level(rating.suggested_level)
            if rating.suggested_level is not None
            else None,
            "chosen": inst.level(rating.chosen_level),
            "expert": inst.level(vignette.expert_level) if closed else None,
            "answers": _answer_rows(
                inst, rating.answers, vignette.expert_answers if closed else None
            ),
        },
    )


# Results ---------------------------------------------------------------------------------------


def _level_chart(row, levels):
    labels = [label for _, label, _ in row.counts]
    counts = [count for _, _, count in row.counts]
    expert = levels.get(row.expert_level, row.expert_level)
    return charts.bar_chart_svg(
        labels,
        counts,
        title=f"{row.vignette.title}: levels chosen",
        description=f"{sum(counts)} ratings; the expert level is {expert}. Ratings by level:",
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
        kappa_chart = trend_chart_svg(
            labels,
            [None if p.suppressed else p.kappa.value for p in found.points],
            intervals=[None if p.suppressed else p.kappa.interval for p in found.points],
            title="Agreement between raters (Fleiss' kappa) in each exercise",
            description="Kappa runs from below 0 (worse than chance) to 1 (complete agreement).",
            chart_id="chart-kappa-trend",
        )
        exact_chart = charts.bar_chart_svg(
            [f"{p.exercise.title} ({p.exercise.held_on:%b %Y})" for p in shown],
            [round(p.agreement.exact_percent or 0, 1) for p in shown],
            title="Ratings at the expert's level, by exercise",
            max_value=100,
            value_suffix="%",
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
