"""The training programme's REST API (under /api/v1/learning/): courses, sessions, the caller's
bookings and waiting-list entries, registers for trainers, and the programme's statistics.

Thin views over the same access helpers, selectors and services as the web pages: the access
helpers decide what each caller may see (404 for what they may not know exists, 403 for a
capability they lack) and `services.booking` / `services.records` do every write.
"""

from __future__ import annotations

import datetime

from django.core.exceptions import ValidationError as DjangoValidationError
from django.db.models import Prefetch, QuerySet
from django.utils import timezone
from drf_spectacular.utils import OpenApiResponse, extend_schema, extend_schema_view
from rest_framework import status, viewsets
from rest_framework.decorators import action
from rest_framework.exceptions import PermissionDenied
from rest_framework.response import Response
from rest_framework.views import APIView

from safeguarding.core.api.views import (
    INVALID,
    NOT_FOUND,
    UNAUTHENTICATED,
    ApiViewMixin,
    as_drf_error,
    validated_query,
)
from safeguarding.learning import access
from safeguarding.learning.api.serializers import (
    BookingSerializer,
    CourseSerializer,
    PeriodSerializer,
    RegisterMarksSerializer,
    RegisterSerializer,
    SessionChoiceSerializer,
    SessionFilterSerializer,
    SessionSerializer,
    StatisticsSerializer,
    WaitingListEntrySerializer,
)
from safeguarding.learning.models import Booking, Course, Session, WaitingListEntry
from safeguarding.learning.selectors import catalogue as catalogue_selectors
from safeguarding.learning.selectors import records as records_selectors
from safeguarding.learning.selectors import reports as report_selectors
from safeguarding.learning.services import booking as booking_services
from safeguarding.learning.services import records as records_services
from safeguarding.learning.services import waiting_list as waiting_list_services
from safeguarding.people.models import Role
from safeguarding.people.permissions import is_business_unit, roles_of
from safeguarding.people.selectors import partnership_for

REFUSED = OpenApiResponse(description="You may see this record but not do this.")
KEEPERS_ONLY = OpenApiResponse(description="Only the session's trainers and the business unit.")
STATISTICS_READERS = OpenApiResponse(description="Only the business unit and board members.")


def _related_bookings(queryset: QuerySet[Booking]) -> QuerySet[Booking]:
    return queryset.select_related("session__course", "session__venue", "person", "agency")


def _related_entries(queryset: QuerySet[WaitingListEntry]) -> QuerySet[WaitingListEntry]:
    return queryset.select_related("session__course", "session__venue", "person")


def _service_call(call, *args, **kwargs):
    """Run a service; its ValidationError becomes a 400 with errors by field."""
    try:
        return call(*args, **kwargs)
    except booking_services.SessionFull:
        raise
    except DjangoValidationError as error:
        raise as_drf_error(error) from None


SESSION_FULL = OpenApiResponse(
    description="No place is left: join the waiting list instead. "
    'Body: {"detail": "…", "code": "session_full"}.'
)


def _session_full(error: DjangoValidationError) -> Response:
    return Response(
        {"detail": " ".join(error.messages), "code": "session_full"},
        status=status.HTTP_409_CONFLICT,
    )


@extend_schema_view(
    list=extend_schema(
        summary="List courses",
        description="Published courses; the business unit also sees drafts and archived ones.",
        responses={200: CourseSerializer(many=True), 401: UNAUTHENTICATED},
    ),
    retrieve=extend_schema(
        summary="Show a course",
        responses={200: CourseSerializer, 401: UNAUTHENTICATED, 404: NOT_FOUND},
    ),
)
class CourseViewSet(ApiViewMixin, viewsets.GenericViewSet):
    serializer_class = CourseSerializer
    queryset = Course.objects.none()  # for the schema only; rows come from learning.access

    def _courses(self):
        return (
            access.courses_visible_to(self.request.user)
            .select_related("level")
            .prefetch_related(Prefetch("prerequisites", queryset=Course.objects.only("pk")))
            .order_by("title", "pk")
        )

    def list(self, request):
        page = self.paginate_queryset(self._courses())
        return self.get_paginated_response(CourseSerializer(page, many=True).data)

    def retrieve(self, request, pk=None):
        course = access.get_course_for_user(request.user, pk)
        return Response(CourseSerializer(course).data)


