from django import forms

from safeguarding.core.forms import GovukForm


class AuditFilterForm(GovukForm):
    actor = forms.CharField(label="Person (e-mail contains)", required=False, max_length=254)
    action = forms.CharField(label="Action code starts with", required=False, max_length=100)
    object_type = forms.CharField(
        label="Record type, e.g. people.agency", required=False, max_length=100
    )
    object_id = forms.CharField(label="Record ID", required=False, max_length=64)
    date_from = forms.DateField(
        label="From (dd/mm/yyyy)", required=False, input_formats=["%d/%m/%Y", "%Y-%m-%d"]
    )
    date_to = forms.DateField(
        label="To (dd/mm/yyyy)", required=False, input_formats=["%d/%m/%Y", "%Y-%m-%d"]
    )

    def clean(self):
        data = super().clean()
        if data.get("date_from") and data.get("date_to") and data["date_from"] > data["date_to"]:
            self.add_error("date_to", "The end date must be the same as or after the start date.")
        return data
