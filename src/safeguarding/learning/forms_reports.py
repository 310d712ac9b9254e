"""Forms for the charges and statistics pages: the period (and, for charges, the agency)."""

from __future__ import annotations

from django import forms

from safeguarding.core.forms import GovukForm
from safeguarding.learning.selectors.reports import default_period
from safeguarding.people.models import Agency

DATE_FORMATS = ["%d/%m/%Y", "%Y-%m-%d"]


class PeriodForm(GovukForm):
    """From and to (inclusive); both empty means the current financial year."""

    date_from = forms.DateField(
        label="From",
        required=False,
        input_formats=DATE_FORMATS,
        widget=forms.DateInput(format="%d/%m/%Y"),
        help_text="For example, 1/4/2013",
        error_messages={"invalid": "Enter the start date as a real date, like 1/4/2013"},
    )
    date_to = forms.DateField(
        label="To",
        required=False,
        input_formats=DATE_FORMATS,
        widget=forms.DateInput(format="%d/%m/%Y"),
        help_text="For example, 31/3/2014",
        error_messages={"invalid": "Enter the end date as a real date, like 31/3/2014"},
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.default_start, self.default_end = default_period()
        self.fields["date_from"].initial = self.default_start
        self.fields["date_to"].initial = self.default_end
        for name in ("date_from", "date_to"):
            self.fields[name].widget.attrs.update(
                {"class": self.fields[name].widget.attrs["class"] + " govuk-input--width-10"}
            )

    def clean(self):
        data = super().clean()
        start, end = data.get("date_from"), data.get("date_to")
        if start and not end and "date_to" not in self.errors:
            self.add_error("date_to", "Enter the end date of the period")
        elif end and not start and "date_from" not in self.errors:
            self.add_error("date_from", "Enter the start date of the period")
        elif start and end and start > end:
            self.add_error("date_to", "The end date must be the same as or after the start date")
        return data

    def period(self):
        """(start, end): the dates given, or the current financial year."""
        data = self.cleaned_data if self.is_bound and self.is_valid() else {}
        if data.get("date_from") and data.get("date_to"):
            return data["date_from"], data["date_to"]
        return self.default_start, self.default_end


class ChargesFilterForm(PeriodForm):
    agency = forms.ModelChoiceField(
        label="Agency", queryset=Agency.objects.none(), required=False, empty_label="All agencies"
    )

    def __init__(self, *args, partnership, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["agency"].queryset = Agency.objects.filter(partnership=partnership).order_by(
            "name"
        )

    def chosen_agency(self) -> Agency | None:
        if self.is_bound and self.is_valid():
            return self.cleaned_data.get("agency")
        return None
