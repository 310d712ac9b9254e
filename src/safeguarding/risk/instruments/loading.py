"""Loading an instrument: read a YAML or JSON file and validate it completely (every reference,
every threshold, every rule method's shape) before the engine may evaluate with it."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import yaml

from safeguarding.risk.instruments.engine import (
    ANSWER_TYPES,
    KINDS,
    METHODS,
    Instrument,
    InstrumentError,
    Level,
    Question,
    Section,
)


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
