"""Two-factor authentication: required for roles that see child-level records, offered to all."""

from __future__ import annotations

from django.shortcuts import redirect
from django.urls import reverse
from django.utils.http import urlencode
from django_otp.plugins.otp_totp.models import TOTPDevice

from safeguarding.people.permissions import requires_two_factor

# Everything else, public pages included, waits until a signed-in user has given the second factor.
ALLOWED_BEFORE_SECOND_FACTOR = (
    "/two-factor/",
    "/sign-out/",
    "/static/",
    "/accessibility/",
    "/privacy/",
    "/api/",  # the API refuses unverified sessions itself (core.api.authentication)
    "/healthz",
)


class TwoFactorMiddleware:
    """A signed-in user with a device, or whose roles require one, must verify before going on."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        user = request.user
        path = request.path_info
        if (
            user.is_authenticated
            and not user.is_verified()
            and not path.startswith(ALLOWED_BEFORE_SECOND_FACTOR)
        ):
            has_device = TOTPDevice.objects.filter(user=user, confirmed=True).exists()
            if has_device:
                return redirect(_with_next("people:two-factor-verify", request))
            if requires_two_factor(user):
                return redirect(_with_next("people:two-factor-setup", request))
        return self.get_response(request)


def _with_next(name: str, request) -> str:
    target = request.get_full_path()
    if target.startswith("/sign-in/"):
        return reverse(name)
    return f"{reverse(name)}?{urlencode({'next': target})}"
