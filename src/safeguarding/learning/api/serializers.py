"""Serializers of the training programme's API: what each endpoint reads and writes."""

from __future__ import annotations

import datetime

from rest_framework import serializers

from safeguarding.learning import access
from safeguarding.learning.models import Booking, Course, Session, WaitingListEntry
from safeguarding.learning.selectors import catalogue as catalogue_selectors
from safeguarding.learning.selectors import places as place_selectors
from safeguarding.learning.selectors import reports as report_selectors


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
        return place_selectors.places_left(session)

    def get_booking_open(self, session: Session) -> bool:
        return place_selectors.booking_is_open(session)

    def get_booking_closes_at(self, session: Session) -> datetime.datetime:
        return place_selectors.booking_closes_at(session)


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
