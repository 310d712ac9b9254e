"""Signing in and out, and the second factor: verifying it and setting it up."""

from __future__ import annotations

import io

import qrcode
import qrcode.image.svg
from django.contrib import messages
from django.contrib.auth import login, logout
from django.contrib.auth.decorators import login_not_required
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods, require_POST, require_safe
from django_otp import login as otp_login
from django_otp.plugins.otp_totp.models import TOTPDevice

from safeguarding.core import audit
from safeguarding.people import services
from safeguarding.people.forms import (
    SignInForm,
    TokenForm,
)
from safeguarding.people.permissions import (
    requires_two_factor,
)


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


def confirmed_device(user) -> TOTPDevice | None:
    return TOTPDevice.objects.filter(user=user, confirmed=True).first()


@never_cache
@require_http_methods(["GET", "POST"])
def two_factor_verify(request):
    device = confirmed_device(request.user)
    if device is None:
        return redirect("people:two-factor-setup")
    form = TokenForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        if services.second_factor_check(device=device, token=form.cleaned_data["token"]):
            _second_factor_given(request, device)
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


def _second_factor_given(request, device: TOTPDevice) -> None:
    """Mark the session verified and give it a new id: an id seen before the second factor (on a
    shared computer, in a log) must not become a fully signed-in session."""
    otp_login(request, device)
    request.session.cycle_key()


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
    if confirmed_device(request.user) is not None:
        messages.info(request, "Two-factor authentication is already set up for your account.")
        return redirect("people:account")
    device = _pending_device(request.user)
    form = TokenForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        if services.second_factor_check(device=device, token=form.cleaned_data["token"]):
            services.second_factor_confirm(device=device, actor=request.user)
            _second_factor_given(request, device)
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
