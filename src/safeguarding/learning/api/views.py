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
from rest_framework import serializers, status, viewsets
from rest_framework.decorators import action
from rest_framework.exceptions import PermissionDenied
from rest_framework.response import Response
from rest_framework.views import APIView

from safeguarding.api.views import ApiViewMixin, as_drf_error
from safeguarding.learning import access
from safeguarding.learning.models import Booking, Course, Session, WaitingListEntry
from safeguarding.learning.selectors import catalogue as catalogue_selectors
from safeguarding.learning.selectors import records as records_selectors
from safeguarding.learning.selectors import reports as report_selectors
from safeguarding.learning.services import booking as booking_services
from safeguarding.learning.services import records as records_services
from safeguarding.people.models import Role
from safeguarding.people.permissions import is_business_unit, roles_of
from safeguarding.people.selectors import partnership_for

UNAUTHENTICATED = OpenApiResponse(description="No valid token or verified session.")
NOT_FOUND = OpenApiResponse(description="No such record, or not one you may see.")
INVALID = OpenApiResponse(description="Invalid input; errors by field name.")
REFUSED = OpenApiResponse(description="You may see this record but not do this.")
KEEPERS_ONLY = OpenApiResponse(description="Only the session's trainers and the business unit.")
STATISTICS_READERS = OpenApiResponse(description="Only the business unit and board members.")


# Serializers ---------------------------------------------------------------------------------


class LevelRefSerializer(serializers.Serializer):
    id = serializers.IntegerField(read_only=True)
    code = serializers.CharField(read_only=True)
    name = serializers.CharField(read_only=True)


class CourseSerializer(serializers.ModelSerializer):
    level = LevelRefSerializer(read_only=True, allow_null=True)
    learning_outcomes = serializers.ListField(
        source="outcomes", child=serializers.CharField(), read_only=True
    )
    prerequisites = serializers.PrimaryKeyRelatedField(many=True, read_only=True)
    trainer_days = serializers.DecimalField(
        max_digits=3, decimal_places=1, coerce_to_string=False, read_only=True
    )

    class Meta:
        model = Course
        fields = [
            "id",
            "kind",
            "title",
            "slug",
            "status",
            "summary",
            "learning_outcomes",
            "audience",
            "level",
            "prerequisites",
            "duration",
            "trainer_days",
            "requires_manager_approval",
            "requires_evaluation_for_certificate",
            "charges_apply",
        ]
        read_only_fields = fields


class CourseRefSerializer(serializers.Serializer):
    id = serializers.IntegerField(read_only=True)
    title = serializers.CharField(read_only=True)
    kind = serializers.CharField(read_only=True)


class VenueSerializer(serializers.Serializer):
    id = serializers.IntegerField(read_only=True)
    name = serializers.CharField(read_only=True)
    address = serializers.CharField(read_only=True)
    postcode = serializers.CharField(read_only=True)
    access_information = serializers.CharField(read_only=True)


class SessionSerializer(serializers.ModelSerializer):
    """A session with its places left (bookings held plus places offered from the waiting list
    are taken) and whether it can be booked now."""

    course = CourseRefSerializer(read_only=True)
    venue = VenueSerializer(read_only=True, allow_null=True)
    is_online = serializers.SerializerMethodField(help_text="Has an online joining link.")
    places_left = serializers.SerializerMethodField()
    booking_open = serializers.SerializerMethodField()
    booking_closes_at = serializers.SerializerMethodField()

    class Meta:
        model = Session
        fields = [
            "id",
            "course",
            "starts_at",
            "ends_at",
            "venue",
            "is_online",
            "capacity",
            "places_left",
            "status",
            "cancelled_reason",
            "booking_opens_at",
            "booking_open",
            "booking_closes_at",
        ]
        read_only_fields = fields

    def get_is_online(self, session: Session) -> bool:
        return bool(session.online_url)

    def get_places_left(self, session: Session) -> int:
        if hasattr(session, "places_held"):
            return catalogue_selectors.annotated_places_left(session)
        return booking_services.places_left(session)

    def get_booking_open(self, session: Session) -> bool:
        return booking_services.booking_is_open(session)

    def get_booking_closes_at(self, session: Session) -> datetime.datetime:
        return booking_services.booking_closes_at(session)


