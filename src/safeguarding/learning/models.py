"""The multi-agency training programme: the training pool, the course catalogue, sessions,
bookings and waiting lists, registers, evaluations, certificates, local practice groups and the
annual conference."""

from __future__ import annotations

import secrets
from decimal import Decimal

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q

from safeguarding.people.models import Agency, Locality, Partnership


class Level(models.Model):
    """A step on the partnership's configurable scale, e.g. groups 1-8 by contact with children."""

    partnership = models.ForeignKey(Partnership, on_delete=models.CASCADE, related_name="levels")
    code = models.CharField(max_length=20)
    name = models.CharField(max_length=200)
    description = models.TextField(blank=True)
    order = models.PositiveSmallIntegerField(default=0)

    class Meta:
        ordering = ["order", "code"]
        constraints = [
            models.UniqueConstraint(fields=["partnership", "code"], name="level_unique_code")
        ]

    def __str__(self) -> str:
        return f"{self.code}: {self.name}"


class FeeSchedule(models.Model):
    """What a place costs, per partnership. Free for funding partners and local voluntary groups."""

    partnership = models.OneToOneField(
        Partnership, on_delete=models.CASCADE, related_name="fee_schedule"
    )
    school_day_rate = models.DecimalField(max_digits=7, decimal_places=2, default=Decimal("50"))
    school_half_day_rate = models.DecimalField(
        max_digits=7, decimal_places=2, default=Decimal("30")
    )
    other_day_rate = models.DecimalField(max_digits=7, decimal_places=2, default=Decimal("120"))
    other_half_day_rate = models.DecimalField(max_digits=7, decimal_places=2, default=Decimal("70"))
    late_cancellation_charge = models.DecimalField(
        max_digits=7,
        decimal_places=2,
        default=Decimal("50"),
        help_text="Charged when a place is cancelled after the booking cut-off.",
    )
    no_show_charge = models.DecimalField(max_digits=7, decimal_places=2, default=Decimal("75"))
    free_places_per_trainer_day = models.PositiveSmallIntegerField(
        default=10, help_text="Free places an agency earns for each trainer-day it gives."
    )

    def __str__(self) -> str:
        return f"Fees for {self.partnership}"


class Course(models.Model):
    class Status(models.TextChoices):
        DRAFT = "draft", "Draft"
        PUBLISHED = "published", "Published"
        ARCHIVED = "archived", "Archived"

    class Duration(models.TextChoices):
        HALF_DAY = "half_day", "Half day"
        FULL_DAY = "full_day", "Full day"

    class Kind(models.TextChoices):
        COURSE = "course", "Course"
        CONFERENCE = "conference", "Conference"

    partnership = models.ForeignKey(Partnership, on_delete=models.PROTECT, related_name="courses")
    kind = models.CharField(max_length=20, choices=Kind.choices, default=Kind.COURSE)
    title = models.CharField(max_length=200)
    slug = models.SlugField(max_length=200)
    summary = models.TextField()
    learning_outcomes = models.TextField(help_text="One outcome a line.")
    audience = models.TextField("intended audience", blank=True)
    level = models.ForeignKey(
        Level, null=True, blank=True, on_delete=models.PROTECT, related_name="courses"
    )
    prerequisites = models.ManyToManyField(
        "self", symmetrical=False, blank=True, related_name="required_for"
    )
    duration = models.CharField(max_length=10, choices=Duration.choices, default=Duration.FULL_DAY)
    requires_manager_approval = models.BooleanField(default=False)
    requires_evaluation_for_certificate = models.BooleanField(default=False)
    charges_apply = models.BooleanField(
        default=True, help_text="Off for courses that are free to everyone."
    )
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.DRAFT)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["title"]
        constraints = [
            models.UniqueConstraint(fields=["partnership", "slug"], name="course_unique_slug")
        ]

    def __str__(self) -> str:
        return self.title

    @property
    def trainer_days(self) -> Decimal:
        return Decimal("0.5") if self.duration == self.Duration.HALF_DAY else Decimal("1")

    @property
    def outcomes(self) -> list[str]:
        return [line.strip() for line in self.learning_outcomes.splitlines() if line.strip()]


