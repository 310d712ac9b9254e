"""Forms for the health-records pages. The run form checks each extract's header row at once
(so a file with missing columns is refused on the page, with their names); the background task
then validates every row with the linkage package's read_extract."""

from __future__ import annotations

from django import forms
from django.utils import timezone

from safeguarding.core.forms import DayField, GovukForm
from safeguarding.core.tabular import TabularError, open_table
from safeguarding.health_records.linkage.extracts import CONTRACTS
from safeguarding.health_records.models import Direction, Outcome, ReviewPair

KIND_LABEL = {"gp": "GP extract", "hv": "health visiting extract"}
MAX_UPLOAD_BYTES = 2 * 1024**3  # 2 GB: well above a national extract of a million children
HEADER_BYTES = 64 * 1024


HEADER_MESSAGES = {
    "empty": "is empty",
    "xlsx": "could not be opened as an XLSX workbook",
    "utf16": "is not a CSV or XLSX file",
    "binary": "is not a CSV or XLSX file",
    "encoding": "is not in UTF-8 or Windows-1252 text",
    # Refused by size before it is parsed (core.tabular's limits, issue 15).
    "xlsx_too_large": "is too large to import: split it into smaller files",
    "xlsx_suspicious": "unpacks to far more data than a spreadsheet would: save it again from "
    "Excel, or as CSV UTF-8",
    "too_many_columns": "has more columns than a workbook may have: delete the unused columns, "
    "or save it as CSV UTF-8",
    "too_many_rows": "has more rows than a workbook may have: split it into smaller files",
}


def check_header(upload, kind: str) -> None:
    """Check a CSV (UTF-8 with or without BOM, or Windows-1252) or XLSX extract's header row
    against the extract's columns, reading no further. Raises forms.ValidationError."""
    try:
        with open_table(upload, contract=CONTRACTS[kind], encoding_sample=HEADER_BYTES):
            pass
    except TabularError as error:
        if error.code == "missing_columns":
            raise forms.ValidationError(
                f"is missing these columns: {', '.join(error.columns)}"
            ) from None
        raise forms.ValidationError(HEADER_MESSAGES.get(error.code, "could not be read")) from None
    finally:
        upload.seek(0)


