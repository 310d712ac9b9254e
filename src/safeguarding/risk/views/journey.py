"""The practitioner's journey: household, questions section by section (save and resume), check
answers, the suggested level, confirm or change it, then outcome, shares, reviews and the
referral summary. Every page that shows an identification or household records a read."""

from __future__ import annotations

import datetime

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods, require_safe

from safeguarding.core.audit import record_list_read, record_read
from safeguarding.core.forms import apply_errors
from safeguarding.people.models import Agency
from safeguarding.risk import access, forms
from safeguarding.risk.calibration.selectors import exercises_for_participant
from safeguarding.risk.documents import summary_docx, summary_pdf
from safeguarding.risk.instruments import AnswerError, latest_instruments
from safeguarding.risk.models import CalibrationExercise, Household, Identification, Review
from safeguarding.risk.navigation import tool_links
from safeguarding.risk.selectors import identifications as identification_selectors
from safeguarding.risk.selectors import reviews as review_selectors
from safeguarding.risk.services import households as household_services
from safeguarding.risk.services import identifications as identification_services
from safeguarding.risk.services import referrals as referral_services
from safeguarding.risk.services import reviews as review_services


def _data(request):
    """The submitted data for a POST (even an empty one: a form with nothing ticked is still
    submitted), or None for a GET."""
    return request.POST if request.method == "POST" else None


# Lists and households -------------------------------------------------------------------------


HOME_LIST_LIMIT = 100  # each list on the home page; older records are found by reference


@never_cache
@require_safe
def home(request):
    access.require_risk_tool(request.user)
    lists = {
        name: list(items[:HOME_LIST_LIMIT])
        for name, items in identification_selectors.identification_lists(request.user).items()
    }
    reviews = list(review_selectors.reviews_due(request.user, timezone.localdate()))
    households = list(
        access.households_visible_to(request.user)
        .filter(created_by=request.user)
        .prefetch_related("members")[:50]
    )
    # The lists name households and levels: record who saw which records.
    record_list_read(
        model=Identification,
        ids=[i.pk for items in lists.values() for i in items]
        + [r.identification_id for r in reviews],
        actor=request.user,
        purpose="risk tool home",
    )
    record_list_read(
        model=Household, ids=[h.pk for h in households], actor=request.user, purpose="home"
    )
    return render(
        request,
        "risk/home.html",
        {
            **lists,
            "reviews": reviews,
            "households": households,
            "today": timezone.localdate(),
            "tool_links": tool_links(request.user, "home"),
            "to_rate": [
                exercise
                for exercise in exercises_for_participant(request.user).filter(
                    status=CalibrationExercise.Status.OPEN
                )
                if exercise.rated_count < exercise.vignette_count
            ],
        },
    )


@never_cache
@require_http_methods(["GET", "POST"])
def household_create(request):
    access.require_risk_tool(request.user)
    agencies = Agency.objects.filter(pk__in=access.agencies_using_tool(request.user))
    form = forms.HouseholdForm(_data(request), agencies=agencies)
    if request.method == "POST" and form.is_valid():
        try:
            household = household_services.household_create(
                agency=form.cleaned_data["agency"],
                address=form.cleaned_data["address"],
                postcode=form.cleaned_data["postcode"],
                actor=request.user,
            )
        except ValidationError as error:
            apply_errors(form, error)
        else:
            return redirect("risk:member-add", pk=household.pk)
    return render(
        request, "risk/household_form.html", {"form": form, "back_url": reverse("risk:home")}
    )


@never_cache
@require_safe
def household_detail(request, pk):
    household = access.get_household_for_user(request.user, pk)
    record_read(obj=household, actor=request.user)
    identifications = access.identifications_visible_to(request.user).filter(household=household)
    return render(
        request,
        "risk/household_detail.html",
        {
            "household": household,
            "members": household.members.all(),
            "identifications": identifications.select_related("author"),
            "may_change": access.may_change_household(request.user, household),
        },
    )


