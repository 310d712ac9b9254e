"""core.api.urls: one router mounts every app's API, each view exempt from the sign-in redirect."""

from __future__ import annotations

from django.urls import URLPattern, URLResolver

from safeguarding.core.api import urls


def _callbacks(patterns, prefix=""):
    for pattern in patterns:
        if isinstance(pattern, URLResolver):
            yield from _callbacks(pattern.url_patterns, prefix + str(pattern.pattern))
        elif isinstance(pattern, URLPattern):
            yield prefix + str(pattern.pattern), pattern.callback


def test_every_app_api_is_mounted_under_its_prefix():
    routes = {route for route, _ in _callbacks(urls.urlpatterns)}
    assert {"schema/", "docs/", "me/"} <= routes
    assert any("agencies/" in route for route in routes)  # router routes are regexes
    assert "learning/statistics/" in routes
    assert "risk/instruments/" in routes


def test_every_api_view_is_exempt_from_the_sign_in_redirect():
    for route, callback in _callbacks(urls.urlpatterns):
        assert callback.login_required is False, route
