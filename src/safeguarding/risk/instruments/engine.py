"""The instrument engine: instruments are data (a YAML or JSON file), the engine validates them when
they are loaded and evaluates a set of answers into a suggested level, its reasons and actions.

Two rule methods cover the instruments we ship, and any partnership's licensed wording of them:

- `highest_scale` (the children's matrix): the suggested level is the highest scale of an
  indicator answered yes; `adjustments` then raise it by a step (only from the levels named) or
  set it (when a modifier is yes, optionally only together with any indicator answered yes).
  Protective factors are recorded and listed, and never change the level.
- `count_yes` (DASH): the yes answers among the indicators are counted into bands; `marac`
  names the referral criteria with their thresholds and windows.

Everything that is a threshold is in the file, so that local variations are configuration.

Reading a file and checking it completely is in loading.py.
"""

from __future__ import annotations

import calendar
import datetime
from dataclasses import dataclass, field
from typing import Any

ANSWER_TYPES = ("yes_no_dont_know", "yes_no", "text", "date", "date_list", "number")
KINDS = ("indicator", "modifier", "protective_factor", "context")
METHODS = ("highest_scale", "count_yes")
YES, NO, DONT_KNOW = "yes", "no", "dont_know"
ANSWER_LABELS = {YES: "Yes", NO: "No", DONT_KNOW: "Don't know"}


class InstrumentError(ValueError):
    """An instrument file that cannot be used. The message names the file and the problem."""

    def __init__(self, source: str, problem: str):
        self.source = source
        self.problem = problem
        super().__init__(f"{source}: {problem}")


class AnswerError(ValueError):
    """Answers that do not fit the instrument: {question code (or "answers"): [messages]}."""

    def __init__(self, errors: dict[str, list[str]]):
        self.errors = errors
        super().__init__("; ".join(f"{k}: {' '.join(v)}" for k, v in errors.items()))


@dataclass(frozen=True)
class Question:
    code: str
    text: str
    help: str
    answer_type: str
    kind: str
    scale: int | None = None
    required: bool = False
    section: str = ""
    # Which other question it needs when answered yes (e.g. written reasons for a judgement).
    requires_when_yes: str = ""
    # For a list of dates: what one date is (e.g. "Incident or call-out"), to label each box.
    item_label: str = ""

    def choices(self) -> list[tuple[str, str]]:
        if self.answer_type == "yes_no_dont_know":
            return [(YES, "Yes"), (NO, "No"), (DONT_KNOW, "Don't know")]
        if self.answer_type == "yes_no":
            return [(YES, "Yes"), (NO, "No")]
        return []

    def display(self, value: Any) -> str:
        if value in (None, "", []):
            return "Not answered"
        if self.answer_type in ("yes_no", "yes_no_dont_know"):
            return ANSWER_LABELS.get(value, str(value))
        if self.answer_type == "date":
            return _date(value).strftime("%-d %B %Y")
        if self.answer_type == "date_list":
            return ", ".join(_date(v).strftime("%-d %B %Y") for v in value)
        return str(value)


@dataclass(frozen=True)
class Section:
    code: str
    title: str
    description: str
    questions: list[Question]


@dataclass(frozen=True)
class Level:
    value: int
    code: str
    label: str
    description: str
    actions: list[str]


@dataclass(frozen=True)
class Reason:
    question_code: str
    text: str
    effect: str  # indicator, raised, set, counted, protective, marac, information_gap, prompt


@dataclass
class Evaluation:
    level: Level | None
    reasons: list[Reason] = field(default_factory=list)
    actions: list[str] = field(default_factory=list)
    information_gaps: list[str] = field(default_factory=list)
    details: dict[str, Any] = field(default_factory=dict)

    @property
    def marac_criteria(self) -> list[str]:
        return list(self.details.get("marac_criteria", []))


