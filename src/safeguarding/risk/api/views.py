"""The risk tool's REST API (under /api/v1/risk/): the instruments, a calculator that evaluates
answers and saves nothing, and identifications scoped exactly as on the web (risk.access)."""

from __future__ import annotations

import datetime

from drf_spectacular.utils import OpenApiResponse, extend_schema, extend_schema_view
from rest_framework import serializers, viewsets
from rest_framework.response import Response
from rest_framework.views import APIView

from safeguarding.core.api.views import NOT_FOUND, UNAUTHENTICATED, ApiViewMixin
from safeguarding.core.audit import record_list_read, record_read
from safeguarding.people.selectors import partnership_for
from safeguarding.risk import access
from safeguarding.risk.api.serializers import (
    EvaluateSerializer,
    EvaluationSerializer,
    IdentificationDetailSerializer,
    IdentificationSerializer,
    InstrumentSerializer,
)
from safeguarding.risk.instruments import (
    AnswerError,
    InstrumentError,
    get_instrument,
    latest_instruments,
)
from safeguarding.risk.models import Identification

INVALID = OpenApiResponse(description="Invalid input; errors by field (or question code).")


class InstrumentsView(ApiViewMixin, APIView):
    @extend_schema(
        summary="List the risk identification instruments",
        description="The newest version of each instrument for the caller's partnership (its "
        "own licensed versions included), with levels and questions.",
        responses={200: InstrumentSerializer(many=True), 401: UNAUTHENTICATED},
    )
    def get(self, request):
        instruments = latest_instruments(partnership_for(request.user))
        return Response(InstrumentSerializer(instruments, many=True).data)


class EvaluateView(ApiViewMixin, APIView):
    @extend_schema(
        summary="Evaluate answers (a calculator: nothing is saved)",
        request=EvaluateSerializer,
        responses={200: EvaluationSerializer, 400: INVALID, 401: UNAUTHENTICATED},
    )
    def post(self, request):
        given = EvaluateSerializer(data=request.data)
        given.is_valid(raise_exception=True)
        data = given.validated_data
        try:
            instrument = get_instrument(
                data["instrument"],
                version=data.get("version"),
                partnership=partnership_for(request.user),
            )
        except InstrumentError as error:
            raise serializers.ValidationError({"instrument": [error.problem]}) from None
        try:
            instrument.clean_answers(data["answers"])
            evaluation = instrument.evaluate(
                data["answers"],
                {"assessed_on": data.get("assessed_on") or datetime.date.today()},
            )
        except AnswerError as error:
            raise serializers.ValidationError({"answers": error.errors}) from None
        result = {
            "instrument": instrument.code,
            "version": instrument.version,
            "level": evaluation.level.code,
            "level_label": evaluation.level.label,
            "reasons": evaluation.reasons,
            "actions": evaluation.actions,
            "marac_criteria": evaluation.marac_criteria,
            "information_gaps": len(evaluation.information_gaps),
            "information_gap_questions": evaluation.information_gaps,
            "details": evaluation.details,
        }
        return Response(EvaluationSerializer(result).data)


@extend_schema_view(
    list=extend_schema(
        summary="List the identifications you may see",
        description="Scoped as on the web: yours, your team's (line managers), your agency's "
        "(safeguarding leads) and those shared with or referred to your agency.",
        responses={200: IdentificationSerializer(many=True), 401: UNAUTHENTICATED},
    ),
    retrieve=extend_schema(
        summary="Show an identification (the read is recorded in the audit trail)",
        responses={200: IdentificationDetailSerializer, 401: UNAUTHENTICATED, 404: NOT_FOUND},
    ),
)
class IdentificationViewSet(ApiViewMixin, viewsets.ReadOnlyModelViewSet):
    serializer_class = IdentificationSerializer

    def get_queryset(self):
        return (
            access.identifications_visible_to(self.request.user)
            .select_related("agency", "author")
            .order_by("-assessed_on", "-id")
        )

    def list(self, request, *args, **kwargs):
        response = super().list(request, *args, **kwargs)
        results = response.data.get("results", response.data)
        record_list_read(
            model=Identification,
            ids=[row["id"] for row in results],
            actor=request.user,
            purpose="API",
        )
        return response

    def retrieve(self, request, pk=None):
        identification = access.get_identification_for_user(request.user, pk)
        record_read(obj=identification, actor=request.user, purpose="API")
        return Response(IdentificationDetailSerializer(identification).data)
