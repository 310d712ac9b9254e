"""Writes of identifications: start, answer, confirm, countersign or return.

Every function is keyword-only, atomic and records an audit entry; it raises ValidationError
(with field names where it can) and leaves nothing half-saved. Access (who may call which) is
checked by the views through risk.access; services check the rules of the record itself.
"""

from __future__ import annotations

import datetime

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.mail import EmailMessage
from django.db import transaction
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone

from safeguarding.core.audit import record
from safeguarding.risk.access import agencies_using_tool
from safeguarding.risk.instruments import (
    AnswerError,
    InstrumentError,
    get_instrument,
)
from safeguarding.risk.models import (
    Household,
    HouseholdMember,
    Identification,
    Review,
)
from safeguarding.risk.models.identification import DEFAULT_REVIEW_WEEKS
from safeguarding.risk.selectors.identifications import evaluate, instrument_for
from safeguarding.risk.services.reviews import review_set

MATRIX = "children-da-matrix"
DASH = "dash-2009"


def _prefill(instrument, household: Household, children: list[HouseholdMember], today) -> dict:
    """Modifier answers the household already tells us (the practitioner can change them)."""
    answers: dict[str, str] = {}
    if instrument.code == MATRIX:
        ages = [c.age_on(today) for c in children if c.role == HouseholdMember.Role.CHILD]
        if any(age is not None and age < 7 for age in ages):
            answers["child_under_7"] = "yes"
        if any(c.role == HouseholdMember.Role.UNBORN for c in children) or any(
            age is not None and age < 1 for age in ages
        ):
            answers["pregnancy_or_baby_under_1"] = "yes"
    if (
        instrument.code == DASH
        and household.members.filter(
            role__in=[HouseholdMember.Role.CHILD, HouseholdMember.Role.UNBORN]
        ).exists()
    ):
        answers["children_in_household"] = "yes"
    known = {q.code for q in instrument.questions}
    return {k: v for k, v in answers.items() if k in known}


@transaction.atomic
def identification_start(
    *,
    household: Household,
    instrument_code: str,
    actor,
    subject: HouseholdMember | None = None,
    children: list[HouseholdMember] | tuple = (),
    assessed_on: datetime.date | None = None,
) -> Identification:
    """A new identification, in progress, made with the newest version of the instrument for
    the household's partnership."""
    if household.agency_id not in agencies_using_tool(actor):
        raise ValidationError("You can only start identifications for your own agency.")
    try:
        instrument = get_instrument(instrument_code, partnership=household.agency.partnership)
    except InstrumentError:
        raise ValidationError({"instrument": "Choose a risk identification tool."}) from None
    children = list(children)
    for person in [subject, *children]:
        if person is not None and person.household_id != household.pk:
            raise ValidationError("Choose people from this household.")
    if instrument.code == DASH and (subject is None or subject.is_child):
        raise ValidationError({"subject": "Choose the adult experiencing abuse."})
    if instrument.code == MATRIX and (not children or not all(c.is_child for c in children)):
        raise ValidationError({"children": "Choose the children this identification is about."})
    today = assessed_on or timezone.localdate()
    identification = Identification.objects.create(
        household=household,
        agency=household.agency,
        author=actor,
        instrument_code=instrument.code,
        instrument_version=instrument.version,
        subject=subject,
        assessed_on=today,
        answers=_prefill(instrument, household, children, today),
    )
    identification.children.set(children)
    record(
        action="risk.identification.started",
        obj=identification,
        actor=actor,
        changes={"instrument": instrument.code, "version": instrument.version},
    )
    return identification


def _in_progress(identification: Identification) -> None:
    if identification.status != Identification.Status.IN_PROGRESS:
        raise ValidationError("This identification is complete: its answers cannot be changed.")


@transaction.atomic
def identification_answers_save(
    *,
    identification: Identification,
    answers: dict,
    notes: dict | None = None,
    actor,
) -> Identification:
    """Save some answers (one section's): checked, merged into those already given."""
    identification = Identification.objects.select_for_update().get(pk=identification.pk)
    _in_progress(identification)
    instrument = instrument_for(identification)
    try:
        cleaned = instrument.clean_answers(answers, partial=True)
    except AnswerError as error:
        raise ValidationError(error.errors) from None
    merged = dict(identification.answers)
    for code in answers:
        merged.pop(code, None)
    merged.update(cleaned)
    before = identification.answers
    identification.answers = merged
    if notes is not None:
        all_notes = dict(identification.answer_notes)
        for code, note in notes.items():
            if code not in {q.code for q in instrument.questions}:
                raise ValidationError({code: f"There is no question '{code}'."})
            note = {k: str(v).strip()[:500] for k, v in note.items() if str(v).strip()}
            if note:
                all_notes[code] = note
            else:
                all_notes.pop(code, None)
        identification.answer_notes = all_notes
    identification.save(update_fields=["answers", "answer_notes", "updated_at"])
    changed = sorted(k for k in set(before) | set(merged) if before.get(k) != merged.get(k))
    record(
        action="risk.identification.answered",
        obj=identification,
        actor=actor,
        changes={"questions": changed},
    )
    return identification


