"""Households: record one, read it, add its members. Every page records a read."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods, require_safe

from safeguarding.core.audit import record_read
from safeguarding.core.forms import apply_errors
from safeguarding.people.models import Agency
from safeguarding.risk import access, forms
from safeguarding.risk.services import households as household_services
from safeguarding.risk.views.common import form_data


@never_cache
@require_http_methods(["GET", "POST"])
def household_create(request):
    access.require_risk_tool(request.user)
    agencies = Agency.objects.filter(pk__in=access.agencies_using_tool(request.user))
    form = forms.HouseholdForm(form_data(request), agencies=agencies)
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
    form = forms.MemberForm(form_data(request))
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
