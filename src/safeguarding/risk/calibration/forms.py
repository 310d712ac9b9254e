"""GOV.UK forms for calibration: vignettes, exercises, participants, and answering an instrument."""

from __future__ import annotations

import datetime
from typing import Any

from django import forms
from django.core.exceptions import ValidationError
from django.core.validators import validate_email

from safeguarding.core.forms import GovukDateField, GovukForm
from safeguarding.learning.selectors import public as learning_public
from safeguarding.people.models import User
from safeguarding.risk.instruments import Instrument, InstrumentError
from safeguarding.risk.models import Vignette

STORY_MAX = 10000
RATIONALE_MAX = 5000


def instrument_choices(partnership) -> list[tuple[str, str]]:
    from safeguarding.risk.instruments import latest_instruments

    return [
        (f"{inst.code}:{inst.version}", f"{inst.title} (version {inst.version})")
        for inst in latest_instruments(partnership)
    ]


class VignetteForm(GovukForm):
    title = forms.CharField(
        max_length=200,
        help_text="A short name for the family, for example 'The Ashdown family'. Not a real name.",
        error_messages={"required": "Enter a title"},
    )
    instrument = forms.ChoiceField(
        label="Instrument",
        help_text="Practitioners answer this instrument's questions for the family.",
        error_messages={"required": "Choose an instrument"},
    )
    story = forms.CharField(
        label="The family's story",
        widget=forms.Textarea(attrs={"rows": 12}),
        max_length=STORY_MAX,
        help_text="Write it as a referrer would describe the family. Fictional details only.",
        error_messages={"required": "Enter the family's story"},
    )

    def __init__(self, *args, partnership, editing: bool = False, **kwargs):
        super().__init__(*args, **kwargs)
        if editing:
            del self.fields["instrument"]
        else:
            self.fields["instrument"].choices = [("", "Choose an instrument")] + (
                instrument_choices(partnership)
            )

    def instrument_code_version(self) -> tuple[str, int]:
        code, version = self.cleaned_data["instrument"].rsplit(":", 1)
        return code, int(version)


class InstrumentAnswersForm(GovukForm):
    """An instrument's questions. Optional yes/no indicators are grouped as one "select all that
    apply" checkbox list per section (as on the paper matrix); every other question is its own
    field named q_<code>."""

    def __init__(self, *args, instrument: Instrument, answers: dict | None = None, **kwargs):
        self.instrument = instrument
        answers = answers or {}
        fields: dict[str, forms.Field] = {}
        self._sections: list[tuple[Any, list[str]]] = []
        self._field_of: dict[str, str] = {}
        for section in instrument.sections:
            names = []
            ticks = [q for q in section.questions if self._is_tick(q)]
            for question in section.questions:
                if self._is_tick(question):
                    if question is ticks[0]:
                        name = f"s_{section.code}"
                        fields[name] = forms.MultipleChoiceField(
                            label=f"{section.title}: select all that apply",
                            choices=[(q.code, q.text) for q in ticks],
                            widget=forms.CheckboxSelectMultiple,
                            required=False,
                            initial=[q.code for q in ticks if answers.get(q.code) == "yes"],
                        )
                        names.append(name)
                    self._field_of[question.code] = f"s_{section.code}"
                    continue
                name = f"q_{question.code}"
                fields[name] = self._field(question, answers.get(question.code))
                self._field_of[question.code] = name
                names.append(name)
            self._sections.append((section, names))
        # The fields are the form's own (not added after it is built), so that GovukFormMixin
        # gives every widget its GOV.UK classes.
        self.base_fields = {**type(self).base_fields, **fields}
        super().__init__(*args, **kwargs)

    @staticmethod
    def _is_tick(question) -> bool:
        return question.answer_type == "yes_no" and not question.required

    @staticmethod
    def _field(question, initial) -> forms.Field:
        common = {
            "label": question.text,
            "help_text": question.help,
            "required": question.required,
            "initial": initial,
        }
        kind = question.answer_type
        if kind in ("yes_no", "yes_no_dont_know"):
            return forms.ChoiceField(
                choices=question.choices(),
                widget=forms.RadioSelect,
                error_messages={"required": f"Answer '{question.text}'"},
                **common,
            )
        if kind == "number":
            return forms.IntegerField(
                min_value=0,
                max_value=1000,
                widget=forms.NumberInput(attrs={"inputmode": "numeric"}),
                error_messages={"invalid": "Enter a whole number"},
                **common,
            )
        if kind == "date":
            if isinstance(initial, str):
                common["initial"] = datetime.date.fromisoformat(initial)
            return GovukDateField(noun="the date", **common)
        if kind == "date_list":
            if isinstance(initial, list):
                common["initial"] = "\n".join(initial)
            common["help_text"] = (question.help + " " if question.help else "") + (
                "One date a line, as YYYY-MM-DD."
            )
            return forms.CharField(widget=forms.Textarea(attrs={"rows": 3}), **common)
        return forms.CharField(widget=forms.Textarea(attrs={"rows": 3}), max_length=5000, **common)

    def clean(self):
        data = super().clean()
        for question in self.instrument.questions:
            name = f"q_{question.code}"
            if question.answer_type == "date_list" and data.get(name):
                try:
                    data[name] = [
                        datetime.date.fromisoformat(line.strip()).isoformat()
                        for line in data[name].splitlines()
                        if line.strip()
                    ]
                except ValueError:
                    self.add_error(name, "Enter each date on its own line, as YYYY-MM-DD")
        return data

    @property
    def sections(self):
        """(section, [bound fields]) in the instrument's order, for the template."""
        return [(section, [self[name] for name in names]) for section, names in self._sections]

    def answers(self) -> dict[str, Any]:
        data = self.cleaned_data
        answers: dict[str, Any] = {}
        for question in self.instrument.questions:
            if self._is_tick(question):
                ticked = data.get(self._field_of[question.code]) or []
                answers[question.code] = "yes" if question.code in ticked else "no"
                continue
            value = data.get(f"q_{question.code}")
            if isinstance(value, datetime.date):
                value = value.isoformat()
            if value not in (None, "", []):
                answers[question.code] = value
        return answers

    def field_for(self, key: str) -> str | None:
        """The form field showing a service error keyed q_<code> (or None for the summary)."""
        if key.startswith("q_"):
            return self._field_of.get(key[2:])
        return key if key in self.fields else None


