"""Calibration exercises: vignettes with an expert level, practitioners' ratings, agreement.

The business unit writes vignettes (fictional families) and answers the instrument for each as
the expert; practitioners at a practice group or a course score the vignettes in the tool. How
closely their levels agree with the expert's, and with each other's, is the board's measure of
whether every agency "speaks the same language".
"""

from __future__ import annotations

from django.conf import settings
from django.db import models

from safeguarding.people.models import Agency, Partnership, Sector, no_control_characters

__all__ = ["CalibrationExercise", "Rating", "Vignette"]


class Vignette(models.Model):
    """A fictional family's story, with the expert's answers and level on one instrument."""

    partnership = models.ForeignKey(
        Partnership, on_delete=models.PROTECT, related_name="calibration_vignettes"
    )
    instrument_code = models.CharField(max_length=60)
    instrument_version = models.PositiveIntegerField()
    title = models.CharField(max_length=200, validators=[no_control_characters])
    story = models.TextField(help_text="The fictional family's circumstances, as a referrer would.")
    expert_answers = models.JSONField(default=dict, blank=True)
    expert_level = models.PositiveSmallIntegerField(null=True, blank=True)
    expert_rationale = models.TextField(blank=True)
    author = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    published_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["title", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["partnership", "title"], name="calibration_vignette_unique_title"
            ),
            # A vignette is published only once the expert has given a level.
            models.CheckConstraint(
                condition=models.Q(published_at__isnull=True)
                | models.Q(expert_level__isnull=False),
                name="calibration_vignette_published_has_level",
            ),
        ]

    def __str__(self) -> str:
        return self.title

    @property
    def is_published(self) -> bool:
        return self.published_at is not None


class CalibrationExercise(models.Model):
    """Practitioners rating a set of vignettes on one occasion: a course or a practice group."""

    class Status(models.TextChoices):
        DRAFT = "draft", "Being prepared"
        OPEN = "open", "Open for ratings"
        CLOSED = "closed", "Closed"

    partnership = models.ForeignKey(
        Partnership, on_delete=models.PROTECT, related_name="calibration_exercises"
    )
    title = models.CharField(max_length=200, validators=[no_control_characters])
    held_on = models.DateField()
    instrument_code = models.CharField(
        max_length=60, help_text="Every vignette in an exercise uses this instrument."
    )
    session = models.ForeignKey(
        "learning.Session",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="calibration_exercises",
    )
    meeting = models.ForeignKey(
        "learning.PracticeGroupMeeting",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="calibration_exercises",
    )
    vignettes = models.ManyToManyField(Vignette, related_name="exercises", blank=True)
    participants = models.ManyToManyField(
        settings.AUTH_USER_MODEL, related_name="calibration_exercises", blank=True
    )
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.DRAFT)
    opened_at = models.DateTimeField(null=True, blank=True)
    closed_at = models.DateTimeField(null=True, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-held_on", "-pk"]

    def __str__(self) -> str:
        return f"{self.title} ({self.held_on:%d %b %Y})"

    @property
    def is_open(self) -> bool:
        return self.status == self.Status.OPEN

    @property
    def is_closed(self) -> bool:
        return self.status == self.Status.CLOSED


class Rating(models.Model):
    """One practitioner's answers and level for one vignette in one exercise.

    The rater's agency and sector are copied at the time, so that results by agency and sector
    stay true when people move jobs.
    """

    exercise = models.ForeignKey(
        CalibrationExercise, on_delete=models.PROTECT, related_name="ratings"
    )
    vignette = models.ForeignKey(Vignette, on_delete=models.PROTECT, related_name="ratings")
    rater = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="calibration_ratings"
    )
    agency = models.ForeignKey(Agency, on_delete=models.PROTECT, related_name="+")
    sector = models.CharField(max_length=40, choices=Sector.choices)
    instrument_version = models.PositiveIntegerField()
    answers = models.JSONField(default=dict, blank=True)
    suggested_level = models.PositiveSmallIntegerField(
        null=True, blank=True, help_text="The level the tool suggested from the rater's answers."
    )
    chosen_level = models.PositiveSmallIntegerField()
    rationale = models.TextField(blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["exercise", "vignette", "created_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["exercise", "vignette", "rater"], name="calibration_rating_once"
            )
        ]

    def __str__(self) -> str:
        return f"Rating of {self.vignette} in {self.exercise}"

    @property
    def departs_from_suggestion(self) -> bool:
        return self.suggested_level != self.chosen_level
