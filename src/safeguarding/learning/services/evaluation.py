"""Writes for evaluations: the default questionnaires, a person's answers, and the invitations
sent after the session and 6 to 8 weeks later."""

from __future__ import annotations

import datetime
import re

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.mail import EmailMessage
from django.db import transaction
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone

from safeguarding.core import audit
from safeguarding.learning.models import Booking, EvaluationResponse, Questionnaire, Session
from safeguarding.learning.selectors import evaluation as selectors
from safeguarding.learning.services.records import certificate_issue_if_due

KINDS = ("rating", "text")
TEXT_MAX_LENGTH = 5000
_CODE = re.compile(r"^[a-z][a-z0-9_]{0,49}$")

DEFAULT_QUESTIONNAIRES: dict[str, dict] = {
    Questionnaire.Stage.IMMEDIATE: {
        "name": "Evaluation straight after the session",
        "questions": [
            {
                "code": "overall",
                "text": "Overall, how would you rate the session?",
                "kind": "rating",
                "required": True,
                "scale": "quality",
            },
            {
                "code": "trainer_knowledge",
                "text": "How would you rate the trainer's knowledge of the subject?",
                "kind": "rating",
                "required": True,
                "scale": "quality",
            },
            {
                "code": "relevance",
                "text": "How relevant was the session to your role?",
                "kind": "rating",
                "required": True,
                "scale": "extent",
            },
            {
                "code": "confidence_before",
                "text": "Before the session, how confident did you feel about the subject?",
                "kind": "rating",
                "required": True,
                "scale": "confidence",
            },
            {
                "code": "confidence_after",
                "text": "After the session, how confident do you feel about the subject?",
                "kind": "rating",
                "required": True,
                "scale": "confidence",
            },
            {
                "code": "will_do_differently",
                "text": "What will you do differently in your work because of this session?",
                "kind": "text",
                "required": False,
            },
            {
                "code": "improve",
                "text": "Is there anything we could improve?",
                "kind": "text",
                "required": False,
            },
        ],
    },
    Questionnaire.Stage.FOLLOW_UP: {
        "name": "Follow-up on impact on practice",
        "questions": [
            {
                "code": "used_learning",
                "text": "How much have you used what you learnt in your work since the session?",
                "kind": "rating",
                "required": True,
                "scale": "extent",
            },
            {
                "code": "practice_example",
                "text": "Give an example of something you now do differently in your practice.",
                "kind": "text",
                "required": False,
            },
            {
                "code": "multi_agency",
                "text": "Has the session changed how you work with other agencies?",
                "kind": "rating",
                "required": True,
                "scale": "extent",
            },
            {
                "code": "barriers",
                "text": "What, if anything, has got in the way of using what you learnt?",
                "kind": "text",
                "required": False,
            },
        ],
    },
}


# Questionnaires -------------------------------------------------------------------------------


def questionnaire_validate(questions) -> list[dict]:
    """Check a questionnaire's question list and return it tidied (text stripped, `required`
    defaulting to True). Raises ValidationError listing every problem, each naming the question.

    Each question is {"code", "text", "kind": "rating"|"text", "required": bool}, optionally with
    "scale": one of selectors.RATING_SCALES for a rating question.
    """
    if not isinstance(questions, list) or not questions:
        raise ValidationError("A questionnaire needs a list of at least one question.")
    problems: list[str] = []
    seen: set[str] = set()
    tidy: list[dict] = []
    for number, question in enumerate(questions, start=1):
        where = f"Question {number}"
        if not isinstance(question, dict):
            problems.append(f"{where} must be an object with a code, text and kind.")
            continue
        code = question.get("code")
        if not isinstance(code, str) or not _CODE.match(code):
            problems.append(
                f"{where} needs a code of lower-case letters, digits and underscores, "
                "starting with a letter (at most 50 characters)."
            )
        elif code in seen:
            problems.append(f"{where} uses the code “{code}” again: each code must be unique.")
        else:
            seen.add(code)
        text = question.get("text")
        if not isinstance(text, str) or not text.strip():
            problems.append(f"{where} needs the question's wording as text.")
        kind = question.get("kind")
        if kind not in KINDS:
            problems.append(f"{where} has kind “{kind}”: it must be “rating” or “text”.")
        required = question.get("required", True)
        if not isinstance(required, bool):
            problems.append(f"{where}: “required” must be true or false.")
        scale = question.get("scale")
        if scale is not None and (kind != "rating" or scale not in selectors.RATING_SCALES):
            known = ", ".join(f"“{name}”" for name in selectors.RATING_SCALES)
            problems.append(f"{where}: “scale” is for rating questions and must be one of {known}.")
        unknown = set(question) - {"code", "text", "kind", "required", "scale"}
        if unknown:
            problems.append(f"{where} has unknown keys: {', '.join(sorted(unknown))}.")
        if not problems:
            cleaned = {"code": code, "text": text.strip(), "kind": kind, "required": required}
            if scale is not None:
                cleaned["scale"] = scale
            tidy.append(cleaned)
    if problems:
        raise ValidationError(problems)
    return tidy


