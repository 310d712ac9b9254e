"""The breakdowns of a run's unknown children."""

from __future__ import annotations

from django.http import Http404
from django.shortcuts import render
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_safe

from safeguarding.health_records import access
from safeguarding.health_records.models import LinkageRun
from safeguarding.health_records.selectors.breakdowns import BREAKDOWN_TITLES
from safeguarding.health_records.selectors.breakdowns import breakdowns as breakdown_tables
from safeguarding.health_records.selectors.runs import run_history
from safeguarding.health_records.views.common import subnav


@never_cache
@require_safe
def breakdowns(request):
    user = request.user
    access.require_aggregates(user)
    runs = run_history(user=user).filter(status=LinkageRun.Status.COMPLETED)
    run = None
    if request.GET.get("run"):
        try:
            run = runs.get(pk=request.GET["run"])
        except (LinkageRun.DoesNotExist, ValueError):
            raise Http404("No such run") from None
    else:
        run = runs.order_by("-extract_date", "-created_at").first()
    tables = breakdown_tables(run=run, user=user) if run else {}
    return render(
        request,
        "health_records/breakdowns.html",
        {
            "run": run,
            "runs": runs.order_by("-extract_date", "-created_at")[:36],
            "tables": [(name, BREAKDOWN_TITLES[name], rows) for name, rows in tables.items()],
            "suppress": access.suppresses_small_numbers(user),
            **subnav(user),
        },
    )
