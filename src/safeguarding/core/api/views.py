"""What every app's API views build on: the authentication and parsers (ApiViewMixin), a
service's ValidationError as a 400 (as_drf_error), query-parameter filters (validated_query),
the answers every API documents, and the docs page."""

from __future__ import annotations

from django.core.exceptions import NON_FIELD_ERRORS
from django.core.exceptions import ValidationError as DjangoValidationError
from drf_spectacular.utils import OpenApiResponse
from drf_spectacular.views import SpectacularSwaggerSplitView
from rest_framework import serializers
from rest_framework.parsers import JSONParser
from rest_framework.permissions import IsAuthenticated
from rest_framework.settings import api_settings

from safeguarding.core.api.authentication import API_AUTHENTICATION

# The answers every app's API documents in the same words.
UNAUTHENTICATED = OpenApiResponse(description="No valid token or verified session.")
NOT_FOUND = OpenApiResponse(description="No such record, or not one you may see.")
INVALID = OpenApiResponse(description="Invalid input; errors by field name.")


def validated_query(serializer_class, request) -> dict:
    """The request's query parameters checked by a filter serializer (a 400 when they are not
    valid)."""
    filters = serializer_class(data=request.query_params)
    filters.is_valid(raise_exception=True)
    return filters.validated_data


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
