"""GOV.UK Frontend rendering for Django forms.

Every form in the platform renders through these templates, so labels, hints, error messages and
the error summary follow the GOV.UK patterns without per-form markup. Use `GovukForm` (or mix
`GovukFormMixin` into a ModelForm) and `{% include "core/includes/form.html" %}` or `{{ form }}`.
"""

from __future__ import annotations

import datetime
from collections.abc import Callable, Mapping

from django import forms
from django.core.exceptions import ValidationError
from django.forms.renderers import DjangoTemplates

_WIDGET_CLASSES = {
    forms.CheckboxSelectMultiple: "govuk-checkboxes__input",
    forms.RadioSelect: "govuk-radios__input",
    forms.CheckboxInput: "govuk-checkboxes__input",
    forms.Textarea: "govuk-textarea",
    forms.Select: "govuk-select",
    forms.SelectMultiple: "govuk-select",
    forms.ClearableFileInput: "govuk-file-upload",
    forms.FileInput: "govuk-file-upload",
}


class GovukFormRenderer(DjangoTemplates):
    form_template_name = "core/forms/form.html"
    field_template_name = "core/forms/field.html"


class GovukFormMixin:
    """Adds GOV.UK classes to widgets and an error-summary friendly id to each field."""

    template_name = "core/forms/form.html"

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for field in self.fields.values():
            widget = field.widget
            css = next(
                (c for cls, c in _WIDGET_CLASSES.items() if isinstance(widget, cls)),
                "govuk-input",
            )
            widget.attrs["class"] = f"{css} {widget.attrs.get('class', '')}".strip()

    # Errors are marked on the widgets when they arise (validation, or a service's error added
    # by the view), never by reading self.errors in __init__: that would validate the form
    # before a subclass has narrowed its choices.
    def full_clean(self):
        super().full_clean()
        self._mark_errors()

    def add_error(self, field, error):
        super().add_error(field, error)
        self._mark_errors()

    def _mark_errors(self) -> None:
        for name in getattr(self, "_errors", None) or {}:
            field = self.fields.get(name)
            if field is None:
                continue
            widget = field.widget
            classes = widget.attrs.get("class", "").split()
            for base in ("govuk-input", "govuk-textarea", "govuk-select", "govuk-file-upload"):
                if base in classes and f"{base}--error" not in classes:
                    classes.append(f"{base}--error")
            widget.attrs["class"] = " ".join(classes)
            if self.auto_id:
                field_id = self.auto_id % self.add_prefix(name)
                described = [f"{field_id}-error"]
                if field.help_text:
                    described.insert(0, f"{field_id}_helptext")
                widget.attrs["aria-describedby"] = " ".join(described)

    @property
    def error_list(self) -> list[tuple[str, str]]:
        """(anchor id, message) pairs for the error summary, in field order."""
        items = [("", message) for message in self.non_field_errors()]
        for name in self.fields:
            if name in self.errors:
                bound = self[name]
                anchor = bound.id_for_label or f"id_{name}"
                items.extend((anchor, message) for message in self.errors[name])
        return items


class _FieldsFirst(forms.Form):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.prepare_fields()

    def prepare_fields(self) -> None:
        """Narrow the fields' querysets and choices here, not after super().__init__()."""


class RequestChoicesForm(GovukFormMixin, _FieldsFirst):
    """A GOV.UK form whose choices depend on the request. GovukFormMixin validates a bound form
    in its __init__ (to mark fields in error), so choices set after super().__init__() would
    come too late: the form would be validated against the class's own choices."""


def apply_errors(
    form,
    error: ValidationError,
    *,
    rename: Mapping[str, str] | Callable[[str], str] | None = None,
    default_field: str | None = None,
) -> None:
    """Put a service's ValidationError on the form: on the field it names (after `rename`, a
    mapping or function from a service's argument names to the form's field names), else on
    `default_field`, else at the top of the form."""
    if hasattr(error, "error_dict"):
        for key, errors in error.error_dict.items():
            name = rename(key) if callable(rename) else (rename or {}).get(key, key)
            form.add_error(name if name in form.fields else default_field, errors)
    else:
        form.add_error(default_field, error)


class GovukForm(GovukFormMixin, forms.Form):
    pass


class GovukModelForm(GovukFormMixin, forms.ModelForm):
    pass


# Dates: the GOV.UK date input pattern --------------------------------------------------------


