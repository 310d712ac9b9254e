"""Forms for the charges and statistics pages: the period (and, for charges, the agency)."""

from __future__ import annotations

from django import forms

from safeguarding.core.forms import PeriodForm
from safeguarding.people.models import Agency


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
