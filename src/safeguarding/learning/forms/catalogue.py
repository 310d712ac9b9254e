"""Forms for the course catalogue, sessions and the public programme's filters."""

from __future__ import annotations

import datetime

from django import forms
from django.core.exceptions import ValidationError
from django.utils import timezone

from safeguarding.core.forms import GovukDateField, GovukForm, RequestChoicesForm
from safeguarding.learning.calendar import local_datetime
from safeguarding.learning.forms.fields import time_field
from safeguarding.learning.models import Course, Level, Session, Venue
from safeguarding.learning.selectors.catalogue import ONLINE, accredited_trainers
from safeguarding.people.models import Locality, Partnership

# The public programme ------------------------------------------------------------------------


class ProgrammeFilterForm(RequestChoicesForm):
    level = forms.ModelChoiceField(
        label="Level", queryset=Level.objects.none(), required=False, empty_label="All levels"
    )
    locality = forms.ChoiceField(label="Where", required=False)

    def prepare_fields(self):
        self.fields["level"].queryset = Level.objects.all()
        self.fields["locality"].choices = [
            ("", "All localities"),
            *((str(pk), name) for pk, name in Locality.objects.values_list("pk", "name")),
            (ONLINE, "Online"),
        ]

    @property
    def filters(self) -> dict:
        """The valid filters, ignoring any that are not (a stale link must still work)."""
        if not self.is_bound:
            return {"level_id": None, "locality": ""}
        self.is_valid()
        data = getattr(self, "cleaned_data", {})
        level = data.get("level")
        return {"level_id": level.pk if level else None, "locality": data.get("locality") or ""}


# Courses -------------------------------------------------------------------------------------


class PrerequisiteChoiceField(forms.ModelMultipleChoiceField):
    def label_from_instance(self, obj):
        status = "" if obj.status == Course.Status.PUBLISHED else f" ({obj.get_status_display()})"
        return f"{obj.title}{status}"