@never_cache
@require_http_methods(["GET", "POST"])
def member_add(request, pk):
    household = access.get_household_to_change(request.user, pk)
    form = forms.MemberForm(_data(request))
    if request.method == "POST" and form.is_valid():
        try:
            member = household_services.household_member_add(
                household=household, actor=request.user, **form.cleaned_data
            )
        except ValidationError as error:
            apply_errors(form, error)
        else:
            messages.success(request, f"{member} added to the household.")
            if request.POST.get("another"):
                return redirect("risk:member-add", pk=household.pk)
            return redirect("risk:household-detail", pk=household.pk)
    return render(
        request,
        "risk/member_form.html",
        {"form": form, "household": household, "members": household.members.all()},
    )


@never_cache
@require_http_methods(["GET", "POST"])
def identification_start(request, pk):
    household = access.get_household_to_change(request.user, pk)
    access.require_risk_tool(request.user)
    instruments = latest_instruments(household.agency.partnership)
    form = forms.StartForm(_data(request), household=household, instruments=instruments)
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
        _data(request),
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
        _data(request), instrument=instrument, suggested=evaluation.level.value
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


# The completed record -------------------------------------------------------------------------


@never_cache
@require_safe
def identification_detail(request, pk):
    identification = access.get_identification_for_user(request.user, pk)
    record_read(obj=identification, actor=request.user)
    instrument = identification_selectors.instrument_for(identification)
    owner = access.is_owner_side(request.user, identification)
    return render(
        request,
        "risk/detail.html",
        {
            "identification": identification,
            "instrument": instrument,
            "rows": identification_selectors.answer_rows(instrument, identification),
            "children": identification.children.all(),
            "outcomes": identification.outcomes.select_related("receiving_agency"),
            "shares": identification.shares.select_related("agency", "shared_by"),
            "reviews": identification.reviews.select_related("done_by"),
            "open_review": review_selectors.open_review(identification),
            "owner": owner,
            "is_author": identification.author_id == request.user.pk,
            "may_countersign": identification.status
            == Identification.Status.AWAITING_COUNTERSIGNATURE
            and access.may_countersign(request.user, identification),
            "reason_effects": {"information_gap", "protective"},
            "may_start_matrix": access.may_change_household(request.user, identification.household),
        },
    )


@never_cache
@require_http_methods(["GET", "POST"])
def countersign(request, pk):
    identification = access.get_owned_identification_for_user(request.user, pk)
    if not access.may_countersign(request.user, identification):
        raise PermissionDenied("Only the author's line manager or safeguarding lead countersigns.")
    form = forms.CountersignForm(_data(request))
    if request.method == "POST" and form.is_valid():
        try:
            if form.cleaned_data["decision"] == "countersign":
                identification_services.identification_countersign(
                    identification=identification, actor=request.user
                )
                messages.success(request, f"You countersigned {identification.reference}.")
            else:
                identification_services.identification_return(
                    identification=identification,
                    note=form.cleaned_data["note"],
                    actor=request.user,
                )
                messages.success(request, f"{identification.reference} was returned.")
        except ValidationError as error:
            apply_errors(form, error)
        else:
            return redirect("risk:identification-detail", pk=identification.pk)
    record_read(obj=identification, actor=request.user, purpose="countersignature")
    return render(
        request,
        "risk/countersign.html",
        {
            "back_url": reverse("risk:identification-detail", args=[identification.pk]),
            "identification": identification,
            "form": form,
        },
    )


