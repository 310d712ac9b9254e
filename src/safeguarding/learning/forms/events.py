"""Forms for local practice groups and the annual conference."""

from __future__ import annotations

import re

from django import forms
from django.core.exceptions import ValidationError
from django.utils import timezone

from safeguarding.core.forms import GovukDateField, GovukForm, RequestChoicesForm
from safeguarding.learning.calendar import local_datetime
from safeguarding.learning.forms.fields import time_field
from safeguarding.learning.models import Conference, ProgrammeItem, Venue
from safeguarding.learning.selectors.events import people_by_emails
from safeguarding.people.models import Locality, Partnership

MAX_ADDRESSES = 500  # e-mail addresses in one attendance form


# Practice groups -----------------------------------------------------------------------------


class GroupChoiceField(forms.ModelChoiceField):
    """A locality, shown as its practice group (made when its first meeting is added)."""

    def label_from_instance(self, obj):
        group = getattr(obj, "practice_group", None)
        return group.name if group is not None else f"{obj.name} local practice group"


class MeetingForm(RequestChoicesForm):
    locality = GroupChoiceField(
        label="Local practice group",
        queryset=Locality.objects.none(),
        empty_label="Choose a group",
        error_messages={
            "required": "Choose the local practice group",
            "invalid_choice": "Choose one of the local practice groups",
        },
    )
    date = GovukDateField(label="Date", noun="the meeting date", help_text="For example, 12 6 2014")
    start_time = time_field("Start time", "start time")
    venue = forms.CharField(
        label="Venue",
        help_text="For example, Northtown children's centre, meeting room 1",
        max_length=300,
        error_messages={
            "required": "Enter where the meeting is held",
            "max_length": "The venue must be 300 characters or fewer",
        },
    )
    topics = forms.CharField(
        label="Topics",
        help_text=(
            "One topic a line, for example: Learning from serious case reviews, Missing "
            "children, Launch of a new tool"
        ),
        widget=forms.Textarea(attrs={"rows": 5}),
        error_messages={"required": "Enter at least one topic"},
    )

    def __init__(self, *args, partnership: Partnership, **kwargs):
        self.partnership = partnership
        super().__init__(*args, **kwargs)

    def prepare_fields(self):
        self.fields["locality"].queryset = (
            Locality.objects.filter(partnership=self.partnership)
            .select_related("practice_group")
            .order_by("name")
        )

    def clean(self):
        data = super().clean()
        day, start = data.get("date"), data.get("start_time")
        data["starts_at"] = (
            local_datetime(day, start) if day is not None and start is not None else None
        )
        return data


class AttendanceForm(GovukForm):
    emails = forms.CharField(
        label="Work e-mail addresses of the people who attended",
        help_text="One address a line. People already recorded are left as they are.",
        widget=forms.Textarea(attrs={"rows": 8, "spellcheck": "false", "autocomplete": "off"}),
        error_messages={"required": "Enter the e-mail address of at least one person"},
    )

    def clean_emails(self):
        addresses = [a for a in re.split(r"[\s,;]+", self.cleaned_data["emails"]) if a]
        if not addresses:
            raise ValidationError("Enter the e-mail address of at least one person")
        if len(addresses) > MAX_ADDRESSES:
            raise ValidationError(f"Enter no more than {MAX_ADDRESSES} addresses at a time")
        people, invalid, unknown = people_by_emails(addresses)
        errors = [
            f"{address} is not an e-mail address: enter it like name@agency.example"
            for address in invalid
        ]
        errors += [
            f"Nobody has an account with {address}: check the address, or ask them to register"
            for address in unknown
        ]
        if errors:
            raise ValidationError(errors)
        self.people = people
        return self.cleaned_data["emails"]


# The conference ------------------------------------------------------------------------------