class CourseForm(RequestChoicesForm):
    title = forms.CharField(
        label="Title",
        max_length=200,
        error_messages={"required": "Enter the course title"},
    )
    summary = forms.CharField(
        label="Summary",
        help_text="Two or three sentences for the programme and the course page",
        widget=forms.Textarea(attrs={"rows": 4}),
        error_messages={"required": "Enter a summary of the course"},
    )
    learning_outcomes = forms.CharField(
        label="Learning outcomes",
        help_text="One outcome a line, for example: Recognise the signs of neglect",
        widget=forms.Textarea(attrs={"rows": 6}),
        error_messages={"required": "Enter at least one learning outcome"},
    )
    audience = forms.CharField(
        label="Intended audience (optional)",
        help_text="Who the course is for, for example: staff in regular contact with children",
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
    )
    level = forms.ModelChoiceField(
        label="Level (optional)",
        queryset=Level.objects.none(),
        required=False,
        empty_label="No level",
    )
    prerequisites = PrerequisiteChoiceField(
        label="Prerequisites (optional)",
        help_text="Courses people must have attended before they can book this one",
        queryset=Course.objects.none(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    duration = forms.ChoiceField(
        label="Duration",
        choices=Course.Duration.choices,
        initial=Course.Duration.FULL_DAY,
        widget=forms.RadioSelect,
        error_messages={"required": "Choose whether the course lasts a half day or a full day"},
    )
    kind = forms.ChoiceField(
        label="Kind",
        choices=Course.Kind.choices,
        initial=Course.Kind.COURSE,
        widget=forms.RadioSelect,
        error_messages={"required": "Choose whether this is a course or the conference"},
    )
    requires_manager_approval = forms.BooleanField(
        label="Bookings need the line manager's approval", required=False
    )
    requires_evaluation_for_certificate = forms.BooleanField(
        label="People must complete the evaluation to get their certificate", required=False
    )
    charges_apply = forms.BooleanField(
        label="Charges apply",
        help_text="Untick for courses that are free to everyone",
        required=False,
        initial=True,
    )
    status = forms.ChoiceField(
        label="Status",
        choices=Course.Status.choices,
        initial=Course.Status.DRAFT,
        widget=forms.RadioSelect,
        help_text="Only published courses appear in the public programme",
        error_messages={"required": "Choose the course's status"},
    )

    def __init__(self, *args, partnership: Partnership, course: Course | None = None, **kwargs):
        self.course = course
        if course is not None and not kwargs.get("initial"):
            kwargs["initial"] = {
                **{name: getattr(course, name) for name in self.base_fields if name != "level"},
                "level": course.level_id,
                "prerequisites": list(course.prerequisites.values_list("pk", flat=True)),
            }
        self.partnership = partnership
        super().__init__(*args, **kwargs)

    def prepare_fields(self):
        partnership, course = self.partnership, self.course
        self.fields["level"].queryset = Level.objects.filter(partnership=partnership)
        others = Course.objects.filter(partnership=partnership, kind=Course.Kind.COURSE)
        if course is not None:
            others = others.exclude(pk=course.pk)
        self.fields["prerequisites"].queryset = others.order_by("title")
        if not others.exists():
            self.fields["prerequisites"].help_text = "There are no other courses to choose yet"

    def clean_prerequisites(self):
        chosen = self.cleaned_data["prerequisites"]
        if self.course is not None and any(c.pk == self.course.pk for c in chosen):
            raise ValidationError("A course cannot be its own prerequisite")
        return chosen


# Sessions ------------------------------------------------------------------------------------


class TrainerChoiceField(forms.ModelMultipleChoiceField):
    def label_from_instance(self, obj):
        courses = ", ".join(a.course.title for a in obj.accreditations.all())
        return f"{obj.full_name or obj.email} – accredited for {courses}"


class SessionForm(RequestChoicesForm):
    course = forms.ModelChoiceField(
        label="Course",
        queryset=Course.objects.none(),
        empty_label="Choose a course",
        error_messages={"required": "Choose the course"},
    )
    date = GovukDateField(
        label="Date",
        noun="the session date",
        help_text="For example, 27 3 2014",
    )
    start_time = time_field("Start time", "start time")
    end_time = time_field("End time", "end time")
    venue = forms.ModelChoiceField(
        label="Venue",
        queryset=Venue.objects.none(),
        required=False,
        empty_label="No venue: the session is online",
    )
    online_url = forms.URLField(
        label="Online joining link (optional if there is a venue)",
        help_text="Sent only to people with a place; never shown on the public pages",
        required=False,
        assume_scheme="https",
        max_length=200,
        error_messages={"invalid": "Enter the joining link as a web address, like https://…"},
        widget=forms.URLInput(attrs={"spellcheck": "false"}),
    )
    joining_instructions = forms.CharField(
        label="Joining instructions (optional)",
        help_text="Sent with the booking confirmation and the reminder",
        required=False,
        widget=forms.Textarea(attrs={"rows": 4}),
    )
    capacity = forms.IntegerField(
        label="Places",
        min_value=1,
        max_value=1000,
        error_messages={
            "required": "Enter the number of places",
            "invalid": "Enter the number of places as a whole number, like 20",
            "min_value": "There must be at least 1 place",
            "max_value": "There can be at most 1000 places",
        },
        widget=forms.NumberInput(attrs={"class": "govuk-input--width-4", "inputmode": "numeric"}),
    )
    trainers = TrainerChoiceField(
        label="Trainers",
        help_text="Choose one or two trainers accredited for this course",
        queryset=Course.objects.none(),
        widget=forms.CheckboxSelectMultiple,
        error_messages={"required": "Choose one or two trainers"},
    )
    booking_opens = GovukDateField(
        label="Booking opens (optional)",
        noun="the date booking opens",
        help_text="Leave empty to open booking straight away. For example, 1 3 2014",
        required=False,
    )
    cutoff_working_days = forms.IntegerField(
        label="Booking closes (working days before the session)",
        help_text="Weekends and bank holidays in England and Wales are not working days",
        min_value=0,
        max_value=30,
        initial=2,
        error_messages={
            "required": "Enter how many working days before the session booking closes",
            "invalid": "Enter the number of working days as a whole number, like 2",
            "min_value": "The number of working days cannot be negative",
            "max_value": "Booking can close at most 30 working days before the session",
        },
        widget=forms.NumberInput(attrs={"class": "govuk-input--width-2", "inputmode": "numeric"}),
    )

    def __init__(self, *args, partnership: Partnership, **kwargs):
        self.partnership = partnership
        super().__init__(*args, **kwargs)

    def prepare_fields(self):
        partnership = self.partnership
        self.fields["course"].queryset = Course.objects.filter(partnership=partnership).exclude(
            status=Course.Status.ARCHIVED
        )
        self.fields["venue"].queryset = Venue.objects.filter(partnership=partnership)
        self.fields["trainers"].queryset = accredited_trainers(partnership)

    def clean_trainers(self):
        trainers = self.cleaned_data["trainers"]
        if len(trainers) > 2:
            raise ValidationError("Choose no more than two trainers")
        return trainers

    def clean(self):
        data = super().clean()
        day, start, end = data.get("date"), data.get("start_time"), data.get("end_time")
        if day is not None and day < timezone.localdate():
            self.add_error("date", "The session date must be today or in the future")
        if day is not None and start is not None and end is not None:
            data["starts_at"] = local_datetime(day, start)
            data["ends_at"] = local_datetime(day, end)
            if data["ends_at"] <= data["starts_at"]:
                self.add_error("end_time", "The end time must be after the start time")
        if not data.get("venue") and not data.get("online_url") and "online_url" not in self.errors:
            self.add_error("venue", "Choose a venue or enter an online joining link")
        opens = data.get("booking_opens")
        data["booking_opens_at"] = None
        if opens is not None:
            if day is not None and opens > day:
                self.add_error("booking_opens", "Booking must open on or before the session date")
            data["booking_opens_at"] = timezone.make_aware(
                datetime.datetime.combine(opens, datetime.time.min)
            )
        return data

    def service_arguments(self) -> dict:
        data = self.cleaned_data
        return {
            "course": data.get("course"),
            "starts_at": data["starts_at"],
            "ends_at": data["ends_at"],
            "capacity": data["capacity"],
            "trainers": list(data["trainers"]),
            "venue": data["venue"],
            "online_url": data["online_url"],
            "joining_instructions": data["joining_instructions"].strip(),
            "booking_opens_at": data["booking_opens_at"],
            "cutoff_working_days": data["cutoff_working_days"],
        }


class SessionEditForm(SessionForm):
    """The same questions for a session that exists; its course cannot change (people booked it)."""

    def __init__(self, *args, session: Session, **kwargs):
        self.session = session
        local_start = timezone.localtime(session.starts_at)
        opens = session.booking_opens_at
        kwargs.setdefault(
            "initial",
            {
                "date": local_start.date(),
                "start_time": local_start.strftime("%H:%M"),
                "end_time": timezone.localtime(session.ends_at).strftime("%H:%M"),
                "venue": session.venue_id,
                "online_url": session.online_url,
                "joining_instructions": session.joining_instructions,
                "capacity": session.capacity,
                "trainers": [t.pk for t in session.trainers.all()],
                "booking_opens": timezone.localtime(opens).date() if opens else None,
                "cutoff_working_days": session.cutoff_working_days,
            },
        )
        super().__init__(*args, partnership=session.course.partnership, **kwargs)

    def prepare_fields(self):
        del self.fields["course"]
        self.fields["venue"].queryset = Venue.objects.filter(partnership=self.partnership)
        self.fields["trainers"].queryset = accredited_trainers(
            self.partnership, course=self.session.course
        )
        self.fields[
            "trainers"
        ].help_text = f"Choose one or two trainers accredited for {self.session.course.title}"

    def service_arguments(self) -> dict:
        arguments = super().service_arguments()
        del arguments["course"]
        return arguments


class TrainerPersonChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj):
        return f"{obj.full_name or obj.email} ({obj.email})"


class AccreditationForm(RequestChoicesForm):
    trainer = TrainerPersonChoiceField(
        label="Trainer",
        help_text="People with the trainer role in a partner agency",
        queryset=Course.objects.none(),
        empty_label="Choose a trainer",
        error_messages={"required": "Choose the trainer"},
    )
    course = forms.ModelChoiceField(
        label="Course",
        queryset=Course.objects.none(),
        empty_label="Choose a course",
        error_messages={"required": "Choose the course"},
    )
    accredited_on = GovukDateField(label="Accredited on", noun="the date of accreditation")
    expires_on = GovukDateField(label="Expires on", noun="the expiry date")

    def __init__(self, *args, partnership: Partnership, **kwargs):
        self.partnership = partnership
        super().__init__(*args, **kwargs)

    def prepare_fields(self):
        from safeguarding.people.models import Role, User

        self.fields["trainer"].queryset = (
            User.objects.filter(
                is_active=True,
                memberships__agency__partnership=self.partnership,
                memberships__role_grants__role=Role.TRAINER,
            )
            .distinct()
            .order_by("family_name", "given_name", "email")
        )
        self.fields["course"].queryset = Course.objects.filter(
            partnership=self.partnership
        ).exclude(status=Course.Status.ARCHIVED)

    def clean(self):
        data = super().clean()
        start, end = data.get("accredited_on"), data.get("expires_on")
        if start and end and end <= start:
            self.add_error("expires_on", "The expiry date must be after the accreditation date")
        return data


class SessionCancelForm(GovukForm):
    reason = forms.CharField(
        label="Why is the session cancelled?",
        help_text="Everyone booked and everyone on the waiting list is sent this reason",
        max_length=500,
        widget=forms.Textarea(attrs={"rows": 3}),
        error_messages={
            "required": "Enter the reason, so that people booked know why",
            "max_length": "The reason must be 500 characters or fewer",
        },
    )
