"""Forms for the practitioner's journey: households, the instrument's question pages, the level,
outcomes, shares and reviews. Question pages are built from the instrument file."""

from __future__ import annotations

import datetime
import re

from django import forms
from django.utils import timezone

from safeguarding.core.forms import GovukDateField, GovukForm, GovukFormMixin, RequestChoicesForm
from safeguarding.people.models import Agency
from safeguarding.risk.instruments import Instrument, Section
from safeguarding.risk.models import HouseholdMember, Outcome

SOURCES = [
    ("", "Not given"),
    ("victim", "The person experiencing abuse"),
    ("police", "Police"),
    ("records", "Agency records"),
    ("professional", "Another professional"),
    ("observation", "Your own observation"),
]


class HouseholdForm(RequestChoicesForm):
    agency = forms.ModelChoiceField(
        queryset=Agency.objects.none(),
        label="Your agency",
        empty_label=None,
        widget=forms.RadioSelect,
        error_messages={"required": "Choose your agency"},
    )
    address = forms.CharField(
        label="Address",
        widget=forms.Textarea(attrs={"rows": 3, "autocomplete": "off"}),
        max_length=500,
        error_messages={"required": "Enter the household's address"},
    )
    postcode = forms.CharField(
        label="Postcode",
        max_length=10,
        required=False,
        widget=forms.TextInput(attrs={"class": "govuk-input--width-10", "autocomplete": "off"}),
    )

    def __init__(self, *args, agencies, **kwargs):
        self.agencies = agencies
        super().__init__(*args, **kwargs)

    def prepare_fields(self) -> None:
        self.fields["agency"].queryset = self.agencies
        if self.agencies.count() == 1:
            self.fields["agency"].initial = self.agencies.first()
            self.fields["agency"].widget = forms.HiddenInput()


class MemberForm(GovukForm):
    role = forms.ChoiceField(
        label="Who are they?",
        choices=HouseholdMember.Role.choices,
        widget=forms.RadioSelect,
        error_messages={"required": "Choose who they are in the household"},
    )
    given_name = forms.CharField(
        label="First name",
        max_length=100,
        error_messages={"required": "Enter their first name"},
        widget=forms.TextInput(attrs={"autocomplete": "off", "spellcheck": "false"}),
    )
    family_name = forms.CharField(
        label="Last name",
        max_length=100,
        error_messages={"required": "Enter their last name"},
        widget=forms.TextInput(attrs={"autocomplete": "off", "spellcheck": "false"}),
    )
    date_of_birth = GovukDateField(
        label="Date of birth",
        noun="their date of birth",
        required=False,
        help_text="For example, 27 3 2011. For an unborn child, the expected date of delivery.",
    )


class StartForm(RequestChoicesForm):
    instrument = forms.ChoiceField(
        label="Which risk identification do you want to complete?",
        widget=forms.RadioSelect,
        error_messages={"required": "Choose a risk identification tool"},
    )
    subject = forms.ModelChoiceField(
        queryset=HouseholdMember.objects.none(),
        label="Adult experiencing abuse (for the adult checklist)",
        required=False,
        widget=forms.RadioSelect,
    )
    children = forms.ModelMultipleChoiceField(
        queryset=HouseholdMember.objects.none(),
        label="Children it is about (for the children's matrix)",
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )

    def __init__(self, *args, household, instruments, **kwargs):
        self.household = household
        self.instruments = instruments
        super().__init__(*args, **kwargs)

    def prepare_fields(self) -> None:
        self.fields["instrument"].choices = [(i.code, i.title) for i in self.instruments]
        members = self.household.members.all()
        self.fields["subject"].queryset = members.exclude(
            role__in=[HouseholdMember.Role.CHILD, HouseholdMember.Role.UNBORN]
        )
        self.fields["children"].queryset = members.filter(
            role__in=[HouseholdMember.Role.CHILD, HouseholdMember.Role.UNBORN]
        )


