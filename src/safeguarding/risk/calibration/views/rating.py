"""Practitioners rate the vignettes of the exercises they take part in, and read a rating back."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.shortcuts import redirect, render
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods, require_safe

from safeguarding.core.forms import apply_errors
from safeguarding.risk.calibration import access, services
from safeguarding.risk.calibration.forms import (
    InstrumentAnswersForm,
    LevelForm,
)
from safeguarding.risk.calibration.views.common import answer_rows


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
            "answers": answer_rows(
                inst, rating.answers, vignette.expert_answers if closed else None
            ),
        },
    )
