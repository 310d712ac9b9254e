"""Instrument versions loaded by a partnership, households, identifications, outcomes, shares
and reviews.

An identification belongs to its author's agency. It keeps the instrument code and version it was
made with, the answers, the suggested level (with reasons and actions, as the engine gave them)
and the level the practitioner confirmed. Who may see it: see risk/access.py.
"""

from __future__ import annotations

import datetime

from django.conf import settings
from django.db import models

from safeguarding.people.models import Agency, Partnership, no_control_characters

__all__ = [
    "Household",
    "HouseholdMember",
    "Identification",
    "IdentificationShare",
    "InstrumentVersion",
    "MatrixTraining",
    "Outcome",
    "Review",
]

DEFAULT_REVIEW_WEEKS = 8


class InstrumentVersion(models.Model):
    """A partnership's own version of an instrument (e.g. its licensed wording), validated by the
    engine when loaded and kept as the file's text."""

    partnership = models.ForeignKey(
        Partnership, on_delete=models.PROTECT, related_name="instrument_versions"
    )
    code = models.CharField(max_length=60)
    version = models.PositiveIntegerField()
    title = models.CharField(max_length=200)
    filename = models.CharField(max_length=200)
    source = models.TextField(help_text="The instrument file (YAML or JSON) as loaded.")
    loaded_at = models.DateTimeField(auto_now_add=True)
    loaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        ordering = ["code", "-version"]
        constraints = [
            models.UniqueConstraint(
                fields=["partnership", "code", "version"], name="risk_instrument_version_unique"
            )
        ]

    def __str__(self) -> str:
        return f"{self.title} (version {self.version})"

    def instrument(self):
        from safeguarding.risk.instruments import parse_instrument

        return parse_instrument(self.source, self.filename, partnership_id=self.partnership_id)


class Household(models.Model):
    """A family an agency works with: its address and the people in it."""

    agency = models.ForeignKey(Agency, on_delete=models.PROTECT, related_name="risk_households")
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="risk_households"
    )
    address = models.TextField()
    postcode = models.CharField(max_length=10, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-created_at"]

    def __str__(self) -> str:
        first_line = self.address.splitlines()[0] if self.address else ""
        return f"Household at {first_line}, {self.postcode}".strip(", ")


class HouseholdMember(models.Model):
    class Role(models.TextChoices):
        ADULT_VICTIM = "adult_victim", "Adult experiencing abuse"
        ADULT_ABUSER = "adult_abuser", "Adult causing harm"
        ADULT_OTHER = "adult_other", "Other adult"
        CHILD = "child", "Child"
        UNBORN = "unborn", "Unborn child"

    household = models.ForeignKey(Household, on_delete=models.CASCADE, related_name="members")
    role = models.CharField(max_length=20, choices=Role.choices)
    given_name = models.CharField(max_length=100, validators=[no_control_characters])
    family_name = models.CharField(max_length=100, validators=[no_control_characters])
    date_of_birth = models.DateField(
        null=True, blank=True, help_text="For an unborn child, the expected date of delivery."
    )

    class Meta:
        ordering = ["role", "date_of_birth", "given_name"]

    def __str__(self) -> str:
        return f"{self.given_name} {self.family_name}"

    @property
    def is_child(self) -> bool:
        return self.role in (self.Role.CHILD, self.Role.UNBORN)

    def age_on(self, day: datetime.date) -> int | None:
        if self.date_of_birth is None or self.date_of_birth > day:
            return None
        dob = self.date_of_birth
        return day.year - dob.year - ((day.month, day.day) < (dob.month, dob.day))


class Identification(models.Model):
    class Status(models.TextChoices):
        IN_PROGRESS = "in_progress", "In progress"
        AWAITING_COUNTERSIGNATURE = "awaiting_countersignature", "Awaiting countersignature"
        COMPLETED = "completed", "Completed"

    household = models.ForeignKey(
        Household, on_delete=models.PROTECT, related_name="identifications"
    )
    agency = models.ForeignKey(
        Agency, on_delete=models.PROTECT, related_name="risk_identifications"
    )
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="risk_identifications"
    )
    instrument_code = models.CharField(max_length=60)
    instrument_version = models.PositiveIntegerField()
    # The adult experiencing abuse (DASH) and the children it is about (matrix).
    subject = models.ForeignKey(
        HouseholdMember, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    children = models.ManyToManyField(HouseholdMember, blank=True, related_name="+")
    status = models.CharField(max_length=30, choices=Status.choices, default=Status.IN_PROGRESS)
    answers = models.JSONField(default=dict, blank=True)
    # {question code: {"source": ..., "comment": ...}}
    answer_notes = models.JSONField(default=dict, blank=True)
    assessed_on = models.DateField()
    suggested_level = models.SmallIntegerField(null=True, blank=True)
    suggested_label = models.CharField(max_length=120, blank=True)
    # The engine's reasons, actions and details at the time the level was confirmed.
    evaluation = models.JSONField(default=dict, blank=True)
    confirmed_level = models.SmallIntegerField(null=True, blank=True)
    confirmed_label = models.CharField(max_length=120, blank=True)
    rationale = models.TextField(blank=True)
    countersigned_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    countersigned_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)
    completed_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at"]
        indexes = [models.Index(fields=["agency", "status"], name="risk_ident_agency_status")]

    def __str__(self) -> str:
        return f"Identification {self.pk} ({self.instrument_code})"

    @property
    def reference(self) -> str:
        return f"RI-{self.pk:06d}"

    @property
    def is_completed(self) -> bool:
        return self.status == self.Status.COMPLETED

    @property
    def departs_from_suggestion(self) -> bool:
        return self.confirmed_level is not None and self.confirmed_level != self.suggested_level