class SessionRefSerializer(serializers.Serializer):
    id = serializers.IntegerField(read_only=True)
    course = CourseRefSerializer(read_only=True)
    starts_at = serializers.DateTimeField(read_only=True)
    ends_at = serializers.DateTimeField(read_only=True)
    venue = serializers.CharField(
        source="venue.name", read_only=True, allow_null=True, default=None
    )
    status = serializers.CharField(read_only=True)


class PersonRefSerializer(serializers.Serializer):
    id = serializers.IntegerField(read_only=True)
    name = serializers.CharField(source="__str__", read_only=True)
    email = serializers.EmailField(read_only=True)


class AgencyRefSerializer(serializers.Serializer):
    id = serializers.IntegerField(read_only=True)
    name = serializers.CharField(read_only=True)


class BookingSerializer(serializers.ModelSerializer):
    session = SessionRefSerializer(read_only=True)
    person = PersonRefSerializer(read_only=True)
    agency = AgencyRefSerializer(read_only=True)
    status_display = serializers.CharField(source="get_status_display", read_only=True)
    online_url = serializers.SerializerMethodField(
        help_text="The joining link, for confirmed places on online sessions."
    )
    joining_instructions = serializers.SerializerMethodField(help_text="For confirmed places only.")

    class Meta:
        model = Booking
        fields = [
            "id",
            "session",
            "person",
            "agency",
            "status",
            "status_display",
            "attendance",
            "is_walk_in",
            "created_at",
            "cancelled_at",
            "online_url",
            "joining_instructions",
        ]
        read_only_fields = fields

    def _confirmed(self, booking: Booking) -> bool:
        return booking.status == Booking.Status.CONFIRMED

    def get_online_url(self, booking: Booking) -> str:
        return booking.session.online_url if self._confirmed(booking) else ""

    def get_joining_instructions(self, booking: Booking) -> str:
        return booking.session.joining_instructions if self._confirmed(booking) else ""


class SessionChoiceSerializer(serializers.Serializer):
    """Input: the session to book, or to wait for."""

    session = serializers.IntegerField(min_value=1, help_text="The session's id.")

    def validate_session(self, value: int) -> Session:
        user = self.context["request"].user
        session = access.sessions_visible_to(user).select_related("course").filter(pk=value)
        found = session.first()
        if found is None:
            raise serializers.ValidationError("There is no such session.")
        return found


class WaitingListEntrySerializer(serializers.ModelSerializer):
    session = SessionRefSerializer(read_only=True)
    person = PersonRefSerializer(read_only=True)

    class Meta:
        model = WaitingListEntry
        fields = [
            "id",
            "session",
            "person",
            "status",
            "joined_at",
            "offered_at",
            "offer_expires_at",
        ]
        read_only_fields = fields


class RegisterPlaceSerializer(serializers.Serializer):
    booking = serializers.IntegerField(source="pk", read_only=True)
    person = PersonRefSerializer(read_only=True)
    agency = AgencyRefSerializer(read_only=True)
    status = serializers.CharField(read_only=True)
    attendance = serializers.ChoiceField(choices=Booking.Attendance.choices, read_only=True)
    is_walk_in = serializers.BooleanField(read_only=True)


class RegisterSerializer(serializers.Serializer):
    session = SessionRefSerializer(read_only=True)
    is_open = serializers.BooleanField(
        read_only=True, help_text="Marks can be taken from the day of the session."
    )
    booked = serializers.IntegerField(read_only=True)
    attended = serializers.IntegerField(read_only=True)
    no_show = serializers.IntegerField(read_only=True)
    unmarked = serializers.IntegerField(read_only=True)
    walk_ins = serializers.IntegerField(read_only=True)
    places = RegisterPlaceSerializer(many=True, read_only=True)
    late_cancelled = RegisterPlaceSerializer(many=True, read_only=True)


class MarkSerializer(serializers.Serializer):
    booking = serializers.IntegerField(min_value=1, help_text="A place on this register.")
    attendance = serializers.ChoiceField(
        choices=[
            (Booking.Attendance.ATTENDED, "Attended"),
            (Booking.Attendance.NO_SHOW, "Did not attend"),
            (Booking.Attendance.UNMARKED, "Not marked"),
        ]
    )


class RegisterMarksSerializer(serializers.Serializer):
    marks = MarkSerializer(many=True, allow_empty=False, max_length=1000)

    def validate_marks(self, marks: list[dict]) -> list[dict]:
        ids = [mark["booking"] for mark in marks]
        if len(set(ids)) != len(ids):
            raise serializers.ValidationError("Mark each place once.")
        return marks


