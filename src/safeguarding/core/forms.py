"""GOV.UK Frontend rendering for Django forms.

Every form in the platform renders through these templates, so labels, hints, error messages and
the error summary follow the GOV.UK patterns without per-form markup. Use `GovukForm` (or mix
`GovukFormMixin` into a ModelForm) and `{% include "core/includes/form.html" %}` or `{{ form }}`.
"""

from __future__ import annotations

from django import forms
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


class GovukForm(GovukFormMixin, forms.Form):
    pass


class GovukModelForm(GovukFormMixin, forms.ModelForm):
    pass
