"""Forms for the booking journeys: confirming a cancellation, a line manager's approval decision,
and a line manager booking a team member onto a session."""

from __future__ import annotations

from django import forms
from django.utils import timezone

from safeguarding.core.forms import GovukForm
from safeguarding.learning.models import Session
from safeguarding.people.models import User


def when(moment) -> str:
    """A date and time the GOV.UK way: Tuesday 3 June 2014, 09:30."""
    local = timezone.localtime(moment)
    return f"{local:%A} {local.day} {local:%B %Y, %H:%M}"


class ConfirmForm(GovukForm):
    """A form with no fields: one button confirms. It exists so that a service's refusal shows in
    the error summary."""


class ApprovalDecisionForm(GovukForm):
    APPROVE = "approve"
    DECLINE = "decline"

    decision = forms.ChoiceField(
        label="Do you approve this place?",
        choices=[
            (APPROVE, "Yes, approve the place"),
            (DECLINE, "No, decline it and release the place"),
        ],
        widget=forms.RadioSelect,
        error_messages={"required": "Choose whether to approve or decline the place"},
    )

    @property
    def approve(self) -> bool:
        return self.cleaned_data["decision"] == self.APPROVE


class SessionChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, session: Session) -> str:
        places = getattr(session, "places_left", None)
        left = (
            ""
            if places is None
            else " (full: waiting list)"
            if places == 0
            else f" ({places} place{'s' if places != 1 else ''} left)"
        )
        return f"{session.course.title}: {when(session.starts_at)}{left}"


class PersonChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, person: User) -> str:
        return person.full_name or person.email


class TeamBookingForm(GovukForm):
    """A line manager books a member of their team onto a session open for booking."""

    person = PersonChoiceField(
        label="Team member",
        queryset=User.objects.none(),
        empty_label="Choose a team member",
        error_messages={
            "required": "Choose the team member to book",
            "invalid_choice": "Choose someone in your team",
        },
    )
    session = SessionChoiceField(
        label="Session",
        queryset=Session.objects.none(),
        empty_label="Choose a session",
        help_text="Only sessions that are open for booking are listed.",
        error_messages={
            "required": "Choose the session to book",
            "invalid_choice": "Choose a session that is open for booking",
        },
    )
    waiting_list_if_full = forms.BooleanField(
        label="If the session is full, add them to its waiting list",
        required=False,
    )

    def __init__(self, *args, team, sessions: list[Session], **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["person"].queryset = team
        self.fields["session"].queryset = Session.objects.filter(
            pk__in=[s.pk for s in sessions]
        ).select_related("course")
        # Keep the annotated places-left figures for the option labels.
        self.fields["session"].choices = [("", "Choose a session")] + [
            (s.pk, self.fields["session"].label_from_instance(s)) for s in sessions
        ]
