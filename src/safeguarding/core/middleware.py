"""Request-wide behaviour: security headers, the audit context, and sign-in for non-public pages."""

from __future__ import annotations

import ipaddress

from django.conf import settings

from safeguarding.core import audit


class SecurityHeadersMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        response.headers.setdefault("Content-Security-Policy", settings.CONTENT_SECURITY_POLICY)
        response.headers.setdefault(
            "Permissions-Policy", "camera=(), microphone=(), geolocation=()"
        )
        user = getattr(request, "user", None)
        if user is not None and user.is_authenticated:
            # Pages about people must not linger in shared browser caches.
            response.headers.setdefault("Cache-Control", "no-store")
        return response


class AuditContextMiddleware:
    """Makes the client address available to audit.record() for the length of the request."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        token = audit.set_client_address(client_address(request))
        try:
            return self.get_response(request)
        finally:
            audit.reset_client_address(token)


def client_address(request) -> str | None:
    """The client's address: REMOTE_ADDR, or with TRUSTED_PROXY_COUNT proxies in front, the address
    the outermost trusted proxy saw. Used by the audit trail and the lockout alike."""
    candidate = request.META.get("REMOTE_ADDR")
    proxies = settings.TRUSTED_PROXY_COUNT
    if proxies:
        forwarded = [a.strip() for a in request.META.get("HTTP_X_FORWARDED_FOR", "").split(",")]
        if len(forwarded) >= proxies:
            candidate = forwarded[-proxies]
    try:
        return str(ipaddress.ip_address(candidate or ""))
    except ValueError:
        return None