class Outcome(models.Model):
    class Kind(models.TextChoices):
        CHILDRENS_SOCIAL_CARE = "childrens_social_care", "Referral to children's social care"
        FRONT_DOOR = "front_door", "Referral to the front door (multi-agency safeguarding hub)"
        MARAC = "marac", "Referral to MARAC"
        EARLY_HELP = "early_help", "Early help"
        NONE = "none", "No referral"

    identification = models.ForeignKey(
        Identification, on_delete=models.PROTECT, related_name="outcomes"
    )
    kind = models.CharField(max_length=30, choices=Kind.choices)
    date = models.DateField()
    reference = models.CharField(max_length=100, blank=True, validators=[no_control_characters])
    # A referral sends the identification to the receiving agency (recorded as a share).
    receiving_agency = models.ForeignKey(
        Agency, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    recorded_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["date", "id"]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} on {self.date:%-d %B %Y}"

    @property
    def is_referral(self) -> bool:
        return self.kind != self.Kind.NONE


class IdentificationShare(models.Model):
    """Another agency allowed to see an identification, by an explicit share or a referral."""

    class Reason(models.TextChoices):
        SHARE = "share", "Shared"
        REFERRAL = "referral", "Referral"

    identification = models.ForeignKey(
        Identification, on_delete=models.PROTECT, related_name="shares"
    )
    agency = models.ForeignKey(Agency, on_delete=models.PROTECT, related_name="+")
    reason = models.CharField(max_length=10, choices=Reason.choices)
    note = models.TextField(blank=True)
    shared_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    shared_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["shared_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["identification", "agency"], name="risk_share_unique_agency"
            )
        ]

    def __str__(self) -> str:
        return f"{self.identification} shared with {self.agency}"


class Review(models.Model):
    class Reason(models.TextChoices):
        SCHEDULED = "scheduled", "Scheduled review"
        NEW_INCIDENT = "new_incident", "New incident or change"

    identification = models.ForeignKey(
        Identification, on_delete=models.PROTECT, related_name="reviews"
    )
    due_on = models.DateField()
    reason = models.CharField(max_length=20, choices=Reason.choices, default=Reason.SCHEDULED)
    set_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    reminded_at = models.DateTimeField(null=True, blank=True)
    done_on = models.DateField(null=True, blank=True)
    done_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    note = models.TextField(blank=True)
    # A review replaced by a new date (e.g. brought forward after an incident) stays on record.
    replaced_on = models.DateField(null=True, blank=True)

    class Meta:
        ordering = ["due_on", "id"]

    def __str__(self) -> str:
        return f"Review of {self.identification} due {self.due_on:%-d %B %Y}"

    @property
    def on_time(self) -> bool | None:
        return None if self.done_on is None else self.done_on <= self.due_on


class MatrixTraining(models.Model):
    """A course or practice group meeting that trained practitioners on the risk tool: how the
    board's adoption figures know who was trained (set by the business unit in the admin)."""

    partnership = models.ForeignKey(Partnership, on_delete=models.CASCADE, related_name="+")
    course = models.ForeignKey(
        "learning.Course", null=True, blank=True, on_delete=models.CASCADE, related_name="+"
    )
    meeting = models.ForeignKey(
        "learning.PracticeGroupMeeting",
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="+",
    )

    class Meta:
        verbose_name = "training on the risk tool"
        verbose_name_plural = "training on the risk tool"
        constraints = [
            models.CheckConstraint(
                condition=models.Q(course__isnull=False) ^ models.Q(meeting__isnull=False),
                name="risk_training_course_xor_meeting",
            )
        ]

    def __str__(self) -> str:
        return str(self.course or self.meeting)
