"""Pages for signing in, two-factor authentication, registration and the people directory."""

from __future__ import annotations

import io

import qrcode
import qrcode.image.svg
from django.contrib import messages
from django.contrib.auth import login, logout
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_not_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.db import transaction
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse, reverse_lazy
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods, require_POST, require_safe
from django_otp import login as otp_login
from django_otp.plugins.otp_totp.models import TOTPDevice

from safeguarding.core import audit
from safeguarding.core.forms import apply_errors
from safeguarding.people import services
from safeguarding.people.access import (
    get_agency_for_user,
    get_person_for_user,
    get_registration_for_user,
    registrations_visible_to,
)
from safeguarding.people.forms import (
    AgencyForm,
    DeactivateForm,
    PersonForm,
    RegistrationDecisionForm,
    RegistrationForm,
    SetPasswordForm,
    SignInForm,
    TokenForm,
)
from safeguarding.people.models import Membership, RegistrationRequest, Role, Sector
from safeguarding.people.permissions import (
    APPROVE_REGISTRATIONS,
    MANAGE_PEOPLE,
    can,
    capability_required,
    grantable_roles,
    requires_two_factor,
)
from safeguarding.people.selectors import agency_list as select_agencies
from safeguarding.people.selectors import partnership_for
from safeguarding.people.selectors import person_list as select_people


