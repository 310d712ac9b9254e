"""Two-factor authentication: required for roles that see child-level records, offered to all."""

from __future__ import annotations

from django.shortcuts import redirect
from django.urls import reverse
from django_otp.plugins.otp_totp.models import TOTPDevice

from safeguarding.core.middleware import is_public
from safeguarding.people.permissions import requires_two_factor

ALLOWED_BEFORE_SECOND_FACTOR = ("/two-factor/", "/sign-out/")


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
            and not is_public(path)
            and not path.startswith(ALLOWED_BEFORE_SECOND_FACTOR)
        ):
            has_device = TOTPDevice.objects.filter(user=user, confirmed=True).exists()
            if has_device:
                return redirect(f"{reverse('people:two-factor-verify')}?next={path}")
            if requires_two_factor(user):
                return redirect(f"{reverse('people:two-factor-setup')}?next={path}")
        return self.get_response(request)
