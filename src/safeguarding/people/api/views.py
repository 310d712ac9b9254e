"""People's REST API (agencies, people, me), mounted at /api/v1/. Thin views: the people
selectors and access helpers decide what each caller may see, exactly as on the web;
people.services do every write."""

from __future__ import annotations

from django.core.exceptions import ValidationError as DjangoValidationError
from drf_spectacular.utils import OpenApiResponse, extend_schema, extend_schema_view
from rest_framework import serializers, status, viewsets
from rest_framework.permissions import IsAuthenticated
from rest_framework.response import Response
from rest_framework.settings import api_settings
from rest_framework.views import APIView

from safeguarding.core.api.views import (
    INVALID,
    NOT_FOUND,
    UNAUTHENTICATED,
    ApiViewMixin,
    as_drf_error,
    validated_query,
)
from safeguarding.people import services as people_services
from safeguarding.people.access import get_agency_for_user, get_person_for_user
from safeguarding.people.api.permissions import ManagePeopleForWrites
from safeguarding.people.api.serializers import (
    AgencyFilterSerializer,
    AgencySerializer,
    AgencyWriteSerializer,
    PersonFilterSerializer,
    PersonSerializer,
    prefetch_memberships,
)
from safeguarding.people.models import Agency, Partnership, User
from safeguarding.people.selectors import agency_list, person_list

FORBIDDEN = OpenApiResponse(description="Needs the manage-people capability.")


def _the_partnership() -> Partnership:
    partnerships = list(Partnership.objects.all()[:2])
    if len(partnerships) != 1:
        raise serializers.ValidationError(
            {
                api_settings.NON_FIELD_ERRORS_KEY: [
                    "Agencies can only be added through the API "
                    "when the platform has exactly one partnership."
                ]
            }
        )
    return partnerships[0]


@extend_schema_view(
    list=extend_schema(
        summary="List agencies",
        parameters=[AgencyFilterSerializer],
        responses={200: AgencySerializer(many=True), 400: INVALID, 401: UNAUTHENTICATED},
    ),
    retrieve=extend_schema(
        summary="Show an agency",
        responses={200: AgencySerializer, 401: UNAUTHENTICATED, 404: NOT_FOUND},
    ),
    create=extend_schema(
        summary="Add an agency",
        request=AgencyWriteSerializer,
        responses={201: AgencySerializer, 400: INVALID, 401: UNAUTHENTICATED, 403: FORBIDDEN},
    ),
    partial_update=extend_schema(
        summary="Change an agency",
        request=AgencyWriteSerializer,
        responses={
            200: AgencySerializer,
            400: INVALID,
            401: UNAUTHENTICATED,
            403: FORBIDDEN,
            404: NOT_FOUND,
        },
    ),
)
class AgencyViewSet(ApiViewMixin, viewsets.GenericViewSet):
    """The partnership's agencies. Everyone signed in may read them; only the business unit
    (manage-people capability) may add or change them."""

    permission_classes = [IsAuthenticated, ManagePeopleForWrites]
    serializer_class = AgencySerializer
    queryset = Agency.objects.none()  # for the schema only; rows come from people.selectors

    def list(self, request):
        filters = validated_query(AgencyFilterSerializer, request)
        agencies = agency_list(
            user=request.user, query=filters.get("q", "").strip(), sector=filters.get("sector", "")
        )
        page = self.paginate_queryset(agencies)
        return self.get_paginated_response(AgencySerializer(page, many=True).data)

    def retrieve(self, request, pk=None):
        agency = get_agency_for_user(request.user, pk)
        return Response(AgencySerializer(agency).data)

    def create(self, request):
        values = AgencyWriteSerializer(data=request.data)
        values.is_valid(raise_exception=True)
        try:
            agency = people_services.agency_create(
                partnership=_the_partnership(), actor=request.user, **values.validated_data
            )
        except DjangoValidationError as error:
            raise as_drf_error(error) from None
        return Response(AgencySerializer(agency).data, status=status.HTTP_201_CREATED)

    def partial_update(self, request, pk=None):
        agency = get_agency_for_user(request.user, pk)
        values = AgencyWriteSerializer(data=request.data, partial=True)
        values.is_valid(raise_exception=True)
        try:
            agency = people_services.agency_update(
                agency=agency, actor=request.user, **values.validated_data
            )
        except DjangoValidationError as error:
            raise as_drf_error(error) from None
        return Response(AgencySerializer(agency).data)


@extend_schema_view(
    list=extend_schema(
        summary="List people",
        parameters=[PersonFilterSerializer],
        responses={200: PersonSerializer(many=True), 400: INVALID, 401: UNAUTHENTICATED},
    ),
    retrieve=extend_schema(
        summary="Show a person",
        responses={200: PersonSerializer, 401: UNAUTHENTICATED, 404: NOT_FOUND},
    ),
)
class PersonViewSet(ApiViewMixin, viewsets.GenericViewSet):
    """People the caller may see: the business unit sees everyone; others see colleagues in
    agencies where their role allows it, and the people they line-manage."""

    serializer_class = PersonSerializer
    queryset = User.objects.none()  # for the schema only; rows come from people.selectors

    def list(self, request):
        filters = validated_query(PersonFilterSerializer, request)
        people = person_list(
            user=request.user,
            query=filters.get("q", "").strip(),
            agency_id=filters.get("agency"),
            role=filters.get("role", ""),
        )
        page = self.paginate_queryset(people)
        return self.get_paginated_response(PersonSerializer(page, many=True).data)

    def retrieve(self, request, pk=None):
        person = get_person_for_user(request.user, pk)
        prefetch_memberships([person])
        return Response(PersonSerializer(person).data)


class MeView(ApiViewMixin, APIView):
    @extend_schema(
        summary="Your own person record", responses={200: PersonSerializer, 401: UNAUTHENTICATED}
    )
    def get(self, request):
        person = get_person_for_user(request.user, request.user.pk)
        prefetch_memberships([person])
        return Response(PersonSerializer(person).data)
