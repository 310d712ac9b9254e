"""Reads of identifications, always through risk.access scoping."""

from __future__ import annotations

from django.db.models import Q, QuerySet

from safeguarding.risk.access import identifications_visible_to, lead_agencies
from safeguarding.risk.instruments import get_instrument
from safeguarding.risk.models import Identification


def identification_lists(user) -> dict[str, QuerySet[Identification]]:
    visible = identifications_visible_to(user).select_related("household", "agency", "author")
    return {
        "mine": visible.filter(author=user),
        "to_countersign": visible.filter(
            status=Identification.Status.AWAITING_COUNTERSIGNATURE
        ).exclude(author=user),
        "team": visible.exclude(author=user)
        .filter(Q(author__memberships__line_manager=user) | Q(agency_id__in=lead_agencies(user)))
        .distinct(),
        "shared": visible.exclude(agency__memberships__user=user).distinct(),
    }


def answer_rows(instrument, identification: Identification) -> list[dict]:
    """The answers by section, as the check-answers page, the record and the summary show them:
    tick-box questions (indicators, protective factors) only when ticked."""
    from safeguarding.risk.forms import SOURCES

    sources = dict(SOURCES)
    rows = []
    for section in instrument.sections:
        items = []
        for q in section.questions:
            value = identification.answers.get(q.code)
            is_tick = q.answer_type == "yes_no" and q.kind in ("indicator", "protective_factor")
            if is_tick and value != "yes":
                continue
            note = identification.answer_notes.get(q.code, {})
            items.append(
                {
                    "question": q,
                    "answer": q.display(value),
                    "source": sources.get(note.get("source", ""), "") if note.get("source") else "",
                    "comment": note.get("comment", ""),
                }
            )
        rows.append({"section": section, "items": items})
    return rows


def instrument_for(identification: Identification):
    """The instrument version the identification was made with."""
    return get_instrument(
        identification.instrument_code,
        version=identification.instrument_version,
        partnership=identification.agency.partnership,
    )


def evaluate(identification: Identification):
    """The engine's result for the answers so far (raises AnswerError if some are missing)."""
    instrument = instrument_for(identification)
    instrument.clean_answers(identification.answers)
    return instrument.evaluate(identification.answers, {"assessed_on": identification.assessed_on})
