"""Writes for calibration: vignettes and their expert answers, exercises, participants, ratings.

Every function is atomic and records an audit entry. Problems a person can fix are raised as
ValidationError, keyed by form field where there is one, and nothing is saved.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone

from safeguarding.core import audit
from safeguarding.learning.selectors import public as learning_public
from safeguarding.people.models import Membership, Role
from safeguarding.risk.instruments import AnswerError, Instrument, InstrumentError, get_instrument
from safeguarding.risk.models import CalibrationExercise, Rating, Vignette

RATIONALE_NEEDED = (
    "Give your reasons for choosing a different level from the one the tool suggested"
)


def instrument_of(vignette: Vignette) -> Instrument:
    return get_instrument(
        vignette.instrument_code,
        version=vignette.instrument_version,
        partnership=vignette.partnership,
    )


def _answer_errors(error: AnswerError) -> ValidationError:
    return ValidationError(
        {
            f"q_{code}" if code != "answers" else "__all__": msgs
            for code, msgs in error.errors.items()
        }
    )


def _clean_answers(inst: Instrument, answers: dict[str, Any]) -> dict[str, Any]:
    try:
        return inst.clean_answers(answers)
    except AnswerError as error:
        raise _answer_errors(error) from None


def _level_value(inst: Instrument, level: Any, field: str) -> int:
    try:
        return inst.level(int(level)).value
    except (KeyError, TypeError, ValueError):
        raise ValidationError({field: "Choose one of the instrument's levels"}) from None


def suggest(inst: Instrument, answers: dict[str, Any]) -> tuple[dict[str, Any], Any]:
    """The answers cleaned (all required questions answered) and the engine's evaluation."""
    cleaned = _clean_answers(inst, answers)
    return cleaned, inst.evaluate(cleaned)


# Vignettes -------------------------------------------------------------------------------------


@transaction.atomic
def vignette_create(
    *, partnership, instrument_code: str, instrument_version: int, title: str, story: str, actor
) -> Vignette:
    try:
        inst = get_instrument(instrument_code, version=instrument_version, partnership=partnership)
    except InstrumentError:
        raise ValidationError({"instrument": "Choose an instrument"}) from None
    if Vignette.objects.filter(partnership=partnership, title__iexact=title.strip()).exists():
        raise ValidationError({"title": "There is already a vignette with this title"})
    vignette = Vignette(
        partnership=partnership,
        instrument_code=inst.code,
        instrument_version=inst.version,
        title=title.strip(),
        story=story.strip(),
        author=actor,
    )
    vignette.full_clean()
    vignette.save()
    audit.record(
        action="risk.vignette.created",
        obj=vignette,
        actor=actor,
        changes={"instrument": f"{inst.code} v{inst.version}", "title": vignette.title},
    )
    return vignette


def _ensure_editable(vignette: Vignette) -> None:
    if vignette.ratings.exists():
        raise ValidationError(
            "This vignette has been rated, so it can no longer change: "
            "copy it into a new vignette instead"
        )


@transaction.atomic
def vignette_update(*, vignette: Vignette, title: str, story: str, actor) -> Vignette:
    vignette = Vignette.objects.select_for_update().get(pk=vignette.pk)
    _ensure_editable(vignette)
    title = title.strip()
    clash = Vignette.objects.filter(partnership=vignette.partnership, title__iexact=title)
    if clash.exclude(pk=vignette.pk).exists():
        raise ValidationError({"title": "There is already a vignette with this title"})
    before = audit.snapshot(vignette, ["title", "story"])
    vignette.title, vignette.story = title, story.strip()
    vignette.full_clean()
    vignette.save(update_fields=["title", "story", "updated_at"])
    changes = audit.diff(before, audit.snapshot(vignette, ["title", "story"]))
    if changes:
        audit.record(action="risk.vignette.updated", obj=vignette, actor=actor, changes=changes)
    return vignette


@transaction.atomic
def vignette_set_expert(
    *, vignette: Vignette, answers: dict[str, Any], level: int, rationale: str, actor
) -> Vignette:
    """The expert's answers, level and rationale (the rationale is what raters learn from)."""
    vignette = Vignette.objects.select_for_update().get(pk=vignette.pk)
    _ensure_editable(vignette)
    inst = instrument_of(vignette)
    cleaned, evaluation = suggest(inst, answers)
    value = _level_value(inst, level, "level")
    if not rationale.strip():
        raise ValidationError({"rationale": "Explain why this is the right level for the family"})
    before = audit.snapshot(vignette, ["expert_answers", "expert_level", "expert_rationale"])
    vignette.expert_answers = cleaned
    vignette.expert_level = value
    vignette.expert_rationale = rationale.strip()
    vignette.save(
        update_fields=["expert_answers", "expert_level", "expert_rationale", "updated_at"]
    )
    changes = audit.diff(before, audit.snapshot(vignette, ["expert_level", "expert_rationale"]))
    changes["suggested_level"] = evaluation.level.value if evaluation.level else None
    if before["expert_answers"] != cleaned:
        changes["expert_answers"] = "changed"
    audit.record(action="risk.vignette.expert_set", obj=vignette, actor=actor, changes=changes)
    return vignette