@transaction.atomic
def ensure_default_questionnaires(partnership, *, actor=None) -> dict[str, Questionnaire]:
    """Create the partnership's default immediate and follow-up questionnaires if it has none for
    that stage. Idempotent: returns the default questionnaire for each stage either way."""
    result = {}
    for stage, default in DEFAULT_QUESTIONNAIRES.items():
        existing = selectors.default_questionnaire(partnership, stage)
        if existing is not None:
            result[str(stage)] = existing
            continue
        questionnaire = Questionnaire.objects.create(
            partnership=partnership,
            name=default["name"],
            stage=stage,
            questions=questionnaire_validate(default["questions"]),
            is_default=True,
        )
        audit.record(
            action="learning.questionnaire.created",
            obj=questionnaire,
            actor=actor,
            changes={"stage": stage, "questions": len(questionnaire.questions)},
        )
        result[str(stage)] = questionnaire
    return result


def questionnaire_for(*, partnership, stage: str) -> Questionnaire:
    """The questionnaire to use for a stage, creating the defaults on first use."""
    return (
        selectors.default_questionnaire(partnership, stage)
        or ensure_default_questionnaires(partnership)[stage]
    )


# Answers --------------------------------------------------------------------------------------


def required_message(question: dict) -> str:
    if question["kind"] == "rating":
        return f"Select an answer to “{question['text']}”"
    return f"Enter an answer to “{question['text']}”"


def invalid_rating_message(question: dict) -> str:
    # "Select … for …" reads like SQL to ruff's S608; it is a GOV.UK error message.
    return f"Select a rating from 1 to 5 for “{question['text']}”"  # noqa: S608


def answers_clean(questionnaire: Questionnaire, answers: dict) -> dict:
    """Answers keyed by question code: ratings as whole numbers 1 to 5, text stripped; blank
    optional answers left out. Raises ValidationError keyed by question code."""
    errors: dict[str, str] = {}
    clean: dict = {}
    for question in questionnaire.questions:
        code = question["code"]
        value = answers.get(code)
        if isinstance(value, str):
            value = value.strip()
        if value in (None, ""):
            if question.get("required", True):
                errors[code] = required_message(question)
            continue
        if question["kind"] == "rating":
            try:
                number = int(value)
            except (TypeError, ValueError):
                number = 0
            if not 1 <= number <= 5 or isinstance(value, bool):
                errors[code] = invalid_rating_message(question)
                continue
            clean[code] = number
        else:
            text = str(value)
            if len(text) > TEXT_MAX_LENGTH:
                errors[code] = (
                    f"Your answer to “{question['text']}” must be "
                    f"{TEXT_MAX_LENGTH:,} characters or fewer"
                )
                continue
            clean[code] = text
    if errors:
        raise ValidationError(errors)
    return clean


def evaluation_is_open(booking: Booking, stage: str, now=None) -> tuple[bool, str]:
    """(open?, reason) for the booking's person to answer this stage now."""
    if booking.attendance != Booking.Attendance.ATTENDED:
        return False, "not_attended"
    if stage == Questionnaire.Stage.FOLLOW_UP and not selectors.follow_up_is_open(
        booking.session, now
    ):
        return False, "follow_up_not_open"
    return True, ""