def evaluation_as_data(evaluation) -> dict:
    return {
        "reasons": [
            {"question": r.question_code, "text": r.text, "effect": r.effect}
            for r in evaluation.reasons
        ],
        "actions": list(evaluation.actions),
        "information_gaps": list(evaluation.information_gaps),
        "details": evaluation.details,
    }


@transaction.atomic
def identification_confirm(
    *, identification: Identification, level: int, rationale: str, actor
) -> Identification:
    """Confirm the suggested level, or choose another with a written rationale.

    - Any departure from the suggested level needs a rationale.
    - Children's matrix: a level below the suggestion waits for the line manager's (or the
      safeguarding lead's) countersignature before it is complete.
    - DASH: visible high risk can never be lowered.
    A completed identification gets its first review, 8 weeks on.
    """
    identification = Identification.objects.select_for_update().get(pk=identification.pk)
    _in_progress(identification)
    instrument = instrument_for(identification)
    try:
        result = evaluate(identification)
    except AnswerError as error:
        raise ValidationError(
            "Some questions are not answered yet: "
            + ", ".join(
                instrument.question(code).text for code in error.errors if code != "answers"
            )
        ) from None
    try:
        chosen = instrument.level(int(level))
    except (KeyError, ValueError, TypeError):
        raise ValidationError({"level": "Choose a level."}) from None
    rationale = (rationale or "").strip()
    suggested = result.level
    if chosen.value != suggested.value and not rationale:
        raise ValidationError(
            {"rationale": "Explain why the level differs from the suggested level."}
        )
    if chosen.value < suggested.value and "visible_high_risk" in result.marac_criteria:
        raise ValidationError(
            {"level": "Visible high risk (14 or more yes answers) cannot be lowered."}
        )
    identification.suggested_level = suggested.value
    identification.suggested_label = suggested.label
    identification.confirmed_level = chosen.value
    identification.confirmed_label = chosen.label
    identification.rationale = rationale
    identification.evaluation = evaluation_as_data(result)
    lowered_matrix = instrument.method == "highest_scale" and chosen.value < suggested.value
    if lowered_matrix:
        identification.status = Identification.Status.AWAITING_COUNTERSIGNATURE
    else:
        identification.status = Identification.Status.COMPLETED
        identification.completed_at = timezone.now()
    identification.save()
    record(
        action="risk.identification.confirmed",
        obj=identification,
        actor=actor,
        changes={
            "suggested": suggested.code,
            "confirmed": chosen.code,
            "rationale": bool(rationale),
            "status": identification.status,
        },
    )
    if identification.is_completed:
        _first_review(identification, actor)
    else:
        transaction.on_commit(lambda: _countersignature_requested(identification))
    return identification


def _first_review(identification: Identification, actor) -> Review:
    return review_set(
        identification=identification,
        due_on=identification.assessed_on + datetime.timedelta(weeks=DEFAULT_REVIEW_WEEKS),
        reason=Review.Reason.SCHEDULED,
        actor=actor,
    )


@transaction.atomic
def identification_countersign(*, identification: Identification, actor) -> Identification:
    identification = Identification.objects.select_for_update().get(pk=identification.pk)
    if identification.status != Identification.Status.AWAITING_COUNTERSIGNATURE:
        raise ValidationError("This identification is not waiting for a countersignature.")
    if actor.pk == identification.author_id:
        raise ValidationError("Someone other than the author must countersign.")
    identification.status = Identification.Status.COMPLETED
    identification.countersigned_by = actor
    identification.countersigned_at = timezone.now()
    identification.completed_at = identification.countersigned_at
    identification.save()
    record(action="risk.identification.countersigned", obj=identification, actor=actor)
    _first_review(identification, actor)
    return identification


@transaction.atomic
def identification_return(*, identification: Identification, note: str, actor) -> Identification:
    """The countersigner does not agree: the author reconsiders the level."""
    identification = Identification.objects.select_for_update().get(pk=identification.pk)
    if identification.status != Identification.Status.AWAITING_COUNTERSIGNATURE:
        raise ValidationError("This identification is not waiting for a countersignature.")
    if not note.strip():
        raise ValidationError({"note": "Say why you are not countersigning."})
    identification.status = Identification.Status.IN_PROGRESS
    identification.save(update_fields=["status", "updated_at"])
    record(
        action="risk.identification.returned",
        obj=identification,
        actor=actor,
        changes={"note": note.strip()},
    )
    return identification


def _countersignature_requested(identification: Identification) -> None:
    from safeguarding.people.models import Membership

    managers = Membership.objects.filter(
        user_id=identification.author_id, agency_id=identification.agency_id
    ).values_list("line_manager__email", flat=True)
    to = [email for email in managers if email]
    if not to:
        return
    context = {
        "identification": identification,
        "url": settings.SITE_URL + reverse("risk:identification-detail", args=[identification.pk]),
        "partnership_name": settings.PARTNERSHIP_NAME,
    }
    EmailMessage(
        subject=f"Risk identification {identification.reference}: please countersign",
        body=render_to_string("risk/email/countersign.txt", context),
        to=to,
    ).send()
