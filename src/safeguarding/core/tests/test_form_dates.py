"""Property tests for the date inputs: any text typed into a date field gives a date or the
field's GOV.UK error message, never a server error (issue 15 item 4)."""

from __future__ import annotations

import datetime

from hypothesis import given, settings
from hypothesis import strategies as st

from safeguarding.core.forms import DayField, GovukDateField, GovukForm, PeriodForm


class _DateForm(GovukForm):
    when = GovukDateField(label="Date", noun="the meeting date")


def _bound(day, month, year) -> _DateForm:
    return _DateForm(data={"when_day": day, "when_month": month, "when_year": year})


def test_a_day_too_large_for_a_machine_integer_is_a_field_error():
    form = _bound("99999999999999999999", "1", "2024")
    assert not form.is_valid()
    assert form.errors["when"] == ["The meeting date must be a real date"]
    assert ("id_when_0", "The meeting date must be a real date") in form.error_list


def test_a_superscript_digit_is_a_field_error():
    form = _bound("²", "1", "2024")
    assert not form.is_valid()
    assert form.errors["when"] == ["The meeting date must be a real date"]


def test_digits_of_other_scripts_are_not_read_as_a_date():
    form = _bound("\u0661\u0662", "1", "2024")  # Arabic-Indic "12"
    assert not form.is_valid()
    assert form.errors["when"] == ["The meeting date must be a real date"]


def test_a_huge_year_is_a_field_error():
    form = _bound("1", "1", "9" * 40)
    assert not form.is_valid()
    assert form.errors["when"] == ["Year must include 4 numbers"]


_text = st.text(max_size=30)
_digits = st.from_regex(r"\A[0-9]{0,25}\Z")
# Mostly plausible numbers, so that the other two parts often pass and each part's faults show.
_part = st.one_of(st.integers(0, 40).map(str), _digits, _text)
_year = st.one_of(st.integers(0, 9999).map(str), _digits, _text)


@settings(max_examples=300, deadline=None)
@given(day=_part, month=_part, year=_year)
def test_any_text_gives_a_date_or_a_field_error(day, month, year):
    form = _bound(day, month, year)
    if form.is_valid():
        assert isinstance(form.cleaned_data["when"], datetime.date)
    else:
        assert list(form.errors) == ["when"]
        (message,) = form.errors["when"]
        assert message and "Traceback" not in message
        assert [anchor for anchor, _ in form.error_list] == ["id_when_0"]


@settings(max_examples=200, deadline=None)
@given(day=st.dates(min_value=datetime.date(1000, 1, 1)))
def test_valid_dates_round_trip(day):
    for parts in (
        (str(day.day), str(day.month), str(day.year)),
        (f"{day.day:02d}", f"{day.month:02d}", f" {day.year} "),
    ):
        form = _bound(*parts)
        assert form.is_valid(), form.errors
        assert form.cleaned_data["when"] == day
    # And what the widget shows back for the date reads as the same date.
    shown = _DateForm().fields["when"].widget.decompress(day)
    form = _bound(*(str(p) for p in shown))
    assert form.is_valid()
    assert form.cleaned_data["when"] == day


class _DayForm(GovukForm):
    day = DayField(label="Day", error_messages={"invalid": "Enter a real date"})


@settings(max_examples=300, deadline=None)
@given(text=_text | st.from_regex(r"\A[0-9²]{0,25}/[0-9]{0,25}/[0-9]{0,25}\Z"))
def test_day_field_gives_a_date_or_a_field_error(text):
    form = _DayForm(data={"day": text})
    if form.is_valid():
        value = form.cleaned_data["day"]
        assert value is None or isinstance(value, datetime.date)
    else:
        assert list(form.errors) == ["day"]


@settings(max_examples=200, deadline=None)
@given(start=_text, end=_text)
def test_period_form_never_fails(start, end):
    form = PeriodForm(data={"date_from": start, "date_to": end})
    form.is_valid()
    start_day, end_day = form.period()
    assert isinstance(start_day, datetime.date) and isinstance(end_day, datetime.date)


@settings(max_examples=200, deadline=None)
@given(day=st.dates())
def test_day_field_round_trips(day):
    form = _DayForm(data={"day": day.strftime("%d/%m/%Y")})
    if day.year >= 1000:  # %Y needs four digits to read back
        assert form.is_valid(), form.errors
        assert form.cleaned_data["day"] == day
