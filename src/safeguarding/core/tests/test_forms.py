"""GOV.UK form rendering: errors marked on fields, summarised, and linked for screen readers."""

from __future__ import annotations

from django import forms

from safeguarding.core.forms import GovukForm


class _Form(GovukForm):
    name = forms.CharField(help_text="As on your badge")
    team = forms.ChoiceField(choices=[("a", "A"), ("b", "B")])

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        # Narrowing choices after the mixin's __init__ must still validate against the new ones.
        self.fields["team"].choices = [("b", "B")]


def test_field_errors_are_marked_and_described():
    form = _Form(data={"name": "", "team": "a"})
    assert not form.is_valid()
    assert set(form.errors) == {"name", "team"}  # "a" was narrowed away
    html = str(form)
    assert "govuk-input--error" in html and "govuk-select--error" in html
    assert 'aria-describedby="id_name_helptext id_name-error"' in html
    assert [anchor for anchor, _ in form.error_list] == ["id_name", "id_team"]


def test_errors_added_by_a_view_are_marked_too():
    form = _Form(data={"name": "Ann", "team": "b"})
    assert form.is_valid()
    form.add_error("name", "Someone else has that name.")
    assert "govuk-input--error" in str(form)
    assert form.error_list == [("id_name", "Someone else has that name.")]


def test_unbound_form_has_no_errors_marked():
    html = str(_Form())
    assert "--error" not in html and "govuk-input" in html