class Accreditation(models.Model):
    """A member of the training pool, accredited to deliver one course."""

    trainer = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="accreditations"
    )
    course = models.ForeignKey(Course, on_delete=models.CASCADE, related_name="accreditations")
    accredited_on = models.DateField()
    expires_on = models.DateField()

    class Meta:
        ordering = ["course__title", "trainer__family_name"]
        constraints = [
            models.UniqueConstraint(fields=["trainer", "course"], name="accreditation_unique"),
            models.CheckConstraint(
                condition=Q(expires_on__gt=models.F("accredited_on")),
                name="accreditation_expires_after_start",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.trainer} for {self.course}"

    def is_valid_on(self, day) -> bool:
        return self.accredited_on <= day <= self.expires_on


class Venue(models.Model):
    partnership = models.ForeignKey(Partnership, on_delete=models.PROTECT, related_name="venues")
    name = models.CharField(max_length=200)
    address = models.TextField()
    postcode = models.CharField(max_length=10, blank=True)
    access_information = models.TextField(
        blank=True, help_text="Step-free access, parking, hearing loop, public transport."
    )
    locality = models.ForeignKey(Locality, null=True, blank=True, on_delete=models.SET_NULL)

    class Meta:
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


class Session(models.Model):
    """One date on which a course runs (or the conference day): the unit people book."""

    class Status(models.TextChoices):
        SCHEDULED = "scheduled", "Scheduled"
        CANCELLED = "cancelled", "Cancelled"

    course = models.ForeignKey(Course, on_delete=models.PROTECT, related_name="sessions")
    starts_at = models.DateTimeField()
    ends_at = models.DateTimeField()
    venue = models.ForeignKey(
        Venue, null=True, blank=True, on_delete=models.PROTECT, related_name="sessions"
    )
    online_url = models.URLField("online joining link", blank=True)
    joining_instructions = models.TextField(blank=True)
    capacity = models.PositiveIntegerField()
    trainers = models.ManyToManyField(
        settings.AUTH_USER_MODEL, through="SessionTrainer", related_name="training_sessions"
    )
    booking_opens_at = models.DateTimeField(null=True, blank=True)
    cutoff_working_days = models.PositiveSmallIntegerField(
        default=2, help_text="Bookings close this many working days before the session."
    )
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.SCHEDULED)
    cancelled_reason = models.CharField(max_length=500, blank=True)
    reminder_sent_at = models.DateTimeField(null=True, blank=True)
    # Raised each time the time or place changes, so calendars replace the old entry (RFC 5545).
    sequence = models.PositiveIntegerField(default=0, editable=False)
    evaluation_sent_at = models.DateTimeField(null=True, blank=True)
    follow_up_sent_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["starts_at"]
        constraints = [
            models.CheckConstraint(
                condition=Q(ends_at__gt=models.F("starts_at")), name="session_ends_after_start"
            ),
            models.CheckConstraint(condition=Q(capacity__gte=1), name="session_capacity_positive"),
        ]

    def __str__(self) -> str:
        return f"{self.course} on {self.starts_at:%d %b %Y}"

    def clean(self):
        if not self.venue_id and not self.online_url:
            raise ValidationError("Give a venue or an online joining link.")


class SessionTrainer(models.Model):
    session = models.ForeignKey(Session, on_delete=models.CASCADE)
    trainer = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="session_assignments"
    )
    agency = models.ForeignKey(
        Agency,
        on_delete=models.PROTECT,
        related_name="trainer_assignments",
        help_text="The agency the trainer-day is credited to.",
    )

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["session", "trainer"], name="session_trainer_unique")
        ]

    def __str__(self) -> str:
        return f"{self.trainer} training {self.session}"


class Booking(models.Model):
    """One person's place on one session."""

    class Status(models.TextChoices):
        AWAITING_APPROVAL = "awaiting_approval", "Waiting for line manager approval"
        CONFIRMED = "confirmed", "Confirmed"
        DECLINED = "declined", "Declined by line manager"
        CANCELLED = "cancelled", "Cancelled"
        LATE_CANCELLED = "late_cancelled", "Cancelled late"
        SESSION_CANCELLED = "session_cancelled", "Session cancelled"

    class Attendance(models.TextChoices):
        UNMARKED = "", "Not marked"
        ATTENDED = "attended", "Attended"
        NO_SHOW = "no_show", "Did not attend"

    # Statuses that hold a place on the session.
    HOLDING = (Status.AWAITING_APPROVAL, Status.CONFIRMED)

    session = models.ForeignKey(Session, on_delete=models.PROTECT, related_name="bookings")
    person = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="bookings"
    )
    agency = models.ForeignKey(
        Agency,
        on_delete=models.PROTECT,
        related_name="bookings",
        help_text="The person's agency when they booked: who pays.",
    )
    booked_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    status = models.CharField(max_length=20, choices=Status.choices)
    attendance = models.CharField(
        max_length=10, choices=Attendance.choices, blank=True, default=Attendance.UNMARKED
    )
    is_walk_in = models.BooleanField(default=False)
    created_at = models.DateTimeField(auto_now_add=True)
    cancelled_at = models.DateTimeField(null=True, blank=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        ordering = ["session__starts_at", "person__family_name"]
        constraints = [
            # One live place per person per session; cancelled bookings may be re-made.
            models.UniqueConstraint(
                fields=["session", "person"],
                condition=Q(status__in=["awaiting_approval", "confirmed"]),
                name="booking_one_live_place_per_person",
            )
        ]

    def __str__(self) -> str:
        return f"{self.person} on {self.session}"


class WaitingListEntry(models.Model):
    class Status(models.TextChoices):
        WAITING = "waiting", "Waiting"
        OFFERED = "offered", "Offered a place"
        CLAIMED = "claimed", "Took the place"
        EXPIRED = "expired", "Offer expired"
        LEFT = "left", "Left the list"

    session = models.ForeignKey(Session, on_delete=models.CASCADE, related_name="waiting_list")
    person = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="waiting_list_entries"
    )
    joined_at = models.DateTimeField(auto_now_add=True)
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.WAITING)
    offered_at = models.DateTimeField(null=True, blank=True)
    offer_expires_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["joined_at", "id"]
        verbose_name_plural = "waiting list entries"
        constraints = [
            models.UniqueConstraint(
                fields=["session", "person"],
                condition=Q(status__in=["waiting", "offered"]),
                name="waiting_list_once_per_person",
            )
        ]

    def __str__(self) -> str:
        return f"{self.person} waiting for {self.session}"