class SessionFilterSerializer(serializers.Serializer):
    course = serializers.IntegerField(
        required=False, min_value=1, help_text="Only sessions of this course (id)."
    )

    def get_fields(self):
        fields = super().get_fields()
        fields["from"] = serializers.DateField(
            required=False, help_text="Sessions starting on or after this date (default today)."
        )
        fields["to"] = serializers.DateField(
            required=False, help_text="Sessions starting on or before this date."
        )
        return fields

    def validate(self, data):
        if data.get("from") and data.get("to") and data["to"] < data["from"]:
            raise serializers.ValidationError({"to": ["The end date must not be before `from`."]})
        return data


class PeriodSerializer(serializers.Serializer):
    """A period of dates, inclusive; the current financial year (April to March) by default."""

    def get_fields(self):
        return {
            "from": serializers.DateField(
                required=False,
                help_text="First day, YYYY-MM-DD (default: 1 April of the current financial year).",
            ),
            "to": serializers.DateField(
                required=False,
                help_text="Last day, YYYY-MM-DD (default: 31 March ending the financial year "
                "that `from` falls in).",
            ),
        }

    def validate(self, data):
        start, end = data.get("from"), data.get("to")
        if start is None and end is None:
            start, end = report_selectors.default_period()
        elif start is None:
            start = report_selectors.default_period(end)[0]
        elif end is None:
            end = report_selectors.default_period(start)[1]
        if end < start:
            raise serializers.ValidationError(
                {"to": ["The end date must be the same as or after the start date."]}
            )
        return {"from": start, "to": end}


class BookingFiguresSerializer(serializers.Serializer):
    bookings = serializers.IntegerField()
    confirmed = serializers.IntegerField()
    attendances = serializers.IntegerField()
    distinct_attendees = serializers.IntegerField()
    attendance_rate = serializers.FloatField(allow_null=True, help_text="Percent.")
    no_shows = serializers.IntegerField()
    unmarked = serializers.IntegerField()
    late_cancellations = serializers.IntegerField()
    cancellations = serializers.IntegerField()
    walk_ins = serializers.IntegerField()


class SectorFiguresSerializer(BookingFiguresSerializer):
    sector = serializers.CharField()
    sector_display = serializers.CharField()


class AgencyFiguresSerializer(BookingFiguresSerializer):
    agency_id = serializers.IntegerField()
    agency_name = serializers.CharField()
    sector = serializers.CharField()
    sector_display = serializers.CharField()
    trainer_days = serializers.DecimalField(max_digits=9, decimal_places=1, coerce_to_string=False)


class CourseFiguresSerializer(BookingFiguresSerializer):
    course_id = serializers.IntegerField()
    title = serializers.CharField()
    sessions = serializers.IntegerField()
    places = serializers.IntegerField()
    take_up = serializers.FloatField(allow_null=True, help_text="Bookings as percent of places.")


class TrainerDaysSerializer(serializers.Serializer):
    agency_id = serializers.IntegerField()
    agency_name = serializers.CharField()
    trainer_days = serializers.DecimalField(max_digits=9, decimal_places=1, coerce_to_string=False)


class RatingSerializer(serializers.Serializer):
    code = serializers.CharField()
    text = serializers.CharField()
    answered = serializers.IntegerField()
    average = serializers.FloatField(allow_null=True, help_text="Out of 5.")
    counts = serializers.ListField(
        child=serializers.IntegerField(), help_text="How many rated 1, 2, 3, 4 and 5."
    )


class EvaluationStageSerializer(serializers.Serializer):
    eligible = serializers.IntegerField()
    responses = serializers.IntegerField()
    response_rate_percent = serializers.FloatField(allow_null=True)
    ratings = RatingSerializer(many=True)


class EvaluationFiguresSerializer(serializers.Serializer):
    attended = serializers.IntegerField()
    sessions = serializers.IntegerField()
    immediate = EvaluationStageSerializer()
    follow_up = EvaluationStageSerializer()


class PracticeGroupRowSerializer(serializers.Serializer):
    group_id = serializers.IntegerField()
    name = serializers.CharField()
    meetings = serializers.IntegerField()
    attendances = serializers.IntegerField()
    distinct_attendees = serializers.IntegerField()