class ConferenceForm(RequestChoicesForm):
    title = forms.CharField(
        label="Title",
        help_text="For example, Annual conference 2014",
        max_length=200,
        error_messages={
            "required": "Enter the conference title",
            "max_length": "The title must be 200 characters or fewer",
        },
    )
    theme = forms.CharField(
        label="Theme",
        help_text="For example, E-safety: keeping youngsters safe online",
        max_length=200,
        error_messages={
            "required": "Enter the conference theme",
            "max_length": "The theme must be 200 characters or fewer",
        },
    )
    date = GovukDateField(
        label="Date", noun="the conference date", help_text="For example, 18 6 2014"
    )
    start_time = time_field("Start time", "start time")
    end_time = time_field("End time", "end time")
    venue = forms.ModelChoiceField(
        label="Venue",
        queryset=Venue.objects.none(),
        empty_label="Choose a venue",
        error_messages={"required": "Choose the venue"},
    )
    capacity = forms.IntegerField(
        label="Places",
        min_value=1,
        max_value=5000,
        error_messages={
            "required": "Enter the number of places",
            "invalid": "Enter the number of places as a whole number, like 200",
            "min_value": "There must be at least 1 place",
            "max_value": "There can be at most 5000 places",
        },
        widget=forms.NumberInput(attrs={"class": "govuk-input--width-4", "inputmode": "numeric"}),
    )
    joining_instructions = forms.CharField(
        label="Joining instructions (optional)",
        help_text="Sent with each registration, for example: Registration from 8.30am",
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
    )

    def __init__(self, *args, partnership: Partnership, **kwargs):
        self.partnership = partnership
        super().__init__(*args, **kwargs)

    def prepare_fields(self):
        self.fields["venue"].queryset = Venue.objects.filter(partnership=self.partnership)

    def clean(self):
        data = super().clean()
        day, start, end = data.get("date"), data.get("start_time"), data.get("end_time")
        if day is not None and day < timezone.localdate():
            self.add_error("date", "The conference date must be today or in the future")
        data["starts_at"] = data["ends_at"] = None
        if day is not None and start is not None and end is not None:
            data["starts_at"], data["ends_at"] = (
                local_datetime(day, start),
                local_datetime(day, end),
            )
            if data["ends_at"] <= data["starts_at"]:
                self.add_error("end_time", "The end time must be after the start time")
        return data

    def service_arguments(self) -> dict:
        data = self.cleaned_data
        return {
            "title": data["title"],
            "theme": data["theme"],
            "starts_at": data["starts_at"],
            "ends_at": data["ends_at"],
            "venue": data["venue"],
            "capacity": data["capacity"],
            "joining_instructions": data["joining_instructions"].strip(),
        }


class ProgrammeItemForm(GovukForm):
    kind = forms.ChoiceField(
        label="Kind",
        choices=ProgrammeItem.Kind.choices,
        widget=forms.RadioSelect,
        error_messages={"required": "Choose talk, workshop or break"},
    )
    title = forms.CharField(
        label="Title",
        max_length=200,
        error_messages={
            "required": "Enter the title of the item",
            "max_length": "The title must be 200 characters or fewer",
        },
    )
    speakers = forms.CharField(
        label="Speakers (optional)",
        help_text="For example, Cyber mentors from a local secondary school",
        max_length=300,
        required=False,
        error_messages={"max_length": "The speakers must be 300 characters or fewer"},
    )
    room = forms.CharField(
        label="Room (optional)",
        max_length=100,
        required=False,
        error_messages={"max_length": "The room must be 100 characters or fewer"},
    )
    start_time = time_field("Start time", "start time")
    end_time = time_field("End time", "end time")

    def __init__(self, *args, conference: Conference, **kwargs):
        self.conference = conference
        super().__init__(*args, **kwargs)

    def clean(self):
        data = super().clean()
        day = timezone.localtime(self.conference.session.starts_at).date()
        start, end = data.get("start_time"), data.get("end_time")
        data["starts_at"] = local_datetime(day, start) if start is not None else None
        data["ends_at"] = local_datetime(day, end) if end is not None else None
        return data

    def service_arguments(self) -> dict:
        data = self.cleaned_data
        return {
            "kind": data["kind"],
            "title": data["title"],
            "speakers": data["speakers"],
            "room": data["room"],
            "starts_at": data["starts_at"],
            "ends_at": data["ends_at"],
        }