@extend_schema_view(
    list=extend_schema(
        summary="List sessions",
        description="Sessions of the courses you may see, soonest first, from today unless "
        "`from` says otherwise. Cancelled sessions are listed with their status.",
        parameters=[SessionFilterSerializer],
        responses={200: SessionSerializer(many=True), 400: INVALID, 401: UNAUTHENTICATED},
    ),
    retrieve=extend_schema(
        summary="Show a session",
        responses={200: SessionSerializer, 401: UNAUTHENTICATED, 404: NOT_FOUND},
    ),
)
class SessionViewSet(ApiViewMixin, viewsets.GenericViewSet):
    serializer_class = SessionSerializer
    queryset = Session.objects.none()  # for the schema only; rows come from learning.access

    def _sessions(self):
        return catalogue_selectors.with_places(
            access.sessions_visible_to(self.request.user).select_related("course", "venue")
        )

    def list(self, request):
        filters = validated_query(SessionFilterSerializer, request)
        start = filters.get("from") or timezone.localdate()
        low = timezone.make_aware(datetime.datetime.combine(start, datetime.time.min))
        sessions = self._sessions().filter(starts_at__gte=low)
        if filters.get("to"):
            high = timezone.make_aware(
                datetime.datetime.combine(
                    filters["to"] + datetime.timedelta(days=1), datetime.time.min
                )
            )
            sessions = sessions.filter(starts_at__lt=high)
        if filters.get("course"):
            sessions = sessions.filter(course_id=filters["course"])
        page = self.paginate_queryset(sessions.order_by("starts_at", "pk"))
        return self.get_paginated_response(SessionSerializer(page, many=True).data)

    def retrieve(self, request, pk=None):
        session = access.get_session_for_user(request.user, pk)
        session = self._sessions().get(pk=session.pk)
        return Response(SessionSerializer(session).data)

    def _register(self, session: Session) -> dict:
        record = records_selectors.register_for(session)
        return RegisterSerializer(
            {
                "session": session,
                "is_open": record.is_open,
                "booked": record.booked,
                "attended": record.attended,
                "no_show": record.no_show,
                "unmarked": record.unmarked,
                "walk_ins": record.walk_ins,
                "places": record.places,
                "late_cancelled": record.late_cancelled,
            }
        ).data

    @extend_schema(
        methods=["GET"],
        summary="Show a session's register",
        description="The people with a confirmed place (walk-ins included) and those who "
        "cancelled late. For the session's trainers and the business unit.",
        responses={
            200: RegisterSerializer,
            401: UNAUTHENTICATED,
            403: KEEPERS_ONLY,
            404: NOT_FOUND,
        },
    )
    @extend_schema(
        methods=["POST"],
        summary="Mark a session's register",
        description="Mark places attended or did not attend (or clear a mark), all or none. "
        "Marks can be taken from the day of the session. Attendance earns the certificate.",
        request=RegisterMarksSerializer,
        responses={
            200: RegisterSerializer,
            400: INVALID,
            401: UNAUTHENTICATED,
            403: KEEPERS_ONLY,
            404: NOT_FOUND,
        },
    )
    @action(detail=True, methods=["get", "post"], url_path="register", url_name="register")
    def register(self, request, pk=None):
        session = access.get_register_for_user(request.user, pk)
        if request.method == "POST":
            values = RegisterMarksSerializer(data=request.data)
            values.is_valid(raise_exception=True)
            marks = {mark["booking"]: mark["attendance"] for mark in values.validated_data["marks"]}
            _service_call(
                records_services.register_save, session=session, marks=marks, actor=request.user
            )
        return Response(self._register(session))


@extend_schema_view(
    list=extend_schema(
        summary="List your bookings",
        description="Your own places, in every state, latest session first.",
        responses={200: BookingSerializer(many=True), 401: UNAUTHENTICATED},
    ),
    retrieve=extend_schema(
        summary="Show a booking",
        description="Your own bookings, your team's (line managers), the bookings on sessions "
        "you train, or any (business unit).",
        responses={200: BookingSerializer, 401: UNAUTHENTICATED, 404: NOT_FOUND},
    ),
    create=extend_schema(
        summary="Book a place for yourself",
        description="Confirmed at once, or waiting for your line manager's approval where the "
        "course asks for it.",
        request=SessionChoiceSerializer,
        responses={
            201: BookingSerializer,
            400: INVALID,
            401: UNAUTHENTICATED,
            409: SESSION_FULL,
        },
    ),
    cancel=extend_schema(
        summary="Cancel a booking",
        description="After bookings close, a cancellation counts as late (and may be charged). "
        "Your own places and your team's; the business unit any.",
        request=None,
        responses={
            200: BookingSerializer,
            400: INVALID,
            401: UNAUTHENTICATED,
            403: REFUSED,
            404: NOT_FOUND,
        },
    ),
)
class BookingViewSet(ApiViewMixin, viewsets.GenericViewSet):
    serializer_class = BookingSerializer
    queryset = Booking.objects.none()  # for the schema only; rows come from learning.access

    def list(self, request):
        bookings = _related_bookings(Booking.objects.filter(person=request.user)).order_by(
            "-session__starts_at", "-pk"
        )
        page = self.paginate_queryset(bookings)
        return self.get_paginated_response(BookingSerializer(page, many=True).data)

    def retrieve(self, request, pk=None):
        booking = access.get_booking_for_user(request.user, pk)
        booking = _related_bookings(Booking.objects.filter(pk=booking.pk)).get()
        return Response(BookingSerializer(booking).data)

    def create(self, request):
        values = SessionChoiceSerializer(data=request.data, context={"request": request})
        values.is_valid(raise_exception=True)
        try:
            booking = _service_call(
                booking_services.booking_create,
                session=values.validated_data["session"],
                person=request.user,
                actor=request.user,
            )
        except booking_services.SessionFull as error:
            return _session_full(error)
        booking = _related_bookings(Booking.objects.filter(pk=booking.pk)).get()
        return Response(BookingSerializer(booking).data, status=status.HTTP_201_CREATED)

    @action(detail=True, methods=["post"], url_path="cancel", url_name="cancel")
    def cancel(self, request, pk=None):
        booking = access.get_booking_for_user(request.user, pk)
        _service_call(booking_services.booking_cancel, booking=booking, actor=request.user)
        booking = _related_bookings(Booking.objects.filter(pk=booking.pk)).get()
        return Response(BookingSerializer(booking).data)