@never_cache
@require_http_methods(["GET", "POST"])
def outcome_record(request, pk):
    identification = access.get_owned_identification_for_user(request.user, pk)
    form = forms.OutcomeForm(
        _data(request),
        partnership=identification.agency.partnership,
        initial={"date": timezone.localdate()},
    )
    if request.method == "POST" and form.is_valid():
        try:
            referral_services.outcome_record(
                identification=identification, actor=request.user, **form.cleaned_data
            )
        except ValidationError as error:
            apply_errors(form, error)
        else:
            messages.success(request, "Outcome recorded.")
            return redirect("risk:identification-detail", pk=identification.pk)
    return render(
        request,
        "risk/outcome_form.html",
        {
            "back_url": reverse("risk:identification-detail", args=[identification.pk]),
            "identification": identification,
            "form": form,
        },
    )


@never_cache
@require_http_methods(["GET", "POST"])
def share(request, pk):
    identification = access.get_owned_identification_for_user(request.user, pk)
    form = forms.ShareForm(_data(request), identification=identification)
    if request.method == "POST" and form.is_valid():
        try:
            shared = referral_services.identification_share(
                identification=identification, actor=request.user, **form.cleaned_data
            )
        except ValidationError as error:
            apply_errors(form, error)
        else:
            messages.success(request, f"Shared with {shared.agency}. The share is recorded.")
            return redirect("risk:identification-detail", pk=identification.pk)
    return render(
        request,
        "risk/share_form.html",
        {
            "back_url": reverse("risk:identification-detail", args=[identification.pk]),
            "identification": identification,
            "form": form,
        },
    )


@never_cache
@require_http_methods(["GET", "POST"])
def review_set(request, pk):
    identification = access.get_owned_identification_for_user(request.user, pk)
    form = forms.ReviewForm(_data(request), initial={"when": "default"})
    if request.method == "POST" and form.is_valid():
        today = timezone.localdate()
        when = form.cleaned_data["when"]
        due_on, reason = {
            "default": (today + datetime.timedelta(weeks=8), Review.Reason.SCHEDULED),
            "now": (today, Review.Reason.NEW_INCIDENT),
            "date": (form.cleaned_data["due_on"], Review.Reason.SCHEDULED),
        }[when]
        try:
            review_services.review_set(
                identification=identification, due_on=due_on, reason=reason, actor=request.user
            )
        except ValidationError as error:
            apply_errors(form, error)
        else:
            messages.success(request, f"Review set for {due_on:%-d %B %Y}.")
            return redirect("risk:identification-detail", pk=identification.pk)
    return render(
        request,
        "risk/review_form.html",
        {
            "back_url": reverse("risk:identification-detail", args=[identification.pk]),
            "identification": identification,
            "form": form,
        },
    )


@never_cache
@require_http_methods(["GET", "POST"])
def review_done(request, pk):
    review = access.get_review_for_user(request.user, pk)
    identification = review.identification
    form = forms.ReviewDoneForm(_data(request))
    if request.method == "POST" and form.is_valid():
        try:
            review_services.review_complete(
                review=review, note=form.cleaned_data["note"], actor=request.user
            )
        except ValidationError as error:
            apply_errors(form, error)
        else:
            messages.success(request, "Review recorded. Set the next review if one is needed.")
            return redirect("risk:identification-detail", pk=identification.pk)
    return render(
        request,
        "risk/review_done.html",
        {
            "back_url": reverse("risk:identification-detail", args=[identification.pk]),
            "identification": identification,
            "review": review,
            "form": form,
        },
    )


@never_cache
@require_safe
def summary(request, pk, kind):
    identification = access.get_identification_for_user(request.user, pk)
    if not identification.is_completed:
        raise Http404("The summary is ready once the level is confirmed.")
    record_read(obj=identification, actor=request.user, purpose=f"referral summary ({kind})")
    instrument = identification_selectors.instrument_for(identification)
    if kind == "docx":
        content = summary_docx(identification, instrument)
        content_type = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
    else:
        content = summary_pdf(identification, instrument)
        content_type = "application/pdf"
    response = HttpResponse(content, content_type=content_type)
    response["Content-Disposition"] = (
        f'attachment; filename="referral-summary-{identification.reference}.{kind}"'
    )
    return response
