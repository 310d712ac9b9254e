"""The board's view of the risk tool: aggregates only, counts under 5 suppressed."""

from __future__ import annotations

import datetime

from django.core.exceptions import PermissionDenied
from django.shortcuts import render
from django.utils import timezone
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_safe

from safeguarding.core import suppression
from safeguarding.core.forms import PeriodForm
from safeguarding.people.permissions import can
from safeguarding.people.selectors import partnership_for
from safeguarding.risk.capabilities import VIEW_RISK_INSIGHT
from safeguarding.risk.navigation import tool_links
from safeguarding.risk.selectors import insight as insight_selectors

LAUNCH = datetime.date(2014, 6, 1)  # the matrix was launched through the practice groups


@never_cache
@require_safe
def insight(request):
    if not can(request.user, VIEW_RISK_INSIGHT):
        raise PermissionDenied("The risk tool's figures are for the business unit and the board.")
    today = timezone.localdate()
    form = PeriodForm(request.GET or None, default=(LAUNCH, today))
    valid = not form.is_bound or form.is_valid()
    start, end = form.period()
    partnership = partnership_for(request.user)
    return render(
        request,
        "risk/insight.html",
        {
            "form": form,
            "valid": valid,
            "start": start,
            "end": end,
            "figures": insight_selectors.insight(partnership, start, end, today) if valid else None,
            "suppress_below": suppression.SUPPRESS_BELOW,
            "tool_links": tool_links(request.user, "insight"),
        },
    )
