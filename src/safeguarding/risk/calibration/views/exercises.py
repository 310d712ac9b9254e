"""The business unit runs exercises: creates, edits, chooses who takes part, opens and closes."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404
from django.shortcuts import redirect, render
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods, require_POST, require_safe

from safeguarding.core.forms import apply_errors
from safeguarding.people.selectors import partnership_for
from safeguarding.risk.calibration import access, selectors, services
from safeguarding.risk.calibration.forms import (
    ExerciseForm,
    ParticipantsForm,
)


@never_cache
@require_http_methods(["GET", "POST"])
def exercise_create(request):
    access.require_manager(request.user)
    partnership = partnership_for(request.user)
    form = ExerciseForm(request.POST or None, partnership=partnership)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            exercise = services.exercise_create(
                partnership=partnership,
                title=data["title"],
                held_on=data["held_on"],
                instrument_code=data["instrument_code"],
                vignettes=data["vignettes"],
                session=data.get("session"),
                meeting=data.get("meeting"),
                actor=request.user,
            )
        except ValidationError as error:
            apply_errors(form, error)
        else:
            messages.success(request, "Exercise created. Now add the people taking part.")
            return redirect("risk:calibration-participants", pk=exercise.pk)
    return render(request, "risk/calibration/exercise_form.html", {"form": form})


@never_cache
@require_http_methods(["GET", "POST"])
def exercise_edit(request, pk):
    exercise = access.get_exercise_to_manage(request.user, pk)
    form = ExerciseForm(
        request.POST or None,
        partnership=exercise.partnership,
        exercise=exercise,
        initial={
            "title": exercise.title,
            "held_on": exercise.held_on,
            "session": exercise.session_id,
            "meeting": exercise.meeting_id,
            "vignettes": list(exercise.vignettes.values_list("pk", flat=True)),
        },
    )
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            services.exercise_update(
                exercise=exercise,
                title=data["title"],
                held_on=data["held_on"],
                vignettes=data["vignettes"],
                session=data.get("session"),
                meeting=data.get("meeting"),
                actor=request.user,
            )
        except ValidationError as error:
            apply_errors(form, error)
        else:
            messages.success(request, "Exercise saved.")
            return redirect("risk:calibration-exercise", pk=exercise.pk)
    return render(
        request, "risk/calibration/exercise_form.html", {"form": form, "exercise": exercise}
    )


@require_safe
def exercise_detail(request, pk):
    exercise = access.get_exercise_for_user(request.user, pk)
    manager = access.may_manage(request.user)
    participant = access.is_participant(request.user, exercise)
    context = {"exercise": exercise, "may_manage": manager, "is_participant": participant}
    if participant:
        context["my_vignettes"] = selectors.participant_vignettes(exercise, request.user)
    if manager:
        context["vignettes"] = list(exercise.vignettes.order_by("title"))
        context["participant_count"] = exercise.participants.count()
        context["rater_count"] = exercise.ratings.values("rater").distinct().count()
        context["rating_count"] = exercise.ratings.count()
    return render(request, "risk/calibration/exercise_detail.html", context)


@never_cache
@require_http_methods(["GET", "POST"])
def participants(request, pk):
    exercise = access.get_exercise_to_manage(request.user, pk)
    has_event = bool(exercise.session_id or exercise.meeting_id)
    form = ParticipantsForm(
        request.POST if "add" in request.POST else None,
        partnership=exercise.partnership,
        has_event=has_event,
    )
    if request.method == "POST" and "remove" in request.POST:
        person = exercise.participants.filter(pk=request.POST.get("remove")).first()
        if person is None:
            raise Http404("No such participant")
        try:
            services.exercise_participant_remove(
                exercise=exercise, person=person, actor=request.user
            )
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
        else:
            messages.success(request, f"{person} removed from the exercise.")
        return redirect("risk:calibration-participants", pk=exercise.pk)
    if request.method == "POST" and form.is_valid():
        people = list(form.cleaned_data["emails"] or [])
        if form.cleaned_data.get("from_event"):
            people += services.event_attendees(exercise)
        try:
            added = services.exercise_participants_add(
                exercise=exercise, people=people, actor=request.user
            )
        except ValidationError as error:
            apply_errors(form, error)
        else:
            messages.success(
                request, f"{len(added)} {'person' if len(added) == 1 else 'people'} added."
            )
            return redirect("risk:calibration-participants", pk=exercise.pk)
    rated = set(exercise.ratings.values_list("rater_id", flat=True))
    people = [
        (person, person.pk in rated)
        for person in exercise.participants.prefetch_related("memberships__agency").order_by(
            "family_name", "given_name", "email"
        )
    ]
    return render(
        request,
        "risk/calibration/participants.html",
        {"exercise": exercise, "form": form, "people": people},
    )


@require_POST
def exercise_open(request, pk):
    exercise = access.get_exercise_to_manage(request.user, pk)
    try:
        services.exercise_open(exercise=exercise, actor=request.user)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, "The exercise is open: the people taking part can rate now.")
    return redirect("risk:calibration-exercise", pk=exercise.pk)


@require_POST
def exercise_close(request, pk):
    exercise = access.get_exercise_to_manage(request.user, pk)
    try:
        services.exercise_close(exercise=exercise, actor=request.user)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(
            request,
            "The exercise is closed. Raters can now compare their answers with the expert's.",
        )
    return redirect("risk:calibration-exercise", pk=exercise.pk)