@extend_schema_view(
    list=extend_schema(
        summary="List your waiting-list entries",
        description="Your own entries, in every state, newest first.",
        responses={200: WaitingListEntrySerializer(many=True), 401: UNAUTHENTICATED},
    ),
    create=extend_schema(
        summary="Join a session's waiting list",
        description="Only when the session is full. When a place frees up it is offered to "
        "the first person waiting, who has a limited time to claim it.",
        request=SessionChoiceSerializer,
        responses={201: WaitingListEntrySerializer, 400: INVALID, 401: UNAUTHENTICATED},
    ),
    leave=extend_schema(
        summary="Leave a waiting list",
        request=None,
        responses={
            200: WaitingListEntrySerializer,
            400: INVALID,
            401: UNAUTHENTICATED,
            403: REFUSED,
            404: NOT_FOUND,
        },
    ),
    claim=extend_schema(
        summary="Claim an offered place",
        description="Take up the place offered from the waiting list before the offer expires.",
        request=None,
        responses={
            201: BookingSerializer,
            400: INVALID,
            401: UNAUTHENTICATED,
            403: REFUSED,
            404: NOT_FOUND,
        },
    ),
)
class WaitingListViewSet(ApiViewMixin, viewsets.GenericViewSet):
    serializer_class = WaitingListEntrySerializer
    queryset = WaitingListEntry.objects.none()  # for the schema only

    def list(self, request):
        entries = _related_entries(WaitingListEntry.objects.filter(person=request.user)).order_by(
            "-joined_at", "-pk"
        )
        page = self.paginate_queryset(entries)
        return self.get_paginated_response(WaitingListEntrySerializer(page, many=True).data)

    def create(self, request):
        values = SessionChoiceSerializer(data=request.data, context={"request": request})
        values.is_valid(raise_exception=True)
        entry = _service_call(
            waiting_list_services.waiting_list_join,
            session=values.validated_data["session"],
            person=request.user,
            actor=request.user,
        )
        entry = _related_entries(WaitingListEntry.objects.filter(pk=entry.pk)).get()
        return Response(WaitingListEntrySerializer(entry).data, status=status.HTTP_201_CREATED)

    @action(detail=True, methods=["post"], url_path="leave", url_name="leave")
    def leave(self, request, pk=None):
        entry = access.get_waiting_entry_for_user(request.user, pk)
        _service_call(waiting_list_services.waiting_list_leave, entry=entry, actor=request.user)
        entry = _related_entries(WaitingListEntry.objects.filter(pk=entry.pk)).get()
        return Response(WaitingListEntrySerializer(entry).data)

    @action(detail=True, methods=["post"], url_path="claim", url_name="claim")
    def claim(self, request, pk=None):
        entry = access.get_waiting_entry_for_user(request.user, pk)
        booking = _service_call(
            waiting_list_services.waiting_list_claim, entry=entry, actor=request.user
        )
        booking = _related_bookings(Booking.objects.filter(pk=booking.pk)).get()
        return Response(BookingSerializer(booking).data, status=status.HTTP_201_CREATED)


def may_read_statistics(user) -> bool:
    return is_business_unit(user) or Role.BOARD_MEMBER in roles_of(user)


class StatisticsView(ApiViewMixin, APIView):
    @extend_schema(
        summary="Training statistics for a period",
        description="Courses and sessions run, places, bookings, attendance, no-shows, late "
        "cancellations, walk-ins, take-up, by sector, agency and course; trainer-days; "
        "evaluation averages; practice groups and the conference. The period is the current "
        "financial year (April to March) unless `from` and `to` say otherwise. For the "
        "business unit and board members.",
        parameters=[PeriodSerializer],
        responses={
            200: StatisticsSerializer,
            400: INVALID,
            401: UNAUTHENTICATED,
            403: STATISTICS_READERS,
        },
    )
    def get(self, request):
        if not may_read_statistics(request.user):
            raise PermissionDenied("Only the business unit and board members can see these.")
        period = validated_query(PeriodSerializer, request)
        figures = report_selectors.training_statistics(
            partnership=partnership_for(request.user), start=period["from"], end=period["to"]
        )
        return Response(StatisticsSerializer(figures).data)
