"""Run history and the trend, starting a run, a run's page, its import reports and output files."""

from __future__ import annotations

from pathlib import Path

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import FileResponse, Http404
from django.shortcuts import redirect, render
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods, require_safe

from safeguarding.core import audit, charts
from safeguarding.health_records import access
from safeguarding.health_records.forms import RunForm
from safeguarding.health_records.models import ImportProblem
from safeguarding.health_records.selectors.counts import run_counts
from safeguarding.health_records.selectors.review import review_queue
from safeguarding.health_records.selectors.runs import monthly_trend, run_history
from safeguarding.health_records.services.runs import run_create
from safeguarding.health_records.views.common import PER_PAGE, subnav
from safeguarding.people.models import Agency


def _run_agency(user):
    """The agency a new run belongs to: the analyst's (the first, if several)."""
    ids = sorted(access.analyst_agency_ids(user))
    if not ids:
        raise PermissionDenied(access.ANALYSTS_ONLY)
    return Agency.objects.select_related("partnership").get(pk=ids[0])


@never_cache
@require_safe
def index(request):
    """Run history, the trend chart and links to the named lists (for those who may see them)."""
    user = request.user
    access.require_aggregates(user)
    suppress = access.suppresses_small_numbers(user)
    trend = monthly_trend(user=user)
    chart = None
    if trend:
        # Months as dates: a real date axis, so months without a run show as a gap.
        chart = charts.trend_chart(
            [point.month for point in trend],
            [
                ("Not known to health visiting", [p.gp_not_known_to_hv for p in trend]),
                ("Not registered with a GP", [p.hv_not_registered_with_gp for p in trend]),
            ],
            title="Children on one list only, month by month",
            value_label="Children",
            chart_id="chart-trend",
            description="The latest run of each month: children registered with a GP but not "
            "known to health visiting, and children known to health visiting but not "
            "registered with a GP.",
        )
    runs = Paginator(run_history(user=user), PER_PAGE).get_page(request.GET.get("page"))
    for run in runs:
        counts = run_counts(run, suppress=suppress)
        run.shown_gp_unknown = counts.gp_not_known_to_hv
        run.shown_hv_unknown = counts.hv_not_registered_with_gp
        run.shown_review = counts.review
        run.shown_matched = counts.matched
    is_analyst = access.is_analyst(user)
    return render(
        request,
        "health_records/index.html",
        {
            "trend": trend,
            "chart": chart,
            "runs": runs,
            **subnav(user),
            "suppress": suppress,
            "pending_reviews": review_queue(user=user).count() if is_analyst else 0,
        },
    )


@never_cache
@require_http_methods(["GET", "HEAD", "POST"])
def run_new(request):
    access.require_analyst(request.user)
    agency = _run_agency(request.user)
    posted = request.method == "POST"
    form = RunForm(request.POST if posted else None, request.FILES if posted else None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            run = run_create(
                agency=agency,
                gp_file=data["gp_file"],
                hv_file=data["hv_file"],
                extract_date=data["extract_date"],
                match_threshold=data["match_threshold"],
                review_threshold=data["review_threshold"],
                actor=request.user,
            )
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, "The extracts are uploaded and the linkage run has started.")
            return redirect("health_records:run_detail", run.pk)
    return render(request, "health_records/run_new.html", {"form": form, "agency": agency})


@never_cache
@require_safe
def run_detail(request, pk):
    run = access.get_run_for_user(request.user, pk)
    imports = list(run.imports.all())
    return render(
        request,
        "health_records/run_detail.html",
        {
            "run": run,
            "imports": imports,
            "timings": sorted(run.timings.items()),
            "outputs_available": bool(run.output_dir) and Path(run.output_dir).is_dir(),
        },
    )


@never_cache
@require_safe
def import_report(request, pk, kind):
    run = access.get_run_for_user(request.user, pk)
    extract = run.imports.filter(kind=kind).first()
    if extract is None:
        raise Http404("No such extract")
    severity = request.GET.get("show", "")
    problems = extract.problems.all()
    if severity in ImportProblem.Severity.values:
        problems = problems.filter(severity=severity)
    page = Paginator(problems, PER_PAGE).get_page(request.GET.get("page"))
    return render(
        request,
        "health_records/import_report.html",
        {"run": run, "extract": extract, "page": page, "severity": severity},
    )


OUTPUT_FILES = {
    "matches": "matches.csv",
    "gp_not_known_to_hv": "gp_not_known_to_hv.csv",
    "hv_not_registered_with_gp": "hv_not_registered_with_gp.csv",
    "summary": "summary.json",
}


@never_cache
@require_safe
def run_output(request, pk, name):
    """One of the run's output files (named children: the analysts only, and audited)."""
    run = access.get_run_for_user(request.user, pk)
    if name not in OUTPUT_FILES or not run.output_dir:
        raise Http404("No such file")
    path = Path(run.output_dir) / OUTPUT_FILES[name]
    if not path.is_file():
        raise Http404("The file has been deleted under the retention rules")
    audit.record_read(obj=run, actor=request.user, purpose=f"downloaded {OUTPUT_FILES[name]}")
    return FileResponse(
        path.open("rb"), as_attachment=True, filename=f"run-{run.pk}-{OUTPUT_FILES[name]}"
    )