@dataclass
class Instrument:
    code: str
    version: int
    title: str
    licence: str
    description: str
    sections: list[Section]
    levels: list[Level]
    rules: dict[str, Any]
    source: str = ""
    partnership_id: int | None = None

    @property
    def questions(self) -> list[Question]:
        return [q for section in self.sections for q in section.questions]

    def question(self, code: str) -> Question:
        for q in self.questions:
            if q.code == code:
                return q
        raise KeyError(code)

    def section(self, code: str) -> Section:
        for s in self.sections:
            if s.code == code:
                return s
        raise KeyError(code)

    def level(self, value: int) -> Level:
        for lv in self.levels:
            if lv.value == value:
                return lv
        raise KeyError(value)

    def level_by_code(self, code: str) -> Level:
        for lv in self.levels:
            if lv.code == code:
                return lv
        raise KeyError(code)

    @property
    def method(self) -> str:
        return self.rules["method"]

    def __str__(self) -> str:
        return f"{self.title} (version {self.version})"

    # Answers -----------------------------------------------------------------------------------

    def clean_answers(self, answers: Any, *, partial: bool = False) -> dict[str, Any]:
        """Answers checked against the questions and normalised (dates as ISO strings, numbers
        as int). Raises AnswerError naming each bad question; `partial` allows missing answers
        (a journey saved half-way)."""
        if not isinstance(answers, dict):
            raise AnswerError({"answers": ["Give the answers as an object of question codes."]})
        errors: dict[str, list[str]] = {}
        known = {q.code: q for q in self.questions}
        cleaned: dict[str, Any] = {}
        for code, value in answers.items():
            question = known.get(code)
            if question is None:
                errors[str(code)] = [f"There is no question '{code}' in {self.code}."]
                continue
            if value in (None, "", []):
                continue
            try:
                cleaned[code] = _clean_value(question, value)
            except ValueError as error:
                errors[code] = [str(error)]
        if not partial:
            for q in self.questions:
                if q.required and q.code not in cleaned and q.code not in errors:
                    errors[q.code] = [f"Answer '{q.text}'"]
                if q.requires_when_yes and cleaned.get(q.code) == YES:
                    other = q.requires_when_yes
                    if not str(cleaned.get(other, "")).strip() and other not in errors:
                        errors[other] = [f"Give your reasons: '{known[other].text}'"]
        if errors:
            raise AnswerError(errors)
        return cleaned

    # Evaluation --------------------------------------------------------------------------------

    def evaluate(self, answers: dict[str, Any], context: dict | None = None) -> Evaluation:
        """The suggested level for these answers (cleaned first: raises AnswerError)."""
        answers = self.clean_answers(answers, partial=True)
        context = context or {}
        if self.method == "highest_scale":
            return _evaluate_highest_scale(self, answers)
        return _evaluate_count_yes(self, answers, context)


def _date(value: Any) -> datetime.date:
    if isinstance(value, datetime.datetime):
        return value.date()
    if isinstance(value, datetime.date):
        return value
    return datetime.date.fromisoformat(str(value))


def _clean_value(question: Question, value: Any) -> Any:
    kind = question.answer_type
    if kind in ("yes_no", "yes_no_dont_know"):
        allowed = [c for c, _ in question.choices()]
        if value not in allowed:
            raise ValueError(f"Answer with one of: {', '.join(allowed)}.")
        return value
    if kind == "text":
        if not isinstance(value, str):
            raise ValueError("Answer with text.")
        if len(value) > 5000:
            raise ValueError("Answer in 5,000 characters or fewer.")
        return value.strip()
    if kind == "number":
        if isinstance(value, bool) or not isinstance(value, int | str):
            raise ValueError("Answer with a whole number.")
        try:
            number = int(value)
        except ValueError:
            raise ValueError("Answer with a whole number.") from None
        if number < 0 or number > 1000:
            raise ValueError("Answer with a whole number from 0 to 1000.")
        return number
    if kind == "date":
        try:
            return _date(value).isoformat()
        except (TypeError, ValueError):
            raise ValueError("Answer with a date as YYYY-MM-DD.") from None
    if kind == "date_list":
        if not isinstance(value, list):
            raise ValueError("Answer with a list of dates as YYYY-MM-DD.")
        try:
            return sorted(_date(v).isoformat() for v in value)
        except (TypeError, ValueError):
            raise ValueError("Answer with a list of dates as YYYY-MM-DD.") from None
    raise ValueError(f"Unknown answer type {kind}.")  # pragma: no cover - validated on load


def add_months(day: datetime.date, months: int) -> datetime.date:
    """The same day `months` later (or earlier, if negative), clamped to the month's end."""
    month_index = day.month - 1 + months
    year, month = day.year + month_index // 12, month_index % 12 + 1
    return day.replace(
        year=year, month=month, day=min(day.day, calendar.monthrange(year, month)[1])
    )