def _verification_code() -> str:
    alphabet = "ABCDEFGHJKLMNPQRSTUVWXYZ23456789"
    return "".join(secrets.choice(alphabet) for _ in range(12))


class Certificate(models.Model):
    booking = models.OneToOneField(Booking, on_delete=models.PROTECT, related_name="certificate")
    code = models.CharField(max_length=12, unique=True, default=_verification_code)
    issued_at = models.DateTimeField(auto_now_add=True)

    def __str__(self) -> str:
        return self.code


class Questionnaire(models.Model):
    """A configurable evaluation form: rating scales and free text.

    `questions` is a list of {"code", "text", "kind": "rating"|"text", "required": bool}; ratings
    run from 1 (lowest) to 5 (highest).
    """

    class Stage(models.TextChoices):
        IMMEDIATE = "immediate", "Straight after the session"
        FOLLOW_UP = "follow_up", "Follow-up on impact on practice (6 to 8 weeks later)"

    partnership = models.ForeignKey(
        Partnership, on_delete=models.CASCADE, related_name="questionnaires"
    )
    name = models.CharField(max_length=200)
    stage = models.CharField(max_length=10, choices=Stage.choices)
    questions = models.JSONField(default=list)
    is_default = models.BooleanField(default=False, help_text="Used for courses with no own form.")

    class Meta:
        ordering = ["stage", "name"]

    def __str__(self) -> str:
        return self.name


class EvaluationResponse(models.Model):
    booking = models.ForeignKey(Booking, on_delete=models.CASCADE, related_name="evaluations")
    questionnaire = models.ForeignKey(
        Questionnaire, on_delete=models.PROTECT, related_name="responses"
    )
    stage = models.CharField(max_length=10, choices=Questionnaire.Stage.choices)
    answers = models.JSONField(default=dict)
    submitted_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-submitted_at"]
        constraints = [
            models.UniqueConstraint(fields=["booking", "stage"], name="evaluation_once_per_stage")
        ]

    def __str__(self) -> str:
        return f"{self.get_stage_display()} evaluation of {self.booking}"


class PracticeGroup(models.Model):
    """A locality's local practice group: short multi-agency meetings on current topics."""

    locality = models.OneToOneField(
        Locality, on_delete=models.PROTECT, related_name="practice_group"
    )
    name = models.CharField(max_length=200)

    class Meta:
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


class PracticeGroupMeeting(models.Model):
    group = models.ForeignKey(PracticeGroup, on_delete=models.PROTECT, related_name="meetings")
    starts_at = models.DateTimeField()
    venue = models.CharField(max_length=300)
    topics = models.TextField(help_text="One topic a line.")

    class Meta:
        ordering = ["-starts_at"]

    def __str__(self) -> str:
        return f"{self.group} on {self.starts_at:%d %b %Y}"


class PracticeGroupAttendance(models.Model):
    meeting = models.ForeignKey(
        PracticeGroupMeeting, on_delete=models.CASCADE, related_name="attendances"
    )
    person = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="practice_group_attendances",
    )
    agency = models.ForeignKey(Agency, on_delete=models.PROTECT, related_name="+")

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["meeting", "person"], name="lpg_attendance_unique")
        ]

    def __str__(self) -> str:
        return f"{self.person} at {self.meeting}"


class Conference(models.Model):
    """The annual conference. Registration is a session of a conference-kind course, so it uses
    the same booking, waiting-list, register and evaluation machinery as every course."""

    partnership = models.ForeignKey(
        Partnership, on_delete=models.PROTECT, related_name="conferences"
    )
    title = models.CharField(max_length=200)
    theme = models.CharField(max_length=200)
    session = models.OneToOneField(Session, on_delete=models.PROTECT, related_name="conference")

    class Meta:
        ordering = ["-session__starts_at"]

    def __str__(self) -> str:
        return self.title


class ProgrammeItem(models.Model):
    class Kind(models.TextChoices):
        TALK = "talk", "Talk"
        WORKSHOP = "workshop", "Workshop"
        BREAK = "break", "Break"

    conference = models.ForeignKey(Conference, on_delete=models.CASCADE, related_name="programme")
    kind = models.CharField(max_length=10, choices=Kind.choices)
    title = models.CharField(max_length=200)
    speakers = models.CharField(max_length=300, blank=True)
    room = models.CharField(max_length=100, blank=True)
    starts_at = models.DateTimeField()
    ends_at = models.DateTimeField()

    class Meta:
        ordering = ["starts_at", "title"]

    def __str__(self) -> str:
        return self.title
