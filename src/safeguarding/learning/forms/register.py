"""Forms for keeping a session's register."""

from __future__ import annotations

from django import forms

from safeguarding.core.forms import GovukForm
from safeguarding.learning.models import Booking
from safeguarding.people.models import User

MARK_CHOICES = [
    (Booking.Attendance.ATTENDED, "Attended"),
    (Booking.Attendance.NO_SHOW, "Did not attend"),
]


class RegisterForm(GovukForm):
    """One pair of radios (attended / did not attend) for each confirmed place."""

    def __init__(self, *args, places: list[Booking], **kwargs):
        super().__init__(*args, **kwargs)
        self.places = {}
        for booking in places:
            name = f"booking_{booking.pk}"
            self.fields[name] = forms.ChoiceField(
                label=str(booking.person),
                choices=MARK_CHOICES,
                required=False,
                initial=booking.attendance or None,
                widget=forms.RadioSelect,
                error_messages={"invalid_choice": "Choose attended or did not attend."},
            )
            self.fields[name].widget.attrs["class"] = "govuk-radios__input"
            self.places[name] = booking

    def rows(self):
        """(bound field, booking) for each place, in register order."""
        return [(self[name], booking) for name, booking in self.places.items()]

    def marks(self) -> dict[int, str]:
        """The marks chosen: places left unmarked are left alone."""
        return {
            booking.pk: self.cleaned_data[name]
            for name, booking in self.places.items()
            if self.cleaned_data.get(name)
        }


class WalkInForm(GovukForm):
    email = forms.EmailField(
        label="Work e-mail address",
        help_text="They must already have an account. Walk-ins are marked as attended.",
        max_length=254,
        error_messages={
            "required": "Enter the person’s work e-mail address",
            "invalid": "Enter an e-mail address in the right format, like name@example.org",
        },
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["email"].widget.attrs.update(
            {"autocomplete": "off", "spellcheck": "false", "inputmode": "email"}
        )

    def clean_email(self) -> str:
        email = self.cleaned_data["email"].strip()
        person = User.objects.filter(email__iexact=email, is_active=True).first()
        if person is None:
            raise forms.ValidationError(
                "No active account has this e-mail address. "
                "They need to register for an account first."
            )
        self.person = person
        return email
