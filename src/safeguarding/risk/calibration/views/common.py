"""What the calibration pages share."""

from __future__ import annotations


class Combined:
    """Several forms on one page, seen by the base template's error summary as one."""

    def __init__(self, forms):
        self.forms = forms

    @property
    def errors(self):
        return any(form.errors for form in self.forms)

    @property
    def error_list(self):
        return [item for form in self.forms for item in form.error_list]


def answer_rows(instrument, answers: dict, other: dict | None = None):
    """[(section, [(question, answer text, other answer text, same?)])] for answered sections."""
    sections = []
    for section in instrument.sections:
        rows = []
        for question in section.questions:
            mine = question.display(answers.get(question.code))
            theirs = question.display(other.get(question.code)) if other is not None else None
            rows.append((question, mine, theirs, theirs is None or mine == theirs))
        sections.append((section, rows))
    return sections
