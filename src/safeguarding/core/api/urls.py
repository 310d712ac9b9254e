"""The one API router: /api/v1/ serves the schema and docs, and mounts every installed app's
`<app>.api.urls` under `<app label>/` (or under the `prefix` its urls module declares).

Apps are found through the app registry, so core imports no app above it."""

from __future__ import annotations

import importlib

from django.apps import apps
from django.urls import URLPattern, URLResolver, include, path
from drf_spectacular.views import SpectacularAPIView

from safeguarding.core.api.views import DocsView


def _app_api_urls(app_name: str):
    module_name = f"{app_name}.api.urls"
    try:
        return importlib.import_module(module_name)
    except ModuleNotFoundError as error:
        if error.name is None or not (module_name + ".").startswith(error.name + "."):
            raise  # the module exists but imports something missing
    return None


def _app_patterns() -> list:
    patterns = []
    for config in apps.get_app_configs():
        if not config.name.startswith("safeguarding.") or config.label == "core":
            continue
        module = _app_api_urls(config.name)
        if module is not None:
            prefix = getattr(module, "prefix", f"{config.label}/")
            patterns.append(path(prefix, include(module)))
    return patterns


def _exempt_from_sign_in(patterns) -> None:
    """The API authenticates each request itself (token, or a verified session) and answers
    401/403; it never redirects to the sign-in page."""
    for pattern in patterns:
        if isinstance(pattern, URLResolver):
            _exempt_from_sign_in(pattern.url_patterns)
        elif isinstance(pattern, URLPattern):
            pattern.callback.login_required = False


urlpatterns = [
    path("schema/", SpectacularAPIView.as_view(), name="api-schema"),
    path("docs/", DocsView.as_view(url_name="api-schema"), name="api-docs"),
    *_app_patterns(),
]
_exempt_from_sign_in(urlpatterns)
