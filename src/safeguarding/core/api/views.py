"""What every app's API views build on: the authentication and parsers (ApiViewMixin), a
service's ValidationError as a 400 (as_drf_error), and the docs page."""

from __future__ import annotations

from django.core.exceptions import NON_FIELD_ERRORS
from django.core.exceptions import ValidationError as DjangoValidationError
from drf_spectacular.views import SpectacularSwaggerSplitView
from rest_framework import serializers
from rest_framework.parsers import JSONParser
from rest_framework.permissions import IsAuthenticated
from rest_framework.settings import api_settings

from safeguarding.core.api.authentication import API_AUTHENTICATION


def as_drf_error(error: DjangoValidationError) -> serializers.ValidationError:
    """A service's ValidationError as a 400 with errors by field ("non_field_errors" for the
    rest)."""
    if hasattr(error, "error_dict"):
        return serializers.ValidationError(
            {
                api_settings.NON_FIELD_ERRORS_KEY if field == NON_FIELD_ERRORS else field: messages
                for field, messages in error.message_dict.items()
            }
        )
    return serializers.ValidationError({api_settings.NON_FIELD_ERRORS_KEY: error.messages})


class ApiViewMixin:
    authentication_classes = API_AUTHENTICATION
    permission_classes = [IsAuthenticated]
    parser_classes = [JSONParser]


class DocsView(SpectacularSwaggerSplitView):
    """Swagger UI with no inline script or style, so it runs under the site's strict CSP: the
    init script comes from this view's ?script URL and the page style from a static file."""

    template_name = "api/swagger_ui.html"
