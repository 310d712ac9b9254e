"""How API callers prove who they are: a token (`Authorization: Token <key>`), or the web session
once its second factor is done."""

from __future__ import annotations

from django.conf import settings
from django_otp.plugins.otp_totp.models import TOTPDevice
from drf_spectacular.extensions import OpenApiAuthenticationExtension
from rest_framework.authentication import SessionAuthentication, TokenAuthentication
from rest_framework.exceptions import AuthenticationFailed


class VerifiedSessionAuthentication(SessionAuthentication):
    """The web session, but only after the second factor wherever the web would ask for one.

    The sign-in page logs a user in before their second factor, and TwoFactorMiddleware leaves
    /api/ alone, so a plain SessionAuthentication would let a password alone reach the API."""

    def authenticate(self, request):
        result = super().authenticate(request)
        if result is None:
            return None
        user = result[0]
        is_verified = getattr(user, "is_verified", None)
        verified = bool(is_verified()) if callable(is_verified) else False
        if not verified and (
            _requires_two_factor(user)
            or TOTPDevice.objects.filter(user=user, confirmed=True).exists()
        ):
            raise AuthenticationFailed("Complete two-factor sign-in before using the API.")
        return result


def _requires_two_factor(user) -> bool:
    # The user model says whether its roles need a second factor (people decides; core does not
    # import people).
    requires = getattr(user, "requires_two_factor", None)
    return bool(requires()) if callable(requires) else False


# Token first: its WWW-Authenticate header makes unauthenticated requests 401, not 403.
API_AUTHENTICATION = [TokenAuthentication, VerifiedSessionAuthentication]


class VerifiedSessionScheme(OpenApiAuthenticationExtension):
    target_class = VerifiedSessionAuthentication
    name = "cookieAuth"

    def get_security_definition(self, auto_schema):
        return {"type": "apiKey", "in": "cookie", "name": settings.SESSION_COOKIE_NAME}
