"""The calibration overview at /risk/calibration/: what each person may do there."""

from __future__ import annotations

from django.shortcuts import render
from django.views.decorators.http import require_safe

from safeguarding.people.selectors import partnership_for
from safeguarding.risk.calibration import access, selectors
from safeguarding.risk.navigation import tool_links


@require_safe
def home(request):
    user = request.user
    context = {
        "may_manage": access.may_manage(user),
        "may_see_results": access.may_see_results(user),
        "mine": list(selectors.exercises_for_participant(user)),
        "tool_links": tool_links(user, "calibration"),
    }
    if context["may_manage"]:
        partnership = partnership_for(user)
        context["exercises"] = list(selectors.exercise_list(partnership=partnership))
        context["vignette_count"] = selectors.vignette_list(partnership=partnership).count()
    return render(request, "risk/calibration/home.html", context)
