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
"""

from __future__ import annotations

import calendar
import datetime
import json
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

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


# Loading and validation ----------------------------------------------------------------------


def parse_instrument(text: str, source: str, *, partnership_id: int | None = None) -> Instrument:
    """An instrument from the text of a YAML or JSON file, validated. `source` names the file in
    error messages."""
    try:
        data = json.loads(text) if source.endswith(".json") else yaml.safe_load(text)
    except (json.JSONDecodeError, yaml.YAMLError) as error:
        raise InstrumentError(source, f"cannot be read: {error}") from None
    instrument = _build(data, source)
    return Instrument(**{**instrument.__dict__, "source": text, "partnership_id": partnership_id})


def load_instrument_file(path: str | Path, *, partnership_id: int | None = None) -> Instrument:
    path = Path(path)
    try:
        text = path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as error:
        raise InstrumentError(str(path), f"cannot be read: {error}") from None
    return parse_instrument(text, str(path), partnership_id=partnership_id)


def _need(data: dict, key: str, kind: type | tuple, where: str, source: str) -> Any:
    if key not in data:
        raise InstrumentError(source, f"{where} has no '{key}'")
    value = data[key]
    if not isinstance(value, kind) or isinstance(value, bool) and kind is not bool:
        raise InstrumentError(source, f"{where}: '{key}' has the wrong type")
    return value


def _build(data: Any, source: str) -> Instrument:
    if not isinstance(data, dict):
        raise InstrumentError(source, "the file must describe one instrument (a mapping)")
    code = _need(data, "code", str, "the instrument", source)
    version = _need(data, "version", int, "the instrument", source)
    if version < 1:
        raise InstrumentError(source, "version must be a whole number of 1 or more")
    title = _need(data, "title", str, "the instrument", source)
    licence = _need(data, "licence", str, "the instrument", source)

    levels: list[Level] = []
    for n, raw in enumerate(_need(data, "levels", list, "the instrument", source), 1):
        where = f"level {n}"
        if not isinstance(raw, dict):
            raise InstrumentError(source, f"{where} must be a mapping")
        actions = raw.get("actions", [])
        if not isinstance(actions, list) or not all(isinstance(a, str) for a in actions):
            raise InstrumentError(source, f"{where}: actions must be a list of text")
        levels.append(
            Level(
                value=_need(raw, "value", int, where, source),
                code=_need(raw, "code", str, where, source),
                label=_need(raw, "label", str, where, source),
                description=str(raw.get("description", "")),
                actions=actions,
            )
        )
    if not levels:
        raise InstrumentError(source, "there are no levels")
    _no_duplicates([lv.code for lv in levels], "level code", source)
    _no_duplicates([str(lv.value) for lv in levels], "level value", source)
    if [lv.value for lv in levels] != sorted(lv.value for lv in levels):
        raise InstrumentError(source, "levels must be listed from low to high")

    sections: list[Section] = []
    for n, raw in enumerate(_need(data, "sections", list, "the instrument", source), 1):
        where = f"section {n}"
        if not isinstance(raw, dict):
            raise InstrumentError(source, f"{where} must be a mapping")
        section_code = _need(raw, "code", str, where, source)
        questions = []
        for m, q in enumerate(_need(raw, "questions", list, where, source), 1):
            qwhere = f"question {m} of section '{section_code}'"
            if not isinstance(q, dict):
                raise InstrumentError(source, f"{qwhere} must be a mapping")
            qcode = _need(q, "code", str, qwhere, source)
            answer_type = _need(q, "answer_type", str, f"question '{qcode}'", source)
            if answer_type not in ANSWER_TYPES:
                raise InstrumentError(
                    source, f"question '{qcode}' has an unknown answer type '{answer_type}'"
                )
            kind = _need(q, "kind", str, f"question '{qcode}'", source)
            if kind not in KINDS:
                raise InstrumentError(source, f"question '{qcode}' has an unknown kind '{kind}'")
            scale = q.get("scale")
            if scale is not None and (not isinstance(scale, int) or isinstance(scale, bool)):
                raise InstrumentError(source, f"question '{qcode}': scale must be a whole number")
            questions.append(
                Question(
                    code=qcode,
                    text=_need(q, "text", str, f"question '{qcode}'", source),
                    help=str(q.get("help", "")),
                    answer_type=answer_type,
                    kind=kind,
                    scale=scale,
                    required=bool(q.get("required", False)),
                    section=section_code,
                    requires_when_yes=str(q.get("requires_when_yes", "")),
                    item_label=str(q.get("item_label", "")),
                )
            )
        if not questions:
            raise InstrumentError(source, f"section '{section_code}' has no questions")
        sections.append(
            Section(
                code=section_code,
                title=_need(raw, "title", str, where, source),
                description=str(raw.get("description", "")),
                questions=questions,
            )
        )
    if not sections:
        raise InstrumentError(source, "there are no sections")
    _no_duplicates([s.code for s in sections], "section code", source)
    all_questions = [q for s in sections for q in s.questions]
    _no_duplicates([q.code for q in all_questions], "question code", source)
    by_code = {q.code: q for q in all_questions}
    for q in all_questions:
        if q.requires_when_yes and q.requires_when_yes not in by_code:
            raise InstrumentError(
                source, f"question '{q.code}' requires unknown question '{q.requires_when_yes}'"
            )

    rules = _need(data, "rules", dict, "the instrument", source)
    method = _need(rules, "method", str, "rules", source)
    if method not in METHODS:
        raise InstrumentError(source, f"rules: unknown method '{method}'")
    values = {lv.value for lv in levels}
    codes = {lv.code for lv in levels}
    if method == "highest_scale":
        _check_highest_scale(rules, all_questions, by_code, values, source)
    else:
        _check_count_yes(rules, all_questions, by_code, codes, source)
    return Instrument(
        code=code,
        version=version,
        title=title,
        licence=licence,
        description=str(data.get("description", "")),
        sections=sections,
        levels=levels,
        rules=rules,
    )


def _no_duplicates(items: list[str], what: str, source: str) -> None:
    seen: set[str] = set()
    for item in items:
        if item in seen:
            raise InstrumentError(source, f"duplicate {what} '{item}'")
        seen.add(item)


def _known_question(code: Any, by_code: dict, where: str, source: str, types=None) -> Question:
    if not isinstance(code, str) or code not in by_code:
        raise InstrumentError(source, f"{where} names unknown question '{code}'")
    question = by_code[code]
    if types and question.answer_type not in types:
        raise InstrumentError(
            source, f"{where}: question '{code}' must be answered {' or '.join(types)}"
        )
    return question


def _whole(value: Any, where: str, source: str, low: int, high: int) -> int:
    if not isinstance(value, int) or isinstance(value, bool) or not low <= value <= high:
        raise InstrumentError(
            source, f"{where} is out of range: {value!r} (must be from {low} to {high})"
        )
    return value


def _check_highest_scale(rules, questions, by_code, values, source) -> None:
    if rules.get("no_indicator_level") not in values:
        raise InstrumentError(source, "rules: no_indicator_level must be one of the level values")
    for q in questions:
        if q.kind == "indicator":
            if q.scale is None:
                raise InstrumentError(source, f"indicator '{q.code}' has no scale")
            if q.scale not in values:
                raise InstrumentError(
                    source,
                    f"indicator '{q.code}': scale {q.scale} is out of range "
                    f"(levels are {sorted(values)})",
                )
    adjustments = rules.get("adjustments", [])
    if not isinstance(adjustments, list):
        raise InstrumentError(source, "rules: adjustments must be a list")
    for n, adj in enumerate(adjustments, 1):
        where = f"rules: adjustment {n}"
        if not isinstance(adj, dict) or not isinstance(adj.get("when_any_yes"), list):
            raise InstrumentError(source, f"{where} needs a list 'when_any_yes'")
        for code in adj["when_any_yes"]:
            q = _known_question(code, by_code, where, source, ("yes_no", "yes_no_dont_know"))
            if q.kind == "protective_factor":
                raise InstrumentError(
                    source, f"{where}: protective factor '{code}' cannot change the level"
                )
        if ("set_to" in adj) == ("raise_by" in adj):
            raise InstrumentError(source, f"{where} needs either 'set_to' or 'raise_by'")
        if "set_to" in adj and adj["set_to"] not in values:
            raise InstrumentError(
                source, f"{where}: set_to {adj['set_to']!r} is out of range (not a level)"
            )
        if "raise_by" in adj:
            _whole(adj["raise_by"], f"{where}: raise_by", source, 1, len(values))
            only_from = adj.get("only_from", [])
            if not isinstance(only_from, list) or any(v not in values for v in only_from):
                raise InstrumentError(source, f"{where}: only_from is out of range (not levels)")


def _check_count_yes(rules, questions, by_code, codes, source) -> None:
    counted = [q for q in questions if q.kind == "indicator"]
    if not counted:
        raise InstrumentError(source, "rules: count_yes needs indicator questions to count")
    if rules.get("default_level") not in codes:
        raise InstrumentError(source, "rules: default_level must be one of the level codes")
    bands = rules.get("bands")
    if not isinstance(bands, list) or not bands:
        raise InstrumentError(source, "rules: bands must be a non-empty list")
    previous = None
    for n, band in enumerate(bands, 1):
        where = f"rules: band {n}"
        if not isinstance(band, dict) or band.get("level") not in codes:
            raise InstrumentError(source, f"{where} names an unknown level")
        minimum = _whole(band.get("min_yes"), f"{where}: min_yes", source, 1, len(counted))
        if previous is not None and minimum >= previous:
            raise InstrumentError(source, "rules: bands must be listed from the highest min_yes")
        previous = minimum
    marac = rules.get("marac", {})
    if not isinstance(marac, dict):
        raise InstrumentError(source, "rules: marac must be a mapping")
    unknown = set(marac) - {
        "visible_high_risk",
        "professional_judgement",
        "potential_escalation",
        "repeat",
        "action",
    }
    if unknown:
        raise InstrumentError(source, f"rules: unknown MARAC criteria {sorted(unknown)}")
    if "visible_high_risk" in marac:
        _whole(
            marac["visible_high_risk"].get("min_yes"),
            "rules: marac visible_high_risk min_yes",
            source,
            1,
            len(counted),
        )
    if "professional_judgement" in marac:
        pj = marac["professional_judgement"]
        where = "rules: marac professional_judgement"
        _known_question(pj.get("question"), by_code, where, source, ("yes_no",))
        _known_question(pj.get("reasons_question"), by_code, where, source, ("text",))
    if "potential_escalation" in marac:
        pe = marac["potential_escalation"]
        where = "rules: marac potential_escalation"
        _known_question(pe.get("question"), by_code, where, source, ("date_list",))
        _whole(pe.get("min_incidents"), f"{where} min_incidents", source, 1, 100)
        _whole(pe.get("months"), f"{where} months", source, 1, 120)
    if "repeat" in marac:
        rp = marac["repeat"]
        where = "rules: marac repeat"
        _known_question(rp.get("question"), by_code, where, source, ("date",))
        _known_question(rp.get("incident_question"), by_code, where, source, ("date",))
        _whole(rp.get("months"), f"{where} months", source, 1, 120)
    prompt = rules.get("children_prompt")
    if prompt is not None:
        where = "rules: children_prompt"
        _known_question(prompt.get("question"), by_code, where, source, ("yes_no",))
        if not isinstance(prompt.get("instrument"), str) or not isinstance(
            prompt.get("action"), str
        ):
            raise InstrumentError(source, f"{where} needs 'instrument' and 'action'")
