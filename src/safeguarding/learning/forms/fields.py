"""Fields shared by the learning forms."""

from __future__ import annotations

from django import forms


def time_field(label: str, noun: str) -> forms.TimeField:
    return forms.TimeField(
        label=label,
        help_text="Use the 24-hour clock, for example 09:30 or 13:45",
        input_formats=["%H:%M", "%H.%M", "%H%M"],
        error_messages={
            "required": f"Enter the {noun}",
            "invalid": f"Enter the {noun} as hours and minutes, for example 09:30",
        },
        widget=forms.TimeInput(
            format="%H:%M",
            attrs={"class": "govuk-input--width-5", "inputmode": "numeric", "spellcheck": "false"},
        ),
    )