@transaction.atomic
def evaluation_submit(*, booking: Booking, stage: str, answers: dict, actor) -> EvaluationResponse:
    """Save the person's evaluation of their session at `stage` (immediate or follow_up)."""
    if stage not in selectors.STAGES:
        raise ValidationError(f"Unknown evaluation stage “{stage}”.")
    # Lock the booking: a double-click must not send two evaluations.
    booking = (
        Booking.objects.select_for_update()
        .select_related("session__course__partnership", "person")
        .get(pk=booking.pk)
    )
    if getattr(actor, "pk", None) != booking.person_id:
        raise PermissionDenied("Only the person who attended can evaluate their session.")
    is_open, reason = evaluation_is_open(booking, stage)
    if reason == "not_attended":
        raise ValidationError("The evaluation opens once your attendance has been recorded.")
    if not is_open:
        opens = timezone.localtime(selectors.follow_up_opens_at(booking.session))
        raise ValidationError(
            f"The follow-up evaluation opens on {opens:%A} {opens.day} {opens:%B %Y}."
        )
    if EvaluationResponse.objects.filter(booking=booking, stage=stage).exists():
        raise ValidationError("You have already sent this evaluation.")
    questionnaire = questionnaire_for(partnership=booking.session.course.partnership, stage=stage)
    response = EvaluationResponse.objects.create(
        booking=booking,
        questionnaire=questionnaire,
        stage=stage,
        answers=answers_clean(questionnaire, answers),
    )
    audit.record(
        action="learning.evaluation.submitted",
        obj=response,
        actor=actor,
        changes={"stage": stage, "questionnaire": questionnaire, "session": booking.session},
    )
    if stage == Questionnaire.Stage.IMMEDIATE:
        certificate_issue_if_due(booking=booking, actor=actor)
    return response


# Invitations ----------------------------------------------------------------------------------


def _send_invitation(booking: Booking, stage: str) -> None:
    session = booking.session
    template = f"learning/email/evaluation_{stage}.txt"
    subject = (
        f"How was your training? {session.course.title}"
        if stage == Questionnaire.Stage.IMMEDIATE
        else f"Has your training made a difference? {session.course.title}"
    )
    context = {
        "booking": booking,
        "session": session,
        "url": settings.SITE_URL + reverse("learning:evaluate", args=[booking.pk, stage]),
        "partnership_name": settings.PARTNERSHIP_NAME,
        "site_url": settings.SITE_URL,
    }
    EmailMessage(
        subject=subject, body=render_to_string(template, context), to=[booking.person.email]
    ).send()


@transaction.atomic
def evaluation_invitations_send(
    *, session: Session, stage: str, actor=None, now: datetime.datetime | None = None
) -> int:
    """E-mail the session's attendees a link to their evaluation at `stage`, once per session:
    the session's evaluation_sent_at (immediate) or follow_up_sent_at (follow-up) records that it
    was done. Returns the number of e-mails sent (0 if it had been done already)."""
    field = {
        Questionnaire.Stage.IMMEDIATE: "evaluation_sent_at",
        Questionnaire.Stage.FOLLOW_UP: "follow_up_sent_at",
    }.get(stage)
    if field is None:
        raise ValueError(f"Unknown evaluation stage {stage!r}")
    session = Session.objects.select_for_update().select_related("course").get(pk=session.pk)
    if getattr(session, field) is not None:
        return 0
    bookings = list(selectors.attendees_to_invite(session, stage))
    setattr(session, field, now or timezone.now())
    session.save(update_fields=[field])
    audit.record(
        action="learning.evaluation.invitations_sent",
        obj=session,
        actor=actor,
        changes={"stage": stage, "people": len(bookings)},
    )
    for booking in bookings:
        booking.session = session
        transaction.on_commit(lambda booking=booking: _send_invitation(booking, stage))
    return len(bookings)
