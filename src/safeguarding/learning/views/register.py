"""The register of a session: marked on a phone on the day, or printed for signatures."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.shortcuts import redirect, render
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods, require_safe

from safeguarding.core.forms import apply_errors
from safeguarding.learning import access
from safeguarding.learning.forms.register import RegisterForm, WalkInForm
from safeguarding.learning.selectors import records as selectors
from safeguarding.learning.services import records as services

WALK_IN = "walk_in"
MARKS = "marks"
BLANK_PRINT_ROWS = 5  # lines for walk-ins to sign on a printed register


@never_cache
@require_http_methods(["GET", "POST"])
def register(request, pk):
    session = access.get_register_for_user(request.user, pk)
    record = selectors.register_for(session)
    posted = request.POST.get("form") if request.method == "POST" else None
    marks_form = RegisterForm(request.POST if posted == MARKS else None, places=record.places)
    walk_in_form = WalkInForm(request.POST if posted == WALK_IN else None)

    if posted == MARKS and marks_form.is_valid():
        try:
            services.register_save(session=session, marks=marks_form.marks(), actor=request.user)
        except ValidationError as error:
            apply_errors(marks_form, error)
        else:
            record = selectors.register_for(session)
            messages.success(
                request,
                f"Register saved: {record.attended} attended, {record.no_show} did not attend.",
            )
            return redirect("learning:register", pk=session.pk)
    elif posted == WALK_IN and walk_in_form.is_valid():
        try:
            booking = services.register_walk_in_add(
                session=session, person=walk_in_form.person, actor=request.user
            )
        except ValidationError as error:
            apply_errors(walk_in_form, error, default_field="email")
        else:
            messages.success(request, f"{booking.person} added as a walk-in and marked attended.")
            return redirect("learning:register", pk=session.pk)

    errored = next((f for f in (marks_form, walk_in_form) if f.is_bound and f.errors), None)
    return render(
        request,
        "learning/register/register.html",
        {
            "session": session,
            "register": record,
            "marks_form": marks_form,
            "walk_in_form": walk_in_form,
            "form": errored,
            "trainers": selectors.trainer_names(session),
        },
    )


@never_cache
@require_safe
def register_print(request, pk):
    session = access.get_register_for_user(request.user, pk)
    return render(
        request,
        "learning/register/print.html",
        {
            "session": session,
            "register": selectors.register_for(session),
            "trainers": selectors.trainer_names(session),
            "blank_rows": range(BLANK_PRINT_ROWS),
        },
    )