def _evaluate_highest_scale(inst: Instrument, answers: dict[str, Any]) -> Evaluation:
    rules = inst.rules
    reasons: list[Reason] = []
    yes_indicators = [
        q for q in inst.questions if q.kind == "indicator" and answers.get(q.code) == YES
    ]
    for q in sorted(yes_indicators, key=lambda q: -(q.scale or 0)):
        reasons.append(Reason(q.code, f"Scale {q.scale}: {q.text}", "indicator"))
    value = max((q.scale or 0 for q in yes_indicators), default=rules["no_indicator_level"])
    for adjustment in rules.get("adjustments", []):
        triggers = [c for c in adjustment["when_any_yes"] if answers.get(c) == YES]
        if not triggers:
            continue
        if adjustment.get("requires_indicator") and not yes_indicators:
            continue
        texts = adjustment.get("reason") or "; ".join(inst.question(c).text for c in triggers)
        if "set_to" in adjustment:
            if adjustment["set_to"] > value:
                value = adjustment["set_to"]
                reasons.append(Reason(triggers[0], f"Raised to scale {value}: {texts}", "set"))
        elif value in adjustment.get("only_from", []):
            raised = min(value + adjustment["raise_by"], max(lv.value for lv in inst.levels))
            reasons.append(
                Reason(triggers[0], f"Raised from scale {value} to {raised}: {texts}", "raised")
            )
            value = raised
    for q in inst.questions:
        if q.kind == "protective_factor" and answers.get(q.code) == YES:
            reasons.append(Reason(q.code, f"Protective factor: {q.text}", "protective"))
    gaps = [q.code for q in inst.questions if answers.get(q.code) == DONT_KNOW]
    for code in gaps:
        reasons.append(Reason(code, f"Not known: {inst.question(code).text}", "information_gap"))
    level = inst.level(value)
    protective = [q.code for q in inst.questions if q.kind == "protective_factor"]
    return Evaluation(
        level=level,
        reasons=reasons,
        actions=list(level.actions),
        information_gaps=gaps,
        details={
            "indicators_yes": [q.code for q in yes_indicators],
            "protective_factors": [c for c in protective if answers.get(c) == YES],
        },
    )


def _evaluate_count_yes(inst: Instrument, answers: dict[str, Any], context: dict) -> Evaluation:
    rules = inst.rules
    counted = [q for q in inst.questions if q.kind == "indicator"]
    yes = [q for q in counted if answers.get(q.code) == YES]
    gaps = [q.code for q in counted if answers.get(q.code) == DONT_KNOW]
    no_count = sum(1 for q in counted if answers.get(q.code) == NO)
    reasons = [Reason(q.code, f"Yes: {q.text}", "counted") for q in yes]
    level = inst.level_by_code(rules["default_level"])
    for band in rules["bands"]:
        if len(yes) >= band["min_yes"]:
            level = inst.level_by_code(band["level"])
            break
    assessed_on = _date(context.get("assessed_on") or datetime.date.today())
    criteria: list[str] = []
    marac = rules.get("marac", {})
    if "visible_high_risk" in marac and len(yes) >= marac["visible_high_risk"]["min_yes"]:
        criteria.append("visible_high_risk")
        reasons.append(
            Reason(
                "",
                f"Visible high risk: {len(yes)} yes answers "
                f"({marac['visible_high_risk']['min_yes']} or more)",
                "marac",
            )
        )
    judgement = marac.get("professional_judgement")
    if judgement and answers.get(judgement["question"]) == YES:
        criteria.append("professional_judgement")
        written = answers.get(judgement["reasons_question"], "")
        reasons.append(
            Reason(judgement["question"], f"Professional judgement: {written}".strip(), "marac")
        )
    escalation = marac.get("potential_escalation")
    if escalation:
        since = add_months(assessed_on, -escalation["months"])
        dates = [_date(d) for d in answers.get(escalation["question"], [])]
        in_window = [d for d in dates if since <= d <= assessed_on]
        if len(in_window) >= escalation["min_incidents"]:
            criteria.append("potential_escalation")
            reasons.append(
                Reason(
                    escalation["question"],
                    f"Potential escalation: {len(in_window)} incidents or call-outs in the "
                    f"{escalation['months']} months to {assessed_on:%-d %B %Y} "
                    f"({escalation['min_incidents']} or more)",
                    "marac",
                )
            )
    repeat = marac.get("repeat")
    if repeat and answers.get(repeat["question"]):
        previous = _date(answers[repeat["question"]])
        incident = _date(answers.get(repeat["incident_question"]) or assessed_on)
        if previous <= incident <= add_months(previous, repeat["months"]):
            criteria.append("repeat")
            reasons.append(
                Reason(
                    repeat["question"],
                    f"Repeat: new abuse on {incident:%-d %B %Y}, within {repeat['months']} "
                    f"months of the MARAC on {previous:%-d %B %Y}",
                    "marac",
                )
            )
    for code in gaps:
        reasons.append(Reason(code, f"Not known: {inst.question(code).text}", "information_gap"))
    actions = list(level.actions)
    if criteria:
        actions.insert(0, marac.get("action", "Refer to MARAC."))
    details: dict[str, Any] = {
        "yes_count": len(yes),
        "no_count": no_count,
        "dont_know_count": len(gaps),
        "band": level.code,
        "marac_criteria": criteria,
    }
    prompt = rules.get("children_prompt")
    if prompt and answers.get(prompt["question"]) == YES:
        details["children_prompt"] = prompt["instrument"]
        actions.append(prompt["action"])
        reasons.append(Reason(prompt["question"], prompt["action"], "prompt"))
    return Evaluation(
        level=level, reasons=reasons, actions=actions, information_gaps=gaps, details=details
    )
