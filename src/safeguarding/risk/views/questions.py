"""Start an identification, answer its questions section by section (save and resume), check
the answers, then see the suggested level and confirm or change it."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods, require_safe

from safeguarding.core.audit import record_read
from safeguarding.core.forms import apply_errors
from safeguarding.risk import access, forms
from safeguarding.risk.instruments import AnswerError, latest_instruments
from safeguarding.risk.models import Identification
from safeguarding.risk.selectors import identifications as identification_selectors
from safeguarding.risk.services import identifications as identification_services
from safeguarding.risk.views.common import form_data


@never_cache
@require_http_methods(["GET", "POST"])
def identification_start(request, pk):
    household = access.get_household_to_change(request.user, pk)
    access.require_risk_tool(request.user)
    instruments = latest_instruments(household.agency.partnership)
    form = forms.StartForm(form_data(request), household=household, instruments=instruments)
    if request.method == "POST" and form.is_valid():
        try:
            identification = identification_services.identification_start(
                household=household,
                instrument_code=form.cleaned_data["instrument"],
                subject=form.cleaned_data["subject"],
                children=list(form.cleaned_data["children"]),
                actor=request.user,
            )
        except ValidationError as error:
            apply_errors(form, error)
        else:
            instrument = identification_selectors.instrument_for(identification)
            return redirect(
                "risk:section", pk=identification.pk, section=instrument.sections[0].code
            )
    return render(
        request,
        "risk/start.html",
        {
            "form": form,
            "household": household,
            "back_url": reverse("risk:household-detail", args=[household.pk]),
        },
    )


# Questions, section by section ----------------------------------------------------------------


def _sections_status(instrument, answers) -> list[dict]:
    rows = []
    for section in instrument.sections:
        required = [q for q in section.questions if q.required]
        answered = [q for q in section.questions if q.code in answers]
        done = all(q.code in answers for q in required) and bool(answered or not required)
        rows.append({"section": section, "done": done, "answered": len(answered)})
    return rows


@never_cache
@require_http_methods(["GET", "POST"])
def section(request, pk, section):
    identification = access.get_draft_for_author(request.user, pk)
    if identification.status != Identification.Status.IN_PROGRESS:
        return redirect("risk:identification-detail", pk=identification.pk)
    instrument = identification_selectors.instrument_for(identification)
    try:
        current = instrument.section(section)
    except KeyError:
        raise Http404("No such section") from None
    record_read(obj=identification, actor=request.user, purpose=f"section {current.code}")
    codes = [s.code for s in instrument.sections]
    index = codes.index(current.code)
    saving_for_later = request.POST.get("action") == "later"
    # "Add another date" shows the page again with one more date input; nothing is saved.
    adding_date = request.POST.get("action", "").startswith("add:")
    form = forms.SectionForm(
        form_data(request),
        instrument=instrument,
        section=current,
        answers=identification.answers,
        notes=identification.answer_notes,
        require_all=request.method == "POST" and not saving_for_later and not adding_date,
    )
    if request.method == "POST" and not adding_date and form.is_valid():
        try:
            identification_services.identification_answers_save(
                identification=identification,
                answers=form.answers(),
                notes=form.notes(),
                actor=request.user,
            )
        except ValidationError as error:
            apply_errors(form, error)
        else:
            if saving_for_later:
                messages.success(
                    request,
                    f"Your answers are saved. You can come back to {identification.reference} "
                    "from your risk identifications.",
                )
                return redirect("risk:home")
            if request.GET.get("check") or index + 1 == len(codes):
                return redirect("risk:check", pk=identification.pk)
            return redirect("risk:section", pk=identification.pk, section=codes[index + 1])
    back = (
        reverse("risk:section", args=[identification.pk, codes[index - 1]])
        if index
        else reverse("risk:household-detail", args=[identification.household_id])
    )
    return render(
        request,
        "risk/section.html",
        {
            "identification": identification,
            "instrument": instrument,
            "section": current,
            "form": form,
            "step": index + 1,
            "steps": len(codes),
            "back": back,
        },
    )


@never_cache
@require_safe
def check(request, pk):
    identification = access.get_draft_for_author(request.user, pk)
    if identification.status != Identification.Status.IN_PROGRESS:
        return redirect("risk:identification-detail", pk=identification.pk)
    instrument = identification_selectors.instrument_for(identification)
    record_read(obj=identification, actor=request.user, purpose="check answers")
    missing = []
    try:
        instrument.clean_answers(identification.answers)
    except AnswerError as error:
        missing = [(code, instrument.question(code)) for code in error.errors if code != "answers"]
    return render(
        request,
        "risk/check.html",
        {
            "identification": identification,
            "instrument": instrument,
            "rows": identification_selectors.answer_rows(instrument, identification),
            "missing": missing,
        },
    )


@never_cache
@require_http_methods(["GET", "POST"])
def result(request, pk):
    identification = access.get_draft_for_author(request.user, pk)
    if identification.status != Identification.Status.IN_PROGRESS:
        return redirect("risk:identification-detail", pk=identification.pk)
    instrument = identification_selectors.instrument_for(identification)
    try:
        evaluation = identification_selectors.evaluate(identification)
    except AnswerError:
        messages.error(request, "Answer every question before you see the suggested level.")
        return redirect("risk:check", pk=identification.pk)
    record_read(obj=identification, actor=request.user, purpose="suggested level")
    form = forms.ConfirmForm(
        form_data(request), instrument=instrument, suggested=evaluation.level.value
    )
    if request.method == "POST" and form.is_valid():
        try:
            identification = identification_services.identification_confirm(
                identification=identification,
                level=form.cleaned_data["level"],
                rationale=form.cleaned_data["rationale"],
                actor=request.user,
            )
        except ValidationError as error:
            apply_errors(form, error)
        else:
            if identification.is_completed:
                messages.success(
                    request,
                    f"{identification.reference} is complete at {identification.confirmed_label}."
                    " Record the outcome when you have referred.",
                )
            else:
                messages.success(
                    request,
                    f"{identification.reference} is waiting for your line manager's "
                    "countersignature, because the level is below the suggested one.",
                )
            return redirect("risk:identification-detail", pk=identification.pk)
    return render(
        request,
        "risk/result.html",
        {
            "identification": identification,
            "instrument": instrument,
            "evaluation": evaluation,
            "form": form,
        },
    )
