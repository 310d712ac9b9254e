"""Who may see and act on which vignette, calibration exercise and rating.

- The business unit writes vignettes, runs exercises and reads the results.
- Board members read the results (aggregates only, with small groups suppressed).
- Practitioners see only the exercises they take part in, once opened; they rate while it is
  open and see their own answers beside the expert's once it has closed. Nobody else sees an
  individual rating: calibration is for learning, not appraisal, so even the business unit reads
  ratings only as aggregates (and in the export, without names).

One helper per object type: each returns the object for this user or refuses (404 for objects the
user may not know exist, 403 for pages that exist but are the business unit's).
"""

from __future__ import annotations

from django.core.exceptions import PermissionDenied
from django.db.models import QuerySet
from django.http import Http404

from safeguarding.people.models import Role
from safeguarding.people.permissions import is_business_unit, roles_of
from safeguarding.people.selectors import partnership_for
from safeguarding.risk.models import CalibrationExercise, Rating, Vignette

BUSINESS_UNIT_ONLY = "Only the business unit manages calibration exercises and vignettes."
RESULTS_ONLY = "Only the business unit and board members can see calibration results."


def may_manage(user) -> bool:
    return getattr(user, "is_authenticated", False) and is_business_unit(user)


def may_see_results(user) -> bool:
    return may_manage(user) or Role.BOARD_MEMBER in roles_of(user)


def require_manager(user) -> None:
    if not may_manage(user):
        raise PermissionDenied(BUSINESS_UNIT_ONLY)


def require_results_reader(user) -> None:
    if not may_see_results(user):
        raise PermissionDenied(RESULTS_ONLY)


def vignettes_managed_by(user) -> QuerySet[Vignette]:
    require_manager(user)
    return Vignette.objects.filter(partnership=partnership_for(user))


def get_vignette_to_manage(user, pk) -> Vignette:
    try:
        return vignettes_managed_by(user).select_related("author").get(pk=pk)
    except (Vignette.DoesNotExist, ValueError, TypeError):
        raise Http404("No such vignette") from None


def exercises_visible_to(user) -> QuerySet[CalibrationExercise]:
    """The business unit: every exercise of its partnership. Others: the exercises they take part
    in, once opened."""
    if not getattr(user, "is_authenticated", False):
        return CalibrationExercise.objects.none()
    if may_manage(user):
        return CalibrationExercise.objects.filter(partnership=partnership_for(user))
    return CalibrationExercise.objects.filter(participants=user).exclude(
        status=CalibrationExercise.Status.DRAFT
    )


def get_exercise_for_user(user, pk) -> CalibrationExercise:
    try:
        return exercises_visible_to(user).get(pk=pk)
    except (CalibrationExercise.DoesNotExist, ValueError, TypeError):
        raise Http404("No such exercise") from None


def get_exercise_to_manage(user, pk) -> CalibrationExercise:
    require_manager(user)
    return get_exercise_for_user(user, pk)


def get_exercise_results_for_user(user, pk) -> CalibrationExercise:
    require_results_reader(user)
    try:
        partnership = partnership_for(user)
        return CalibrationExercise.objects.exclude(status=CalibrationExercise.Status.DRAFT).get(
            partnership=partnership, pk=pk
        )
    except (CalibrationExercise.DoesNotExist, ValueError, TypeError):
        raise Http404("No such exercise") from None


def is_participant(user, exercise: CalibrationExercise) -> bool:
    return exercise.participants.filter(pk=getattr(user, "pk", None)).exists()


def get_vignette_to_rate(user, exercise_pk, vignette_pk) -> tuple[CalibrationExercise, Vignette]:
    """A vignette of an exercise the user takes part in (open or closed: the view says which)."""
    exercise = get_exercise_for_user(user, exercise_pk)
    if not is_participant(user, exercise):
        raise Http404("No such exercise")
    try:
        vignette = exercise.vignettes.get(pk=vignette_pk)
    except (Vignette.DoesNotExist, ValueError, TypeError):
        raise Http404("No such vignette") from None
    return exercise, vignette


def ratings_visible_to(user) -> QuerySet[Rating]:
    """A person's own ratings, and nobody else's."""
    if not getattr(user, "is_authenticated", False):
        return Rating.objects.none()
    return Rating.objects.filter(rater=user)


def get_rating_for_user(user, pk) -> Rating:
    try:
        return ratings_visible_to(user).select_related("exercise", "vignette", "agency").get(pk=pk)
    except (Rating.DoesNotExist, ValueError, TypeError):
        raise Http404("No such rating") from None