class RunForm(GovukForm):
    gp_file = forms.FileField(
        label="GP registration extract",
        help_text="CSV or XLSX with a header row: record_id, nhs_number, given_name, "
        "family_name, date_of_birth, sex, postcode, address_line, gp_practice_code.",
        error_messages={"required": "Choose the GP registration extract"},
    )
    hv_file = forms.FileField(
        label="Health visiting caseload extract",
        help_text="CSV or XLSX with a header row: record_id, nhs_number, given_name, "
        "family_name, date_of_birth, sex, postcode, address_line, hv_team.",
        error_messages={"required": "Choose the health visiting caseload extract"},
    )
    extract_date = DayField(
        label="Date the extracts were taken (optional)",
        required=False,
        help_text="For example, 31/3/2014. Leave it empty for today.",
        error_messages={"invalid": "Enter the date the extracts were taken, like 31/3/2014"},
    )
    match_threshold = forms.FloatField(
        label="Match threshold",
        initial=0.95,
        min_value=0.5,
        max_value=1.0,
        help_text="Pairs at or above this probability are treated as the same child.",
        error_messages={
            "required": "Enter the match threshold",
            "invalid": "Enter the match threshold as a number, like 0.95",
            "min_value": "The match threshold must be 0.5 or more",
            "max_value": "The match threshold must be 1 or less",
        },
    )
    review_threshold = forms.FloatField(
        label="Review threshold",
        initial=0.50,
        min_value=0.01,
        max_value=0.99,
        help_text="Pairs from this probability up to the match threshold go to a person to decide.",
        error_messages={
            "required": "Enter the review threshold",
            "invalid": "Enter the review threshold as a number, like 0.5",
            "min_value": "The review threshold must be more than 0",
            "max_value": "The review threshold must be less than 1",
        },
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for name in ("match_threshold", "review_threshold"):
            widget = self.fields[name].widget
            widget.attrs.update({"class": widget.attrs["class"] + " govuk-input--width-5"})
            widget.attrs["step"] = "0.01"
        widget = self.fields["extract_date"].widget
        widget.attrs.update({"class": widget.attrs["class"] + " govuk-input--width-10"})
        for name in ("gp_file", "hv_file"):
            self.fields[name].widget.attrs["accept"] = ".csv,.xlsx,text/csv"

    def _check_extract(self, name: str, kind: str):
        upload = self.cleaned_data.get(name)
        if upload is None:
            return upload
        label = KIND_LABEL[kind]
        if upload.size > MAX_UPLOAD_BYTES:
            raise forms.ValidationError(f"The {label} must be smaller than 2 GB")
        try:
            check_header(upload, kind)
        except forms.ValidationError as error:
            raise forms.ValidationError(f"The {label} {error.messages[0]}") from None
        return upload

    def clean_gp_file(self):
        return self._check_extract("gp_file", "gp")

    def clean_hv_file(self):
        return self._check_extract("hv_file", "hv")

    def clean_extract_date(self):
        value = self.cleaned_data.get("extract_date")
        if value and value > timezone.localdate():
            raise forms.ValidationError("The date the extracts were taken cannot be in the future")
        return value

    def clean(self):
        data = super().clean()
        match, review = data.get("match_threshold"), data.get("review_threshold")
        if match is not None and review is not None and review >= match:
            self.add_error("review_threshold", "The review threshold must be below the match one")
        return data


class ReviewDecisionForm(GovukForm):
    decision = forms.ChoiceField(
        label="Are these the same child?",
        choices=[
            (ReviewPair.Decision.ACCEPTED, "Yes, the same child: link them"),
            (ReviewPair.Decision.REJECTED, "No, different children: keep them apart"),
        ],
        widget=forms.RadioSelect,
        error_messages={"required": "Say whether these are the same child"},
    )


class OutcomeForm(GovukForm):
    outcome = forms.ChoiceField(
        label="Outcome",
        choices=Outcome.choices,
        widget=forms.RadioSelect,
        help_text="Leave it open to change only the due date.",
        error_messages={"required": "Choose an outcome, or leave it open"},
    )
    notes = forms.CharField(
        label="Notes",
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text="What was found and done. Needed when the outcome is Other.",
        error_messages={"max_length": "Notes must be 2,000 characters or fewer"},
    )
    due_date = DayField(
        label="Due date",
        required=False,
        help_text="For example, 30/4/2014.",
        error_messages={"invalid": "Enter the due date as a real date, like 30/4/2014"},
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        widget = self.fields["due_date"].widget
        widget.attrs.update({"class": widget.attrs["class"] + " govuk-input--width-10"})

    def clean(self):
        data = super().clean()
        if data.get("outcome") == Outcome.OTHER and not (data.get("notes") or "").strip():
            self.add_error("notes", "Say what the outcome was")
        return data


class AllocateForm(GovukForm):
    team = forms.ModelChoiceField(
        label="Allocated team",
        queryset=None,
        required=False,
        empty_label="Not allocated",
        error_messages={"invalid_choice": "Choose one of your agency's teams"},
    )

    def __init__(self, *args, teams, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["team"].queryset = teams


STATUS_CHOICES = [("open", "Open"), ("overdue", "Overdue"), ("closed", "Closed"), ("all", "All")]


class WorklistFilterForm(GovukForm):
    team = forms.TypedChoiceField(label="Team", required=False, coerce=int, empty_value=None)
    status = forms.ChoiceField(label="Status", required=False, choices=STATUS_CHOICES)
    direction = forms.ChoiceField(
        label="List", required=False, choices=[("", "Both lists"), *Direction.choices]
    )

    def __init__(self, *args, teams, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["team"].choices = [("", "All teams"), ("0", "Not allocated")] + [
            (str(pk), name) for pk, name in teams
        ]

    def filters(self) -> dict:
        data = self.cleaned_data if self.is_bound and self.is_valid() else {}
        return {
            "team_id": data.get("team"),
            "status": data.get("status") or "open",
            "direction": data.get("direction") or "",
        }