class GovukDateWidget(forms.MultiWidget):
    """Three boxes (day, month, year) named <field>_day, <field>_month and <field>_year."""

    template_name = "core/forms/widgets/date_input.html"

    def __init__(self, attrs=None):
        parts = {
            "day": forms.TextInput(),
            "month": forms.TextInput(),
            "year": forms.TextInput(),
        }
        super().__init__(parts, attrs)

    def decompress(self, value):
        if isinstance(value, datetime.date):
            return [value.day, value.month, value.year]
        return [None, None, None]

    def id_for_label(self, id_):
        # The error summary links to the first box (MultiWidget numbers the boxes' ids).
        return f"{id_}_0" if id_ else id_


class GovukDateField(forms.Field):
    """A date entered as day, month and year, with GOV.UK's error messages."""

    widget = GovukDateWidget

    def __init__(self, *, noun: str, **kwargs):
        self.noun = noun  # e.g. "the session date", for "Enter the session date"
        # A fieldset with a legend, as the GOV.UK date input pattern has it.
        kwargs.setdefault("template_name", "core/forms/widgets/date_field.html")
        super().__init__(**kwargs)

    def to_python(self, value):
        if isinstance(value, datetime.date):
            return value
        parts = [str(p).strip() if p is not None else "" for p in (value or ["", "", ""])]
        parts = (parts + ["", "", ""])[:3]
        if not any(parts):
            return None
        missing = [
            name for name, part in zip(("day", "month", "year"), parts, strict=True) if not part
        ]
        noun = self.noun[0].upper() + self.noun[1:]
        if missing:
            raise ValidationError(
                f"{noun} must include a {' and a '.join(missing)}", code="incomplete"
            )
        # ASCII digits only: str.isdigit() is also true for "²" and other scripts' digits.
        if not all(part.isascii() and part.isdigit() for part in parts):
            raise ValidationError(f"{noun} must be a real date", code="invalid")
        if len(parts[2]) != 4:
            raise ValidationError("Year must include 4 numbers", code="invalid")
        day, month, year = (int(p) for p in parts)
        try:
            return datetime.date(year, month, day)
        except (ValueError, OverflowError):  # OverflowError: a day or month of 20 digits
            raise ValidationError(f"{noun} must be a real date", code="invalid") from None

    def validate(self, value):
        if value is None and self.required:
            raise ValidationError(f"Enter {self.noun}", code="required")


# Periods: the reports' "from" and "to" ------------------------------------------------------

PERIOD_DATE_FORMATS = ["%d/%m/%Y", "%Y-%m-%d"]


class DayField(forms.DateField):
    """A date typed in one box as dd/mm/yyyy (ISO dates are accepted too, for links and
    scripts), and shown back the same way."""

    def __init__(self, **kwargs):
        kwargs.setdefault("input_formats", PERIOD_DATE_FORMATS)
        kwargs.setdefault("widget", forms.DateInput(format="%d/%m/%Y"))
        super().__init__(**kwargs)


def financial_year_containing(day: datetime.date) -> tuple[datetime.date, datetime.date]:
    """1 April to 31 March: the financial year `day` falls in."""
    first = day.year if day.month >= 4 else day.year - 1
    return datetime.date(first, 4, 1), datetime.date(first + 1, 3, 31)


class PeriodForm(GovukForm):
    """From and to (inclusive) for a report; both empty means the default period (the current
    financial year unless the page gives another)."""

    date_from = DayField(
        label="From",
        required=False,
        help_text="For example, 1/4/2013",
        error_messages={"invalid": "Enter the start date as a real date, like 1/4/2013"},
    )
    date_to = DayField(
        label="To",
        required=False,
        help_text="For example, 31/3/2014",
        error_messages={"invalid": "Enter the end date as a real date, like 31/3/2014"},
    )

    def __init__(self, *args, default: tuple[datetime.date, datetime.date] | None = None, **kwargs):
        super().__init__(*args, **kwargs)
        from django.utils import timezone

        self.default_start, self.default_end = default or financial_year_containing(
            timezone.localdate()
        )
        self.fields["date_from"].initial = self.default_start
        self.fields["date_to"].initial = self.default_end
        for name in ("date_from", "date_to"):
            widget = self.fields[name].widget
            widget.attrs["class"] = widget.attrs.get("class", "") + " govuk-input--width-10"

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

    def period(self) -> tuple[datetime.date, datetime.date]:
        """(start, end): the dates given, or the default period."""
        data = self.cleaned_data if self.is_bound and self.is_valid() else {}
        if data.get("date_from") and data.get("date_to"):
            return data["date_from"], data["date_to"]
        return self.default_start, self.default_end