def level_choices(instrument: Instrument) -> list[tuple[int, str]]:
    return [(level.value, f"{level.label}: {level.description}") for level in instrument.levels]


class LevelForm(GovukForm):
    """The level a rater chooses after seeing the tool's suggestion, with reasons if it differs."""

    chosen_level = forms.TypedChoiceField(
        label="What level do you choose for this family?",
        coerce=int,
        widget=forms.RadioSelect,
        error_messages={"required": "Choose a level"},
    )
    rationale = forms.CharField(
        label="Your reasons",
        widget=forms.Textarea(attrs={"rows": 5}),
        required=False,
        max_length=RATIONALE_MAX,
        help_text="Needed if you choose a different level from the one the tool suggests.",
    )

    def __init__(self, *args, instrument: Instrument, suggested: int | None, **kwargs):
        super().__init__(*args, **kwargs)
        self.suggested = suggested
        self.fields["chosen_level"].choices = level_choices(instrument)
        if suggested is not None and not self.is_bound:
            self.fields["chosen_level"].initial = suggested

    def clean(self):
        data = super().clean()
        chosen = data.get("chosen_level")
        if chosen is not None and chosen != self.suggested and not data.get("rationale", ""):
            self.add_error(
                "rationale",
                "Give your reasons for choosing a different level from the one the tool suggested",
            )
        return data


