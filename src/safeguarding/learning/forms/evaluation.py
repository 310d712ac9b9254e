"""Forms for evaluations: the questionnaire a person answers (built from its question list) and
the filters of the results page."""

from __future__ import annotations

from django import forms
from django.utils import timezone

from safeguarding.core.forms import DayField, GovukForm
from safeguarding.learning.selectors import evaluation as selectors
from safeguarding.learning.services.evaluation import (
    TEXT_MAX_LENGTH,
    invalid_rating_message,
    required_message,
)


class EvaluationForm(GovukForm):
    """One field per question, named by its code: ratings as radios 1 to 5, text as a textarea."""

    def __init__(self, *args, questionnaire, **kwargs):
        super().__init__(*args, **kwargs)
        for question in questionnaire.questions:
            required = question.get("required", True)
            label = question["text"] if required else f"{question['text']} (optional)"
            messages = {"required": required_message(question)}
            if question["kind"] == "rating":
                labels = selectors.rating_labels(question)
                field = forms.ChoiceField(
                    label=label,
                    required=required,
                    choices=[(str(n), text) for n, text in enumerate(labels, start=1)],
                    widget=forms.RadioSelect,
                    error_messages={
                        **messages,
                        "invalid_choice": invalid_rating_message(question),
                    },
                )
            else:
                field = forms.CharField(
                    label=label,
                    required=required,
                    max_length=TEXT_MAX_LENGTH,
                    widget=forms.Textarea(attrs={"rows": 4}),
                    error_messages={
                        **messages,
                        "max_length": f"Your answer to “{question['text']}” must be "
                        f"{TEXT_MAX_LENGTH:,} characters or fewer",
                    },
                )
            self.fields[question["code"]] = field
        # GovukFormMixin styled the widgets before these fields existed: style them now.
        self._style_fields()

    def _style_fields(self):
        for name, field in self.fields.items():
            widget = field.widget
            base = (
                "govuk-radios__input" if isinstance(widget, forms.RadioSelect) else "govuk-textarea"
            )
            css = base
            if self.is_bound and name in self.errors:
                if base == "govuk-textarea":
                    css += " govuk-textarea--error"
                if self.auto_id:
                    widget.attrs["aria-describedby"] = f"{self.auto_id % name}-error"
            widget.attrs["class"] = css

    @property
    def error_list(self) -> list[tuple[str, str]]:
        """Error summary links go to the first radio of a rating question (GOV.UK pattern)."""
        items = []
        for anchor, message in super().error_list:
            name = anchor.removeprefix("id_")
            if name in self.fields and isinstance(self.fields[name].widget, forms.RadioSelect):
                anchor = f"{anchor}_0"
            items.append((anchor, message))
        return items


def _when(moment) -> str:
    """Tuesday 3 June 2014, 09:30"""
    local = timezone.localtime(moment)
    return f"{local:%A} {local.day} {local:%B %Y, %H:%M}"


def _financial_years(first: int, last: int) -> list[tuple[str, str]]:
    return [(str(year), f"April {year} to March {year + 1}") for year in range(last, first - 1, -1)]


class ResultsFilterForm(GovukForm):
    year = forms.TypedChoiceField(
        label="Financial year", coerce=int, required=False, help_text="Sessions that started in it."
    )
    date_from = DayField(
        label="Or from (dd/mm/yyyy)",
        required=False,
        help_text="Give both dates to use your own period instead of the financial year.",
    )
    date_to = DayField(label="To (dd/mm/yyyy)", required=False)
    course = forms.ModelChoiceField(
        label="Course", queryset=None, required=False, empty_label="All courses"
    )
    trainer = forms.ModelChoiceField(
        label="Trainer", queryset=None, required=False, empty_label="All trainers"
    )
    session = forms.ModelChoiceField(
        label="Session",
        queryset=None,
        required=False,
        empty_label="All sessions",
        help_text="Choosing a session shows that session whatever the period.",
    )

    def __init__(self, *args, partnership, **kwargs):
        super().__init__(*args, **kwargs)
        this_year = selectors.financial_year_of(timezone.localdate())
        first = selectors.sessions_of(partnership).order_by("starts_at").first()
        first_year = (
            selectors.financial_year_of(timezone.localtime(first.starts_at).date())
            if first
            else this_year
        )
        self.fields["year"].choices = _financial_years(min(first_year, this_year), this_year)
        self.fields["course"].queryset = selectors.courses_with_sessions(partnership)
        self.fields["trainer"].queryset = selectors.trainers_of(partnership)
        self.fields["trainer"].label_from_instance = lambda user: user.full_name or user.email
        self.fields["session"].queryset = selectors.sessions_of(partnership)
        self.fields["session"].label_from_instance = lambda session: (
            f"{session.course.title}, {_when(session.starts_at)}"
        )
        self.this_year = this_year

    def clean(self):
        data = super().clean()
        start, end = data.get("date_from"), data.get("date_to")
        if start and not end and "date_to" not in self.errors:
            self.add_error("date_to", "Enter the end date of the period.")
        elif end and not start and "date_from" not in self.errors:
            self.add_error("date_from", "Enter the start date of the period.")
        elif start and end and start > end:
            self.add_error("date_to", "The end date must be the same as or after the start date.")
        return data

    def period(self):
        """(start, end, description) from the cleaned data; the current financial year by
        default."""
        data = self.cleaned_data if self.is_bound and self.is_valid() else {}
        session = data.get("session")
        if session is not None:
            day = timezone.localtime(session.starts_at).date()
            return day, day, "the chosen session"
        if data.get("date_from") and data.get("date_to"):
            start, end = data["date_from"], data["date_to"]
            return start, end, "the chosen dates"
        year = data.get("year") or self.this_year
        start, end = selectors.financial_year_bounds(year)
        return start, end, f"the financial year {year}/{str(year + 1)[-2:]}"