# Lists of dates: the GOV.UK date input, repeated ("add another") ---------------------------

DATE_LIST_MIN_BOXES = 3
DATE_LIST_MAX_BOXES = 20


def add_date_action(question) -> str:
    """The value of the "Add another date" button for this question."""
    return f"add:{question.code}"


def date_list_boxes(question, data, saved: list) -> int:
    """How many date inputs to show: the saved dates and one empty, at least three; on a
    submission, as many as were sent (one more after "Add another date")."""
    if data is None:
        count = len(saved) + 1
    else:
        pattern = re.compile(rf"{re.escape(question.code)}-(\d+)_day")
        sent = [int(m.group(1)) for key in data if (m := pattern.fullmatch(key))]
        count = max(sent, default=len(saved))
        if data.get("action") == add_date_action(question):
            count += 1
    return min(max(count, DATE_LIST_MIN_BOXES), DATE_LIST_MAX_BOXES)


def date_list_fields(question, boxes: int, saved: list) -> dict[str, tuple]:
    """{field name: (field, initial)} for one date input per incident."""
    item = question.item_label or "Date"
    fields = {}
    for n in range(1, boxes + 1):
        field = GovukDateField(label=f"{item} {n}", noun=f"{item.lower()} {n}", required=False)
        field.widget.attrs["class"] = "govuk-input"  # so that an error marks the boxes red
        field.date_list = {
            "question": question,
            "first": n == 1,
            "last": n == boxes,
            "full": boxes >= DATE_LIST_MAX_BOXES,
            "action": add_date_action(question),
        }
        initial = datetime.date.fromisoformat(saved[n - 1]) if n <= len(saved) else None
        fields[f"{question.code}-{n}"] = (field, initial)
    return fields


def clean_date_list(form, question, today: datetime.date) -> list[str]:
    """The dates entered for `question`, each checked (errors go on its own box), sorted."""
    item = question.item_label or "Date"
    dates = []
    for name in [n for n in form.fields if n.startswith(f"{question.code}-")]:
        value = form.cleaned_data.get(name)
        if value is None:
            continue
        if value > today:
            form.add_error(name, f"{item} {name.rsplit('-', 1)[1]} must be today or in the past")
            continue
        dates.append(value.isoformat())
    return sorted(dates)