@transaction.atomic
def vignette_publish(*, vignette: Vignette, actor) -> Vignette:
    vignette = Vignette.objects.select_for_update().get(pk=vignette.pk)
    if vignette.expert_level is None:
        raise ValidationError("Give the expert's answers and level before publishing")
    if vignette.published_at is None:
        vignette.published_at = timezone.now()
        vignette.save(update_fields=["published_at", "updated_at"])
        audit.record(action="risk.vignette.published", obj=vignette, actor=actor)
    return vignette


# Exercises -------------------------------------------------------------------------------------


def _check_exercise_links(partnership, instrument_code, session, meeting, vignettes) -> None:
    errors: dict[str, str] = {}
    if session is not None and session.course.partnership_id != partnership.pk:
        errors["session"] = "Choose one of the partnership's training sessions"
    if meeting is not None and meeting.group.locality.partnership_id != partnership.pk:
        errors["meeting"] = "Choose one of the partnership's practice group meetings"
    wrong = [
        v.title
        for v in vignettes
        if v.partnership_id != partnership.pk
        or not v.is_published
        or v.instrument_code != instrument_code
    ]
    if wrong:
        errors["vignettes"] = (
            "Choose published vignettes written for this instrument "
            f"(not {', '.join(sorted(wrong))})"
        )
    if errors:
        raise ValidationError(errors)


@transaction.atomic
def exercise_create(
    *,
    partnership,
    title: str,
    held_on,
    instrument_code: str,
    vignettes: Iterable[Vignette],
    session=None,
    meeting=None,
    actor,
) -> CalibrationExercise:
    vignettes = list(vignettes)
    _check_exercise_links(partnership, instrument_code, session, meeting, vignettes)
    exercise = CalibrationExercise(
        partnership=partnership,
        title=title.strip(),
        held_on=held_on,
        instrument_code=instrument_code,
        session=session,
        meeting=meeting,
        created_by=actor,
    )
    exercise.full_clean()
    exercise.save()
    exercise.vignettes.set(vignettes)
    audit.record(
        action="risk.calibration_exercise.created",
        obj=exercise,
        actor=actor,
        changes={
            "title": exercise.title,
            "held_on": held_on,
            "instrument": instrument_code,
            "session": session,
            "meeting": meeting,
            "vignettes": sorted(v.title for v in vignettes),
        },
    )
    return exercise


@transaction.atomic
def exercise_update(
    *,
    exercise: CalibrationExercise,
    title: str,
    held_on,
    vignettes: Iterable[Vignette],
    session=None,
    meeting=None,
    actor,
) -> CalibrationExercise:
    """Change an exercise. Its vignettes can change only before anyone has rated."""
    exercise = CalibrationExercise.objects.select_for_update().get(pk=exercise.pk)
    vignettes = list(vignettes)
    _check_exercise_links(
        exercise.partnership, exercise.instrument_code, session, meeting, vignettes
    )
    before_vignettes = sorted(v.title for v in exercise.vignettes.all())
    after_vignettes = sorted(v.title for v in vignettes)
    if before_vignettes != after_vignettes and exercise.ratings.exists():
        raise ValidationError(
            {"vignettes": "People have already rated this exercise: its vignettes cannot change"}
        )
    fields = ["title", "held_on", "session", "meeting"]
    before = audit.snapshot(exercise, fields)
    exercise.title, exercise.held_on = title.strip(), held_on
    exercise.session, exercise.meeting = session, meeting
    exercise.full_clean()
    exercise.save(update_fields=fields)
    exercise.vignettes.set(vignettes)
    changes = audit.diff(before, audit.snapshot(exercise, fields))
    if before_vignettes != after_vignettes:
        changes["vignettes"] = [before_vignettes, after_vignettes]
    if changes:
        audit.record(
            action="risk.calibration_exercise.updated", obj=exercise, actor=actor, changes=changes
        )
    return exercise


def _partnership_people(exercise: CalibrationExercise):
    from safeguarding.people.models import User

    return User.objects.filter(
        is_active=True, memberships__agency__partnership_id=exercise.partnership_id
    ).distinct()


@transaction.atomic
def exercise_participants_add(*, exercise: CalibrationExercise, people: Iterable, actor) -> list:
    """Add people to the exercise (people outside the partnership are refused)."""
    people = list(people)
    allowed = set(
        _partnership_people(exercise)
        .filter(pk__in=[p.pk for p in people])
        .values_list("pk", flat=True)
    )
    outsiders = [p for p in people if p.pk not in allowed]
    if outsiders:
        raise ValidationError(
            {"emails": f"Not in this partnership: {', '.join(p.email for p in outsiders)}"}
        )
    existing = set(exercise.participants.values_list("pk", flat=True))
    added = [p for p in people if p.pk not in existing]
    if added:
        exercise.participants.add(*added)
        audit.record(
            action="risk.calibration_exercise.participants_added",
            obj=exercise,
            actor=actor,
            changes={"added": sorted(p.email for p in added)},
        )
    return added