class PracticeGroupFiguresSerializer(serializers.Serializer):
    meetings = serializers.IntegerField()
    attendances = serializers.IntegerField()
    distinct_attendees = serializers.IntegerField()
    groups = PracticeGroupRowSerializer(many=True)


class ConferenceRowSerializer(serializers.Serializer):
    conference_id = serializers.IntegerField()
    title = serializers.CharField()
    places = serializers.IntegerField()
    registrations = serializers.IntegerField()
    attendances = serializers.IntegerField()


class ConferenceFiguresSerializer(serializers.Serializer):
    conferences = serializers.IntegerField()
    places = serializers.IntegerField()
    registrations = serializers.IntegerField()
    attendances = serializers.IntegerField()
    by_conference = ConferenceRowSerializer(many=True)


class StatisticsSerializer(serializers.Serializer):
    """The training programme's figures for a period. Training figures count course sessions
    that were not cancelled and started in the period (by now); the conference is separate."""

    courses_run = serializers.IntegerField(help_text="Distinct courses with a session run.")
    sessions_run = serializers.IntegerField()
    places = serializers.IntegerField(help_text="Capacity of the sessions run.")
    bookings = serializers.IntegerField(
        help_text="Places confirmed or cancelled late; walk-ins not included."
    )
    confirmed = serializers.IntegerField(help_text="Confirmed places, walk-ins included.")
    attendances = serializers.IntegerField(help_text="Places marked attended (walk-ins too).")
    distinct_attendees = serializers.IntegerField()
    attendance_rate = serializers.FloatField(
        allow_null=True, help_text="Attendances as percent of confirmed places."
    )
    no_shows = serializers.IntegerField()
    unmarked = serializers.IntegerField()
    late_cancellations = serializers.IntegerField()
    cancellations = serializers.IntegerField(help_text="Cancelled before bookings closed.")
    walk_ins = serializers.IntegerField()
    take_up = serializers.FloatField(allow_null=True, help_text="Bookings as percent of places.")
    sessions_cancelled = serializers.IntegerField()
    trainer_days = serializers.DecimalField(max_digits=9, decimal_places=1, coerce_to_string=False)
    practice_group_meetings = serializers.IntegerField()
    practice_group_attendances = serializers.IntegerField()
    conference_registrations = serializers.IntegerField()
    conference_attendances = serializers.IntegerField()
    by_sector = SectorFiguresSerializer(many=True)
    by_agency = AgencyFiguresSerializer(many=True)
    by_course = CourseFiguresSerializer(many=True)
    trainer_days_by_agency = TrainerDaysSerializer(many=True)
    evaluation = EvaluationFiguresSerializer()
    practice_groups = PracticeGroupFiguresSerializer()
    conference = ConferenceFiguresSerializer()

    def get_fields(self):
        fields = super().get_fields()
        fields["from"] = serializers.DateField(source="start")
        fields["to"] = serializers.DateField(source="end")
        return {"from": fields.pop("from"), "to": fields.pop("to"), **fields}


# Views ---------------------------------------------------------------------------------------


def _query(serializer_class, request) -> dict:
    filters = serializer_class(data=request.query_params)
    filters.is_valid(raise_exception=True)
    return filters.validated_data


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
        filters = _query(SessionFilterSerializer, request)
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
            booking_services.waiting_list_join,
            session=values.validated_data["session"],
            person=request.user,
            actor=request.user,
        )
        entry = _related_entries(WaitingListEntry.objects.filter(pk=entry.pk)).get()
        return Response(WaitingListEntrySerializer(entry).data, status=status.HTTP_201_CREATED)

    @action(detail=True, methods=["post"], url_path="leave", url_name="leave")
    def leave(self, request, pk=None):
        entry = access.get_waiting_entry_for_user(request.user, pk)
        _service_call(booking_services.waiting_list_leave, entry=entry, actor=request.user)
        entry = _related_entries(WaitingListEntry.objects.filter(pk=entry.pk)).get()
        return Response(WaitingListEntrySerializer(entry).data)

    @action(detail=True, methods=["post"], url_path="claim", url_name="claim")
    def claim(self, request, pk=None):
        entry = access.get_waiting_entry_for_user(request.user, pk)
        booking = _service_call(
            booking_services.waiting_list_claim, entry=entry, actor=request.user
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
        period = _query(PeriodSerializer, request)
        figures = report_selectors.training_statistics(
            partnership=partnership_for(request.user), start=period["from"], end=period["to"]
        )
        return Response(StatisticsSerializer(figures).data)