class SectionForm(GovukFormMixin, forms.Form):
    """One section of an instrument: a field per question, plus a source and a comment for each
    yes / no / don't know question. Indicators and protective factors answered yes or no are
    check boxes ("select all that apply"); an unticked box is a no."""

    def __init__(self, *args, instrument: Instrument, section: Section, answers, notes, **kw):
        self.instrument = instrument
        self.section = section
        self.require_all = kw.pop("require_all", False)
        super().__init__(*args, **kw)
        self.ticks = [
            q
            for q in section.questions
            if q.answer_type == "yes_no" and q.kind in ("indicator", "protective_factor")
        ]
        if self.ticks:
            self.fields["ticked"] = forms.MultipleChoiceField(
                label="Select all that apply",
                choices=[(q.code, q.text) for q in self.ticks],
                required=False,
                widget=forms.CheckboxSelectMultiple(attrs={"class": "govuk-checkboxes__input"}),
            )
            self.initial["ticked"] = [q.code for q in self.ticks if answers.get(q.code) == "yes"]
        self.questions = [q for q in section.questions if q not in self.ticks]
        for q in self.questions:
            name = q.code
            if q.answer_type in ("yes_no", "yes_no_dont_know"):
                field = forms.ChoiceField(
                    label=q.text,
                    choices=q.choices(),
                    widget=forms.RadioSelect(attrs={"class": "govuk-radios__input"}),
                    required=False,
                    help_text=q.help,
                )
                if q.answer_type == "yes_no_dont_know":
                    note = notes.get(q.code, {})
                    self.fields[f"{name}__source"] = forms.ChoiceField(
                        label="Source",
                        choices=SOURCES,
                        required=False,
                        widget=forms.Select(attrs={"class": "govuk-select"}),
                    )
                    self.fields[f"{name}__comment"] = forms.CharField(
                        label="Comment",
                        required=False,
                        max_length=500,
                        widget=forms.TextInput(attrs={"class": "govuk-input"}),
                    )
                    self.initial[f"{name}__source"] = note.get("source", "")
                    self.initial[f"{name}__comment"] = note.get("comment", "")
                self.initial[name] = answers.get(q.code, "")
            elif q.answer_type == "date":
                field = GovukDateField(
                    label=q.text,
                    noun="the date",
                    required=False,
                    help_text=q.help or "For example, 27 3 2014",
                )
                field.widget.attrs["class"] = "govuk-input"
                if answers.get(q.code):
                    self.initial[name] = datetime.date.fromisoformat(answers[q.code])
            elif q.answer_type == "date_list":
                saved = answers.get(q.code, [])
                boxes = date_list_boxes(q, self.data if self.is_bound else None, saved)
                for box, (field, initial) in date_list_fields(q, boxes, saved).items():
                    self.fields[box] = field
                    if initial:
                        self.initial[box] = initial
                continue
            elif q.answer_type == "number":
                field = forms.IntegerField(
                    label=q.text,
                    required=False,
                    min_value=0,
                    help_text=q.help,
                    widget=forms.TextInput(
                        attrs={"class": "govuk-input govuk-input--width-4", "inputmode": "numeric"}
                    ),
                )
                self.initial[name] = answers.get(q.code)
            else:
                field = forms.CharField(
                    label=q.text,
                    required=False,
                    max_length=5000,
                    help_text=q.help,
                    widget=forms.Textarea(attrs={"rows": 4, "class": "govuk-textarea"}),
                )
                self.initial[name] = answers.get(q.code, "")
            self.fields[name] = field

    def clean(self):
        cleaned = super().clean()
        for q in self.questions:
            if q.answer_type == "date_list":
                cleaned[q.code] = clean_date_list(self, q, timezone.localdate())
            if self.require_all and q.required and not cleaned.get(q.code):
                self.add_error(q.code, f"Answer: {q.text}")
        return cleaned

    def answers(self) -> dict:
        data = self.cleaned_data
        answers: dict = {}
        if self.ticks:
            ticked = set(data.get("ticked") or [])
            for q in self.ticks:
                answers[q.code] = "yes" if q.code in ticked else "no"
        for q in self.questions:
            value = data.get(q.code)
            if isinstance(value, datetime.date):
                value = value.isoformat()
            answers[q.code] = value if value not in (None, "") else None
        return answers

    def notes(self) -> dict:
        return {
            q.code: {
                "source": self.cleaned_data.get(f"{q.code}__source", ""),
                "comment": self.cleaned_data.get(f"{q.code}__comment", ""),
            }
            for q in self.questions
            if q.answer_type == "yes_no_dont_know"
        }

    @property
    def error_list(self):
        items = [("", m) for m in self.non_field_errors()]
        for name in self.fields:
            for message in self.errors.get(name, []):
                anchor = f"id_{name}_0" if name in self._radio_names() else f"id_{name}"
                items.append((anchor, message))
        return items

    def _radio_names(self):
        return {
            name
            for name, f in self.fields.items()
            if isinstance(f.widget, forms.RadioSelect | forms.CheckboxSelectMultiple)
            or isinstance(f, GovukDateField)
        }