def event_attendees(exercise: CalibrationExercise) -> list:
    """People booked on (or attending) the linked session, and at the linked meeting."""
    ids = learning_public.people_booked_or_attending(
        session_id=exercise.session_id, meeting_id=exercise.meeting_id
    )
    return list(_partnership_people(exercise).filter(pk__in=ids).order_by("email"))


@transaction.atomic
def exercise_participant_remove(*, exercise: CalibrationExercise, person, actor) -> None:
    if exercise.ratings.filter(rater=person).exists():
        raise ValidationError(f"{person} has rated vignettes in this exercise: they stay in it")
    exercise.participants.remove(person)
    audit.record(
        action="risk.calibration_exercise.participant_removed",
        obj=exercise,
        actor=actor,
        changes={"removed": person.email},
    )


@transaction.atomic
def exercise_open(*, exercise: CalibrationExercise, actor) -> CalibrationExercise:
    exercise = CalibrationExercise.objects.select_for_update().get(pk=exercise.pk)
    if exercise.status != CalibrationExercise.Status.DRAFT:
        raise ValidationError("This exercise has already been opened")
    if not exercise.vignettes.exists():
        raise ValidationError("Choose at least one vignette before opening the exercise")
    exercise.status = CalibrationExercise.Status.OPEN
    exercise.opened_at = timezone.now()
    exercise.save(update_fields=["status", "opened_at"])
    audit.record(action="risk.calibration_exercise.opened", obj=exercise, actor=actor)
    return exercise


@transaction.atomic
def exercise_close(*, exercise: CalibrationExercise, actor) -> CalibrationExercise:
    """Close for ratings. Raters can then see the expert's answers beside their own."""
    exercise = CalibrationExercise.objects.select_for_update().get(pk=exercise.pk)
    if exercise.status != CalibrationExercise.Status.OPEN:
        raise ValidationError("Only an open exercise can be closed")
    exercise.status = CalibrationExercise.Status.CLOSED
    exercise.closed_at = timezone.now()
    exercise.save(update_fields=["status", "closed_at"])
    audit.record(
        action="risk.calibration_exercise.closed",
        obj=exercise,
        actor=actor,
        changes={"ratings": exercise.ratings.count()},
    )
    return exercise


# Ratings ---------------------------------------------------------------------------------------


def rater_membership(rater) -> Membership | None:
    """The membership a rating is credited to: the rater's practitioner role first, else their
    oldest membership."""
    memberships = Membership.objects.filter(user=rater).select_related("agency")
    return (
        memberships.filter(role_grants__role=Role.PRACTITIONER).order_by("created_at").first()
        or memberships.order_by("created_at").first()
    )


@transaction.atomic
def rating_submit(
    *,
    exercise: CalibrationExercise,
    vignette: Vignette,
    rater,
    answers: dict[str, Any],
    chosen_level: int,
    rationale: str = "",
    actor,
) -> Rating:
    """A participant's answers for a vignette and the level they choose. The tool's suggestion
    comes from the answers; choosing another level needs written reasons."""
    exercise = CalibrationExercise.objects.select_for_update().get(pk=exercise.pk)
    if exercise.status != CalibrationExercise.Status.OPEN:
        raise ValidationError("This exercise is not open for ratings")
    if not exercise.participants.filter(pk=rater.pk).exists():
        raise ValidationError("You are not taking part in this exercise")
    if not exercise.vignettes.filter(pk=vignette.pk).exists():
        raise ValidationError("This vignette is not part of the exercise")
    membership = rater_membership(rater)
    if membership is None:
        raise ValidationError("Your account is not linked to an agency")
    inst = instrument_of(vignette)
    cleaned, evaluation = suggest(inst, answers)
    suggested = evaluation.level.value if evaluation.level else None
    chosen = _level_value(inst, chosen_level, "chosen_level")
    rationale = rationale.strip()
    if chosen != suggested and not rationale:
        raise ValidationError({"rationale": RATIONALE_NEEDED})
    rating = Rating(
        exercise=exercise,
        vignette=vignette,
        rater=rater,
        agency=membership.agency,
        sector=membership.agency.sector,
        instrument_version=inst.version,
        answers=cleaned,
        suggested_level=suggested,
        chosen_level=chosen,
        rationale=rationale,
    )
    try:
        with transaction.atomic():
            rating.save()
    except IntegrityError:
        raise ValidationError("You have already rated this vignette in this exercise") from None
    audit.record(
        action="risk.calibration_rating.submitted",
        obj=rating,
        actor=actor,
        changes={
            "exercise": exercise.pk,
            "vignette": vignette.pk,
            "agency": membership.agency,
            "suggested_level": suggested,
            "chosen_level": chosen,
        },
    )
    return rating