class ExpertLevelForm(GovukForm):
    level = forms.TypedChoiceField(
        label="The expert level for this family",
        coerce=int,
        widget=forms.RadioSelect,
        error_messages={"required": "Choose the expert level"},
    )
    rationale = forms.CharField(
        label="Why this is the right level",
        widget=forms.Textarea(attrs={"rows": 6}),
        max_length=RATIONALE_MAX,
        help_text="Raters read this after the exercise closes: say what should have decided it.",
        error_messages={"required": "Explain why this is the right level for the family"},
    )

    def __init__(self, *args, instrument: Instrument, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["level"].choices = level_choices(instrument)


class _ChoiceLabelled(forms.ModelChoiceField):
    def __init__(self, *args, labeller, **kwargs):
        self.labeller = labeller
        super().__init__(*args, **kwargs)

    def label_from_instance(self, obj):
        return self.labeller(obj)


class _MultipleLabelled(forms.ModelMultipleChoiceField):
    def label_from_instance(self, obj):
        return f"{obj.title} (expert level {obj.expert_level})"


class ExerciseForm(GovukForm):
    title = forms.CharField(
        max_length=200,
        help_text="For example, 'North practice group: spring calibration'.",
        error_messages={"required": "Enter a title"},
    )
    held_on = GovukDateField(
        label="Date of the exercise",
        noun="the date of the exercise",
        help_text="For example, 12 6 2014",
    )
    instrument_code = forms.ChoiceField(
        label="Instrument",
        help_text="All the exercise's vignettes use this instrument. It cannot change later.",
        error_messages={"required": "Choose an instrument"},
    )
    session = _ChoiceLabelled(
        queryset=None,  # the partnership's, set in __init__
        required=False,
        label="Training session (optional)",
        help_text="The course session where the exercise is held, if any.",
        labeller=lambda s: f"{s.course.title}, {s.starts_at:%-d %B %Y}",
    )
    meeting = _ChoiceLabelled(
        queryset=None,  # the partnership's, set in __init__
        required=False,
        label="Practice group meeting (optional)",
        help_text="The practice group meeting where the exercise is held, if any.",
        labeller=lambda m: f"{m.group.name}, {m.starts_at:%-d %B %Y}",
    )
    vignettes = _MultipleLabelled(
        queryset=Vignette.objects.none(),
        widget=forms.CheckboxSelectMultiple,
        label="Vignettes",
        help_text="Published vignettes only. Raters score each one.",
        error_messages={"required": "Choose at least one vignette"},
    )

    def __init__(self, *args, partnership, exercise=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.exercise = exercise
        codes = sorted({c.split(":")[0] for c, _ in instrument_choices(partnership)})
        titles = {}
        for code in codes:
            try:
                from safeguarding.risk.instruments import get_instrument

                titles[code] = get_instrument(code, partnership=partnership).title
            except InstrumentError:  # pragma: no cover - listed instruments load
                titles[code] = code
        self.fields["instrument_code"].choices = [("", "Choose an instrument")] + [
            (code, titles[code]) for code in codes
        ]
        self.fields["session"].queryset = learning_public.sessions_for_partnership(partnership)
        self.fields["meeting"].queryset = learning_public.practice_group_meetings_for_partnership(
            partnership
        )
        vignettes = Vignette.objects.filter(partnership=partnership, published_at__isnull=False)
        if exercise is not None:
            del self.fields["instrument_code"]
            vignettes = vignettes.filter(instrument_code=exercise.instrument_code)
        self.fields["vignettes"].queryset = vignettes.order_by("title")

    def clean(self):
        data = super().clean()
        if data.get("session") and data.get("meeting"):
            self.add_error(
                "meeting", "Choose a training session or a practice group meeting, not both"
            )
        code = data.get("instrument_code") or (self.exercise and self.exercise.instrument_code)
        wrong = [v.title for v in data.get("vignettes") or [] if v.instrument_code != code]
        if code and wrong:
            self.add_error(
                "vignettes", f"These vignettes use another instrument: {', '.join(wrong)}"
            )
        return data


class ParticipantsForm(GovukForm):
    emails = forms.CharField(
        label="Work e-mail addresses",
        widget=forms.Textarea(attrs={"rows": 6}),
        required=False,
        help_text="One a line. They must already have an account with the partnership.",
    )
    from_event = forms.BooleanField(
        label="Add everyone booked on the linked session or recorded at the linked meeting",
        required=False,
    )

    def __init__(self, *args, partnership, has_event: bool, **kwargs):
        super().__init__(*args, **kwargs)
        self.partnership = partnership
        if not has_event:
            del self.fields["from_event"]

    def clean_emails(self):
        lines = [line.strip().lower() for line in self.cleaned_data["emails"].splitlines()]
        emails = list(dict.fromkeys(line for line in lines if line))
        bad = []
        for email in emails:
            try:
                validate_email(email)
            except ValidationError:
                bad.append(email)
        if bad:
            raise ValidationError(f"Enter real e-mail addresses (not {', '.join(bad)})")
        found = {
            user.email: user
            for user in User.objects.filter(
                email__in=emails, memberships__agency__partnership=self.partnership
            ).distinct()
        }
        unknown = [email for email in emails if email not in found]
        if unknown:
            raise ValidationError(f"No account in this partnership for {', '.join(unknown)}")
        return [found[email] for email in emails]

    def clean(self):
        data = super().clean()
        if not self.errors and not data.get("emails") and not data.get("from_event"):
            raise ValidationError("Enter e-mail addresses, or choose to add the attendees")
        return data