class ConfirmForm(GovukForm):
    level = forms.TypedChoiceField(
        label="What level do you identify?",
        coerce=int,
        widget=forms.RadioSelect,
        error_messages={"required": "Choose a level"},
    )
    rationale = forms.CharField(
        label="Rationale",
        required=False,
        max_length=5000,
        help_text="Needed if you choose a level other than the suggested one.",
        widget=forms.Textarea(attrs={"rows": 5}),
    )

    def __init__(self, *args, instrument: Instrument, suggested, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["level"].choices = [
            (lv.value, f"{lv.label}{' (suggested)' if lv.value == suggested else ''}")
            for lv in instrument.levels
        ]
        self.fields["level"].initial = suggested


class OutcomeForm(RequestChoicesForm):
    kind = forms.ChoiceField(
        label="Outcome",
        choices=Outcome.Kind.choices,
        widget=forms.RadioSelect,
        error_messages={"required": "Choose the outcome"},
    )
    date = GovukDateField(
        label="Date of the referral or decision",
        noun="the date",
        help_text="For example, 27 3 2014",
    )
    reference = forms.CharField(
        label="Reference",
        required=False,
        max_length=100,
        help_text="The receiving service's reference, if it gave one.",
        widget=forms.TextInput(attrs={"class": "govuk-input--width-20"}),
    )
    receiving_agency = forms.ModelChoiceField(
        queryset=Agency.objects.none(),
        label="Receiving agency",
        required=False,
        help_text="A referral lets the receiving agency see this identification; it is recorded.",
        empty_label="None",
    )

    def __init__(self, *args, partnership, **kwargs):
        self.partnership = partnership
        super().__init__(*args, **kwargs)

    def prepare_fields(self) -> None:
        self.fields["receiving_agency"].queryset = Agency.objects.filter(
            partnership=self.partnership, is_active=True
        )


class ShareForm(RequestChoicesForm):
    agency = forms.ModelChoiceField(
        queryset=Agency.objects.none(),
        label="Agency to share with",
        error_messages={"required": "Choose the agency to share with"},
    )
    note = forms.CharField(
        label="Why are you sharing it?",
        help_text="The need to know and the lawful basis, for the record.",
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 4}),
        error_messages={"required": "Say why you are sharing it"},
    )

    def __init__(self, *args, identification, **kwargs):
        self.identification = identification
        super().__init__(*args, **kwargs)

    def prepare_fields(self) -> None:
        self.fields["agency"].queryset = Agency.objects.filter(
            partnership=self.identification.agency.partnership, is_active=True
        ).exclude(pk=self.identification.agency_id)


class ReviewForm(GovukForm):
    when = forms.ChoiceField(
        label="When should it be reviewed?",
        choices=[
            ("default", "In 8 weeks"),
            ("now", "Now: there has been a new incident or change"),
            ("date", "On another date"),
        ],
        widget=forms.RadioSelect,
        error_messages={"required": "Choose when to review it"},
    )
    due_on = GovukDateField(
        label="Review date",
        noun="the review date",
        required=False,
        help_text="Only for another date. For example, 27 3 2014",
    )

    def clean(self):
        cleaned = super().clean()
        if cleaned.get("when") == "date" and not cleaned.get("due_on"):
            self.add_error("due_on", "Enter the review date")
        return cleaned


class ReviewDoneForm(GovukForm):
    note = forms.CharField(
        label="What did the review find?",
        max_length=5000,
        widget=forms.Textarea(attrs={"rows": 4}),
        error_messages={"required": "Say what the review found"},
    )


class CountersignForm(GovukForm):
    decision = forms.ChoiceField(
        label="Do you countersign the lower level?",
        choices=[
            ("countersign", "Yes, I countersign it"),
            ("return", "No, return it to the practitioner"),
        ],
        widget=forms.RadioSelect,
        error_messages={"required": "Choose whether you countersign it"},
    )
    note = forms.CharField(
        label="Note",
        required=False,
        max_length=2000,
        help_text="Needed if you return it.",
        widget=forms.Textarea(attrs={"rows": 3}),
    )


class LoadInstrumentForm(GovukForm):
    file = forms.FileField(
        label="Instrument file (YAML or JSON)",
        error_messages={"required": "Choose the instrument file"},
    )
