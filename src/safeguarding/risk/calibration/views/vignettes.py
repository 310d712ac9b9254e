"""The business unit writes vignettes: a case, the expert's answers and level, then publishes it."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.shortcuts import redirect, render
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods, require_POST, require_safe

from safeguarding.core.forms import apply_errors
from safeguarding.people.selectors import partnership_for
from safeguarding.risk.calibration import access, selectors, services
from safeguarding.risk.calibration.forms import (
    ExpertLevelForm,
    InstrumentAnswersForm,
    VignetteForm,
)
from safeguarding.risk.calibration.views.common import Combined, answer_rows


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
            "answers": answer_rows(inst, vignette.expert_answers),
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
            "form": Combined([answers_form, level_form]),  # one error summary for both
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
