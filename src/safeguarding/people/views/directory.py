"""The people directory: listing, showing, adding, changing, deactivating, reactivating."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.db import transaction
from django.shortcuts import redirect, render
from django.views.decorators.http import require_http_methods, require_POST, require_safe
from django_otp.plugins.otp_totp.models import TOTPDevice

from safeguarding.core.forms import GovukForm, apply_errors
from safeguarding.people import services
from safeguarding.people.access import (
    get_person_for_user,
)
from safeguarding.people.forms import (
    DeactivateForm,
    PersonForm,
)
from safeguarding.people.models import Role
from safeguarding.people.permissions import (
    MANAGE_PEOPLE,
    can,
    capability_required,
    grantable_roles,
    may_change_credentials,
)
from safeguarding.people.selectors import person_list as select_people


@require_safe
def person_list(request):
    query = request.GET.get("q", "").strip()[:100]
    role = request.GET.get("role", "")
    role = role if role in Role.values else ""
    people = select_people(user=request.user, query=query, role=role)
    return render(
        request,
        "people/person_list.html",
        {
            "page": Paginator(people, 50).get_page(request.GET.get("page")),
            "query": query,
            "role": role,
            "roles": Role.choices,
            "can_manage": can(request.user, MANAGE_PEOPLE),
        },
    )


@require_safe
def person_detail(request, pk):
    return _person_page(request, get_person_for_user(request.user, pk))


def _person_page(request, person, deactivate_form=None, status=200, errors=None):
    """The person's page; `errors` (a form) puts a refusal in the error summary at the top."""
    memberships = person.memberships.select_related(
        "agency", "team", "line_manager"
    ).prefetch_related("role_grants")
    return render(
        request,
        "people/person_detail.html",
        {
            "person": person,
            "memberships": memberships,
            "can_manage": can(request.user, MANAGE_PEOPLE),
            "deactivate_form": deactivate_form or DeactivateForm(),
            "has_device": TOTPDevice.objects.filter(user=person, confirmed=True).exists(),
            "may_change_credentials": may_change_credentials(request.user, person),
            "form": errors or deactivate_form,
        },
        status=status,
    )


@require_POST
@capability_required(MANAGE_PEOPLE)
def person_deactivate(request, pk):
    person = get_person_for_user(request.user, pk)
    if person == request.user:
        raise PermissionDenied("You cannot deactivate your own account.")
    form = DeactivateForm(request.POST)
    if not form.is_valid():
        return _person_page(request, person, deactivate_form=form)
    services.user_deactivate(user=person, reason=form.cleaned_data["reason"], actor=request.user)
    messages.success(request, f"{person} can no longer sign in.")
    return redirect("people:person-detail", pk=person.pk)


@require_POST
@capability_required(MANAGE_PEOPLE)
def person_reset_two_factor(request, pk):
    person = get_person_for_user(request.user, pk)
    if person == request.user:
        raise PermissionDenied("Use your account page to change your own authenticator.")
    try:
        services.second_factor_remove(user=person, actor=request.user)
    except PermissionDenied as refusal:
        errors = GovukForm(data={})
        errors.is_valid()
        errors.add_error(None, str(refusal))
        return _person_page(request, person, errors=errors, status=403)
    messages.success(
        request, f"{person} will set up a new authenticator app when they next sign in."
    )
    return redirect("people:person-detail", pk=person.pk)


@require_POST
@capability_required(MANAGE_PEOPLE)
def person_reactivate(request, pk):
    person = get_person_for_user(request.user, pk)
    services.user_reactivate(user=person, actor=request.user)
    messages.success(request, f"{person} can sign in again.")
    return redirect("people:person-detail", pk=person.pk)


@require_http_methods(["GET", "POST"])
@capability_required(MANAGE_PEOPLE)
def person_create(request):
    form = PersonForm(
        request.POST if request.method == "POST" else None,
        grantable=grantable_roles(request.user),
    )
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            person = services.person_create(actor=request.user, **data)
        except ValidationError as error:
            apply_errors(form, error)
        else:
            transaction.on_commit(
                lambda: services.send_set_password_email(user=person, welcome=True)
            )
            messages.success(request, f"{person} has been added and sent a link to set a password.")
            return redirect("people:person-detail", pk=person.pk)
    return render(request, "people/person_form.html", {"form": form, "person": None})


@require_http_methods(["GET", "POST"])
@capability_required(MANAGE_PEOPLE)
def person_edit(request, pk):
    person = get_person_for_user(request.user, pk)
    membership = person.memberships.select_related("agency").first()
    initial = {
        "given_name": person.given_name,
        "family_name": person.family_name,
        "email": person.email,
    }
    if membership:
        initial.update(
            agency=membership.agency,
            team=membership.team,
            job_title=membership.job_title,
            line_manager=membership.line_manager,
            roles=sorted(membership.role_codes),
        )
    form = PersonForm(
        request.POST if request.method == "POST" else None,
        initial=initial,
        grantable=grantable_roles(request.user) | frozenset(initial.get("roles", ())),
        agency=membership.agency if membership else None,
    )
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            with transaction.atomic():
                services.person_update(
                    user=person,
                    actor=request.user,
                    given_name=data["given_name"],
                    family_name=data["family_name"],
                    email=data["email"],
                )
                if membership is None:
                    services.membership_create(
                        user=person,
                        agency=data["agency"],
                        roles=data["roles"],
                        team=data["team"],
                        job_title=data["job_title"],
                        line_manager=data["line_manager"],
                        actor=request.user,
                    )
                else:
                    services.membership_update(
                        membership=membership,
                        actor=request.user,
                        agency=data["agency"],
                        team=data["team"],
                        job_title=data["job_title"],
                        line_manager=data["line_manager"],
                        roles=data["roles"],
                    )
        except ValidationError as error:
            apply_errors(form, error)
        else:
            messages.success(request, f"{person} has been updated.")
            return redirect("people:person-detail", pk=person.pk)
    return render(request, "people/person_form.html", {"form": form, "person": person})