def _next_url(request, default: str = "core:home") -> str:
    target = request.POST.get("next") or request.GET.get("next") or ""
    if target and url_has_allowed_host_and_scheme(
        target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return target
    return reverse(default)


# Signing in ---------------------------------------------------------------------------------


@login_not_required
@never_cache
@require_http_methods(["GET", "POST"])
def sign_in(request):
    if request.user.is_authenticated and request.method == "GET":
        return redirect(_next_url(request))
    form = SignInForm(request, data=request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        login(request, form.get_user())
        return redirect(_next_url(request))
    return render(request, "people/sign_in.html", {"form": form, "next": _next_url(request)})


@login_not_required
@require_POST
def sign_out(request):
    logout(request)
    messages.success(request, "You have signed out.")
    return redirect("people:sign-in")


def _confirmed_device(user) -> TOTPDevice | None:
    return TOTPDevice.objects.filter(user=user, confirmed=True).first()


@never_cache
@require_http_methods(["GET", "POST"])
def two_factor_verify(request):
    device = _confirmed_device(request.user)
    if device is None:
        return redirect("people:two-factor-setup")
    form = TokenForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        if device.verify_token(form.cleaned_data["token"]):
            otp_login(request, device)
            audit.record(
                action="people.user.second_factor_verified", obj=request.user, actor=request.user
            )
            return redirect(_next_url(request))
        audit.record(
            action="people.user.second_factor_failed", obj=request.user, actor=request.user
        )
        form.add_error(
            "token",
            _token_error(
                device, "The code is not right or has expired. Enter the code your app shows now."
            ),
        )
    return render(
        request, "people/two_factor_verify.html", {"form": form, "next": _next_url(request)}
    )


def _token_error(device: TOTPDevice, message: str) -> str:
    """django-otp slows down guessing: after each wrong code the next try must wait a while."""
    allowed, detail = device.verify_is_allowed()
    if not allowed and detail and "locked_until" in detail:
        return "You have entered too many wrong codes. Wait a minute, then enter the new code."
    return message


def _pending_device(user) -> TOTPDevice:
    device = TOTPDevice.objects.filter(user=user, confirmed=False).first()
    if device is None:
        device = TOTPDevice.objects.create(user=user, name="Authenticator app", confirmed=False)
    return device


@never_cache
@require_http_methods(["GET", "POST"])
def two_factor_setup(request):
    if _confirmed_device(request.user) is not None:
        messages.info(request, "Two-factor authentication is already set up for your account.")
        return redirect("people:account")
    device = _pending_device(request.user)
    form = TokenForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        if device.verify_token(form.cleaned_data["token"]):
            services.second_factor_confirm(device=device, actor=request.user)
            otp_login(request, device)
            messages.success(request, "Two-factor authentication is set up.")
            return redirect(_next_url(request))
        form.add_error(
            "token",
            _token_error(
                device,
                "The code is not right. Check the time on "
                "your phone and enter the code your app shows now.",
            ),
        )
    secret = _base32_secret(device)
    return render(
        request,
        "people/two_factor_setup.html",
        {
            "form": form,
            "secret": " ".join(secret[i : i + 4] for i in range(0, len(secret), 4)),
            "required": requires_two_factor(request.user),
            "next": _next_url(request),
        },
    )


def _base32_secret(device: TOTPDevice) -> str:
    import base64

    return base64.b32encode(device.bin_key).decode().rstrip("=")


@never_cache
@require_safe
def two_factor_qr(request):
    device = TOTPDevice.objects.filter(user=request.user, confirmed=False).first()
    if device is None:
        return HttpResponse(status=404)
    image = qrcode.make(device.config_url, image_factory=qrcode.image.svg.SvgPathImage)
    buffer = io.BytesIO()
    image.save(buffer)
    return HttpResponse(buffer.getvalue(), content_type="image/svg+xml")


@require_POST
def two_factor_remove(request):
    if requires_two_factor(request.user):
        raise PermissionDenied("Your roles require two-factor authentication.")
    services.second_factor_remove(user=request.user, actor=request.user)
    messages.success(request, "Two-factor authentication is turned off.")
    return redirect("people:account")


@require_safe
def account(request):
    memberships = (
        Membership.objects.filter(user=request.user)
        .select_related("agency", "team", "line_manager")
        .prefetch_related("role_grants")
    )
    return render(
        request,
        "people/account.html",
        {
            "memberships": memberships,
            "has_device": _confirmed_device(request.user) is not None,
            "requires_two_factor": requires_two_factor(request.user),
        },
    )


# Registration -------------------------------------------------------------------------------


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


@require_safe
def agency_list(request):
    query = request.GET.get("q", "").strip()[:100]
    sector = request.GET.get("sector", "")
    sector = sector if sector in Sector.values else ""
    page = Paginator(select_agencies(user=request.user, query=query, sector=sector), 50)
    return render(
        request,
        "people/agency_list.html",
        {
            "page": page.get_page(request.GET.get("page")),
            "query": query,
            "sector": sector,
            "sectors": Sector.choices,
            "can_manage": can(request.user, MANAGE_PEOPLE),
        },
    )


@require_safe
def agency_detail(request, pk):
    agency = get_agency_for_user(request.user, pk)
    people = select_people(user=request.user, agency_id=agency.pk)
    return render(
        request,
        "people/agency_detail.html",
        {
            "agency": agency,
            "teams": agency.teams.select_related("locality"),
            "people_page": Paginator(people, 50).get_page(request.GET.get("page")),
            "can_manage": can(request.user, MANAGE_PEOPLE),
        },
    )


def _agency_values(form) -> dict:
    return dict(form.cleaned_data)


@require_http_methods(["GET", "POST"])
@capability_required(MANAGE_PEOPLE)
def agency_create(request):
    form = AgencyForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        try:
            agency = services.agency_create(
                partnership=partnership_for(request.user),
                actor=request.user,
                **_agency_values(form),
            )
        except ValidationError as error:
            apply_errors(form, error)
        else:
            messages.success(request, f"{agency.name} has been added.")
            return redirect("people:agency-detail", pk=agency.pk)
    return render(request, "people/agency_form.html", {"form": form, "agency": None})


@require_http_methods(["GET", "POST"])
@capability_required(MANAGE_PEOPLE)
def agency_edit(request, pk):
    agency = get_agency_for_user(request.user, pk)
    initial = {
        "name": agency.name,
        "sector": agency.sector,
        "locality": agency.locality,
        "email_domains": ", ".join(agency.email_domains),
        "is_statutory_partner": agency.is_statutory_partner,
        "funds_partnership": agency.funds_partnership,
    }
    form = AgencyForm(request.POST if request.method == "POST" else None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            services.agency_update(agency=agency, actor=request.user, **_agency_values(form))
        except ValidationError as error:
            apply_errors(form, error)
        else:
            messages.success(request, f"{agency.name} has been updated.")
            return redirect("people:agency-detail", pk=agency.pk)
    return render(request, "people/agency_form.html", {"form": form, "agency": agency})


# People -------------------------------------------------------------------------------------


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


def _person_page(request, person, deactivate_form=None, status=200):
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
            "form": deactivate_form,
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
    services.second_factor_remove(user=person, actor=request.user)
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


class PasswordResetConfirmView(auth_views.PasswordResetConfirmView):
    """Django's reset confirmation, with the new password recorded in the audit trail."""

    template_name = "people/password_reset_confirm.html"
    form_class = SetPasswordForm
    success_url = reverse_lazy("people:password-reset-complete")

    def form_valid(self, form):
        response = super().form_valid(form)
        audit.record(action="people.user.password_reset", obj=form.user, actor=form.user)
        return response
