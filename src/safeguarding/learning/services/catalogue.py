"""Writes to the course catalogue: creating and changing courses.

Sessions are created and cancelled by `services.sessions.session_create` / `session_cancel`,
because they take part in the booking core's locking.
"""

from __future__ import annotations

from collections.abc import Iterable

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.text import slugify

from safeguarding.core import audit
from safeguarding.learning.models import Accreditation, Course, Level
from safeguarding.people.models import Partnership

COURSE_FIELDS = (
    "title",
    "summary",
    "learning_outcomes",
    "audience",
    "level",
    "duration",
    "kind",
    "requires_manager_approval",
    "requires_evaluation_for_certificate",
    "charges_apply",
    "status",
)


def unique_slug(partnership: Partnership, title: str, *, exclude: Course | None = None) -> str:
    """A slug from the title, made unique within the partnership with -2, -3, ..."""
    max_length = Course._meta.get_field("slug").max_length
    base = (slugify(title) or "course")[: max_length - 4].strip("-") or "course"
    taken = Course.objects.filter(partnership=partnership, slug__startswith=base)
    if exclude is not None and exclude.pk is not None:
        taken = taken.exclude(pk=exclude.pk)
    used = set(taken.values_list("slug", flat=True))
    slug, number = base, 2
    while slug in used:
        slug = f"{base}-{number}"
        number += 1
    return slug


def _check_level(partnership: Partnership, level: Level | None) -> None:
    if level is not None and level.partnership_id != partnership.pk:
        raise ValidationError({"level": "Choose a level from this partnership's scale."})


def _check_prerequisites(course: Course, prerequisites: list[Course]) -> None:
    """No course may require itself, directly or through a chain of prerequisites."""
    for prerequisite in prerequisites:
        if prerequisite.partnership_id != course.partnership_id:
            raise ValidationError(
                {"prerequisites": f"{prerequisite} is not one of this partnership's courses."}
            )
    if course.pk is None:
        return
    if any(p.pk == course.pk for p in prerequisites):
        raise ValidationError({"prerequisites": "A course cannot be its own prerequisite."})
    # Walk the prerequisites' own prerequisites: reaching this course would make a loop in
    # which nobody could ever book either course.
    seen: set[int] = set()
    frontier = {p.pk for p in prerequisites}
    while frontier:
        if course.pk in frontier:
            raise ValidationError(
                {
                    "prerequisites": f"{course} is already a prerequisite of one of the courses "
                    "you chose, so they cannot also be prerequisites of it."
                }
            )
        seen |= frontier
        frontier = (
            set(
                Course.prerequisites.through.objects.filter(
                    from_course_id__in=frontier
                ).values_list("to_course_id", flat=True)
            )
            - seen
        )


def _prerequisite_names(courses: Iterable[Course]) -> list[str]:
    return sorted(str(c) for c in courses)


@transaction.atomic
def course_create(
    *,
    partnership: Partnership,
    title: str,
    summary: str,
    learning_outcomes: str,
    audience: str = "",
    level: Level | None = None,
    prerequisites: Iterable[Course] = (),
    duration: str = Course.Duration.FULL_DAY,
    kind: str = Course.Kind.COURSE,
    requires_manager_approval: bool = False,
    requires_evaluation_for_certificate: bool = False,
    charges_apply: bool = True,
    status: str = Course.Status.DRAFT,
    actor,
) -> Course:
    prerequisites = list(prerequisites)
    _check_level(partnership, level)
    course = Course(
        partnership=partnership,
        title=title.strip(),
        slug=unique_slug(partnership, title),
        summary=summary.strip(),
        learning_outcomes=learning_outcomes.strip(),
        audience=audience.strip(),
        level=level,
        duration=duration,
        kind=kind,
        requires_manager_approval=requires_manager_approval,
        requires_evaluation_for_certificate=requires_evaluation_for_certificate,
        charges_apply=charges_apply,
        status=status,
    )
    _check_prerequisites(course, prerequisites)
    course.full_clean()
    course.save()
    course.prerequisites.set(prerequisites)
    changes = audit.snapshot(course, ("slug", *COURSE_FIELDS))
    changes["prerequisites"] = _prerequisite_names(prerequisites)
    audit.record(action="learning.course.created", obj=course, actor=actor, changes=changes)
    return course


@transaction.atomic
def course_update(
    *, course: Course, actor, prerequisites: Iterable[Course] | None = None, **values
) -> Course:
    """Change any of COURSE_FIELDS and, when given, the prerequisites. A new title gives the
    course a new slug."""
    unknown = set(values) - set(COURSE_FIELDS)
    if unknown:
        raise TypeError(f"course_update() got unexpected fields: {sorted(unknown)}")
    course = Course.objects.select_for_update().get(pk=course.pk)
    for name in ("title", "summary", "learning_outcomes", "audience"):
        if name in values:
            values[name] = values[name].strip()
    if "level" in values:
        _check_level(course.partnership, values["level"])
    fields = tuple(values)
    before = audit.snapshot(course, fields)
    before_prerequisites = _prerequisite_names(course.prerequisites.all())
    for name, value in values.items():
        setattr(course, name, value)
    changes = audit.diff(before, audit.snapshot(course, fields))
    update_fields = list(changes)
    if "title" in changes:
        old_slug = course.slug
        course.slug = unique_slug(course.partnership, course.title, exclude=course)
        if course.slug != old_slug:
            changes["slug"] = [old_slug, course.slug]
            update_fields.append("slug")
    if prerequisites is not None:
        prerequisites = list(prerequisites)
        _check_prerequisites(course, prerequisites)
        after_prerequisites = _prerequisite_names(prerequisites)
        if after_prerequisites != before_prerequisites:
            changes["prerequisites"] = [before_prerequisites, after_prerequisites]
    if not changes:
        return course
    course.full_clean()
    if update_fields:
        course.save(update_fields=update_fields)
    if "prerequisites" in changes:
        course.prerequisites.set(prerequisites)
    audit.record(action="learning.course.updated", obj=course, actor=actor, changes=changes)
    return course


@transaction.atomic
def accreditation_record(
    *, trainer, course: Course, accredited_on, expires_on, actor
) -> Accreditation:
    """Accredit a member of the training pool to deliver a course, or renew their
    accreditation (one a trainer and course: new dates replace the old)."""
    if not trainer.is_active:
        raise ValidationError({"trainer": f"{trainer} can no longer sign in."})
    if expires_on <= accredited_on:
        raise ValidationError(
            {"expires_on": "The expiry date must be after the accreditation date"}
        )
    accreditation = (
        Accreditation.objects.select_for_update().filter(trainer=trainer, course=course).first()
    )
    if accreditation is None:
        accreditation = Accreditation(
            trainer=trainer, course=course, accredited_on=accredited_on, expires_on=expires_on
        )
        accreditation.full_clean()
        accreditation.save()
        audit.record(
            action="learning.accreditation.created",
            obj=accreditation,
            actor=actor,
            changes=audit.snapshot(
                accreditation, ("trainer", "course", "accredited_on", "expires_on")
            ),
        )
        return accreditation
    before = audit.snapshot(accreditation, ("accredited_on", "expires_on"))
    accreditation.accredited_on = accredited_on
    accreditation.expires_on = expires_on
    changes = audit.diff(before, audit.snapshot(accreditation, ("accredited_on", "expires_on")))
    if changes:
        accreditation.full_clean()
        accreditation.save(update_fields=list(changes))
        audit.record(
            action="learning.accreditation.renewed",
            obj=accreditation,
            actor=actor,
            changes=changes,
        )
    return accreditation
