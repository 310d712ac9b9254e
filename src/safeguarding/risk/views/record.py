"""The completed record: read it, countersign or return it, record its outcome, share it, set
and complete its reviews, and download the referral summary. Every page records a read."""

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

from safeguarding.core.audit import record_read
from safeguarding.core.forms import apply_errors
from safeguarding.risk import access, forms
from safeguarding.risk.documents import summary_docx, summary_pdf
from safeguarding.risk.models import Identification, Review
from safeguarding.risk.selectors import identifications as identification_selectors
from safeguarding.risk.selectors import reviews as review_selectors
from safeguarding.risk.services import identifications as identification_services
from safeguarding.risk.services import referrals as referral_services
from safeguarding.risk.services import reviews as review_services
from safeguarding.risk.views.common import form_data


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
    form = forms.CountersignForm(form_data(request))
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
        form_data(request),
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
    form = forms.ShareForm(form_data(request), identification=identification)
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
    form = forms.ReviewForm(form_data(request), initial={"when": "default"})
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
    form = forms.ReviewDoneForm(form_data(request))
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
