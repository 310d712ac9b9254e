"""The risk tool's home page: the practitioner's lists, reviews due and households. It records
who saw which records."""

from __future__ import annotations

from django.shortcuts import render
from django.utils import timezone
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_safe

from safeguarding.core.audit import record_list_read
from safeguarding.risk import access
from safeguarding.risk.calibration.selectors import exercises_for_participant
from safeguarding.risk.models import CalibrationExercise, Household, Identification
from safeguarding.risk.navigation import tool_links
from safeguarding.risk.selectors import identifications as identification_selectors
from safeguarding.risk.selectors import reviews as review_selectors

HOME_LIST_LIMIT = 100  # each list on the home page; older records are found by reference


@never_cache
@require_safe
def home(request):
    access.require_risk_tool(request.user)
    lists = {
        name: list(items[:HOME_LIST_LIMIT])
        for name, items in identification_selectors.identification_lists(request.user).items()
    }
    reviews = list(review_selectors.reviews_due(request.user, timezone.localdate()))
    households = list(
        access.households_visible_to(request.user)
        .filter(created_by=request.user)
        .prefetch_related("members")[:50]
    )
    # The lists name households and levels: record who saw which records.
    record_list_read(
        model=Identification,
        ids=[i.pk for items in lists.values() for i in items]
        + [r.identification_id for r in reviews],
        actor=request.user,
        purpose="risk tool home",
    )
    record_list_read(
        model=Household, ids=[h.pk for h in households], actor=request.user, purpose="home"
    )
    return render(
        request,
        "risk/home.html",
        {
            **lists,
            "reviews": reviews,
            "households": households,
            "today": timezone.localdate(),
            "tool_links": tool_links(request.user, "home"),
            "to_rate": [
                exercise
                for exercise in exercises_for_participant(request.user).filter(
                    status=CalibrationExercise.Status.OPEN
                )
                if exercise.rated_count < exercise.vignette_count
            ],
        },
    )
