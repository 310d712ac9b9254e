"""Self-registration, and approving or rejecting the requests."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_not_required
from django.core.exceptions import ValidationError
from django.shortcuts import redirect, render
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods, require_safe

from safeguarding.core.forms import apply_errors
from safeguarding.people import services
from safeguarding.people.access import (
    get_registration_for_user,
    registrations_visible_to,
)
from safeguarding.people.forms import (
    RegistrationDecisionForm,
    RegistrationForm,
)
from safeguarding.people.models import RegistrationRequest
from safeguarding.people.permissions import (
    APPROVE_REGISTRATIONS,
    capability_required,
    grantable_roles,
)


@login_not_required
@never_cache
@require_http_methods(["GET", "POST"])
def register(request):
    form = RegistrationForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        try:
            services.registration_submit(**form.cleaned_data)
        except ValidationError as error:
            apply_errors(form, error)
        else:
            return redirect("people:register-sent")
    return render(request, "people/register.html", {"form": form})


@login_not_required
@require_safe
def register_sent(request):
    return render(request, "people/register_sent.html")


@require_safe
@capability_required(APPROVE_REGISTRATIONS)
def registration_list(request):
    pending = (
        registrations_visible_to(request.user)
        .filter(status=RegistrationRequest.Status.PENDING)
        .select_related("agency")
    )
    decided = (
        registrations_visible_to(request.user)
        .exclude(status=RegistrationRequest.Status.PENDING)
        .select_related("agency", "decided_by")[:50]
    )
    return render(
        request, "people/registration_list.html", {"pending": pending, "decided": decided}
    )


@require_http_methods(["GET", "POST"])
@capability_required(APPROVE_REGISTRATIONS)
def registration_decide(request, pk):
    registration = get_registration_for_user(request.user, pk)
    form = RegistrationDecisionForm(
        request.POST if request.method == "POST" else None,
        grantable=grantable_roles(request.user, registration.agency),
    )
    if registration.status != RegistrationRequest.Status.PENDING:
        form = None
    elif request.method == "POST" and form.is_valid():
        try:
            if form.cleaned_data["decision"] == "approve":
                services.registration_approve(
                    registration=registration, actor=request.user, roles=form.cleaned_data["roles"]
                )
                messages.success(
                    request, f"{registration.email} can now set a password and sign in."
                )
            else:
                services.registration_reject(
                    registration=registration,
                    actor=request.user,
                    reason=form.cleaned_data["reason"],
                )
                messages.success(request, f"The request from {registration.email} was rejected.")
        except ValidationError as error:
            apply_errors(form, error)
        else:
            return redirect("people:registration-list")
    return render(
        request, "people/registration_decide.html", {"registration": registration, "form": form}
    )


# Agencies -----------------------------------------------------------------------------------
