"""Pages for children missing from health records. Thin: access helpers decide who sees what,
services write, selectors read. Every page that shows a named child records the read."""

from __future__ import annotations

from pathlib import Path

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import FileResponse, Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods, require_safe

from safeguarding.core import audit
from safeguarding.core.exports import csv_response, xlsx_response
from safeguarding.health_records import access, charts, selectors, services
from safeguarding.health_records.forms import (
    AllocateForm,
    OutcomeForm,
    ReviewDecisionForm,
    RunForm,
    WorklistFilterForm,
)
from safeguarding.health_records.models import (
    ImportProblem,
    LinkageRun,
    ReviewPair,
)
from safeguarding.people.models import Agency, Team

PER_PAGE = 50


def _nav(user) -> dict:
    """What the health-records sub-navigation offers this user."""
    return {"is_analyst": access.is_analyst(user), "sees_figures": access.may_see_aggregates(user)}


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
    trend = selectors.monthly_trend(user=user)
    chart = None
    if trend:
        chart = charts.trend_chart_svg(
            [point.label for point in trend],
            [
                ("Not known to health visiting", [p.gp_not_known_to_hv for p in trend]),
                ("Not registered with a GP", [p.hv_not_registered_with_gp for p in trend]),
            ],
            title="Children on one list only, month by month",
            chart_id="chart-trend",
            description="The latest run of each month: children registered with a GP but not "
            "known to health visiting, and children known to health visiting but not "
            "registered with a GP.",
        )
    runs = Paginator(selectors.run_history(user=user), PER_PAGE).get_page(request.GET.get("page"))
    for run in runs:
        run.shown_gp_unknown = selectors.shown(run.gp_not_known_to_hv, suppress=suppress)
        run.shown_hv_unknown = selectors.shown(run.hv_not_registered_with_gp, suppress=suppress)
        run.shown_review = selectors.shown(run.review, suppress=suppress)
        run.shown_matched = selectors.shown(run.matched, suppress=suppress)
    is_analyst = access.is_analyst(user)
    return render(
        request,
        "health_records/index.html",
        {
            "trend": trend,
            "chart": chart,
            "runs": runs,
            **_nav(user),
            "suppress": suppress,
            "pending_reviews": selectors.review_queue(user=user).count() if is_analyst else 0,
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
            run = services.run_create(
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


@never_cache
@require_safe
def breakdowns(request):
    user = request.user
    access.require_aggregates(user)
    runs = selectors.run_history(user=user).filter(status=LinkageRun.Status.COMPLETED)
    run = None
    if request.GET.get("run"):
        try:
            run = runs.get(pk=request.GET["run"])
        except (LinkageRun.DoesNotExist, ValueError):
            raise Http404("No such run") from None
    else:
        run = runs.order_by("-extract_date", "-created_at").first()
    tables = selectors.breakdowns(run=run, user=user) if run else {}
    return render(
        request,
        "health_records/breakdowns.html",
        {
            "run": run,
            "runs": runs.order_by("-extract_date", "-created_at")[:36],
            "tables": [
                (name, selectors.BREAKDOWN_TITLES[name], rows) for name, rows in tables.items()
            ],
            "suppress": access.suppresses_small_numbers(user),
            **_nav(user),
        },
    )


# Review ----------------------------------------------------------------------------------------


@never_cache
@require_safe
def review_list(request):
    access.require_analyst(request.user)
    decision = request.GET.get("decision", ReviewPair.Decision.PENDING)
    if decision not in ReviewPair.Decision.values and decision != "all":
        decision = ReviewPair.Decision.PENDING
    pairs = selectors.review_queue(
        user=request.user, decision="" if decision == "all" else decision
    )
    page = Paginator(pairs, PER_PAGE).get_page(request.GET.get("page"))
    for pair in page:
        audit.record_read(obj=pair, actor=request.user, purpose="review queue")
    return render(
        request,
        "health_records/review_list.html",
        {
            "page": page,
            "decision": decision,
            "decisions": ReviewPair.Decision.choices,
            **_nav(request.user),
        },
    )


REVIEW_FIELDS = [
    ("record_id", "Record id"),
    ("nhs_number", "NHS number"),
    ("given_name", "Given name"),
    ("family_name", "Family name"),
    ("date_of_birth", "Date of birth"),
    ("sex", "Sex"),
    ("postcode", "Postcode"),
    ("address_line", "Address"),
]


@never_cache
@require_http_methods(["GET", "HEAD", "POST"])
def review_pair(request, pk):
    pair = access.get_review_pair_for_user(request.user, pk)
    form = ReviewDecisionForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        try:
            services.review_decide(
                pair=pair,
                accepted=form.cleaned_data["decision"] == ReviewPair.Decision.ACCEPTED,
                actor=request.user,
            )
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, "Decision saved. The next run will reuse it.")
            following = selectors.review_queue(user=request.user).exclude(pk=pair.pk).first()
            if following is not None:
                return redirect("health_records:review_pair", following.pk)
            return redirect("health_records:review_list")
    audit.record_read(obj=pair, actor=request.user, purpose="review side by side")
    rows = []
    for key, label in REVIEW_FIELDS:
        gp_value, hv_value = pair.gp.get(key, ""), pair.hv.get(key, "")
        same = bool(gp_value) and str(gp_value).casefold() == str(hv_value).casefold()
        repeated = pair.repeats.get(key, "")
        rows.append(
            {"label": label, "gp": gp_value, "hv": hv_value, "same": same, "repeated": repeated}
        )
    return render(
        request,
        "health_records/review_pair.html",
        {"pair": pair, "form": form, "rows": rows},
    )


# Worklist --------------------------------------------------------------------------------------


@never_cache
@require_safe
def worklist(request):
    user = request.user
    access.require_worklist(user)
    form = WorklistFilterForm(request.GET or None, teams=selectors.worklist_teams(user=user))
    filters = form.filters()
    items = selectors.worklist(user=user, **filters)
    export = request.GET.get("format")
    if export in ("csv", "xlsx"):
        items = list(items)
        audit.record(
            action="health_records.worklistitem.exported",
            actor=user,
            object_type="health_records.worklistitem",
            object_repr=f"{len(items)} worklist items ({export.upper()})",
            changes={**filters, "items": [item.pk for item in items]},
        )
        header, rows = selectors.worklist_export_rows(items)
        if export == "csv":
            return csv_response("worklist.csv", header, rows)
        return xlsx_response("worklist.xlsx", {"Worklist": (header, rows)})
    page = Paginator(items, PER_PAGE).get_page(request.GET.get("page"))
    for item in page:
        audit.record_read(obj=item, actor=user, purpose="worklist")
    return render(
        request,
        "health_records/worklist.html",
        {"form": form, "page": page, "filters": filters, **_nav(user)},
    )


@never_cache
@require_http_methods(["GET", "HEAD", "POST"])
def worklist_item(request, pk):
    user = request.user
    item = access.get_worklist_item_for_user(user, pk)
    may_allocate = access.is_analyst(user, item.agency_id)
    is_allocation = request.method == "POST" and "allocate" in request.POST
    form = OutcomeForm(
        request.POST if request.method == "POST" and not is_allocation else None,
        initial={"outcome": item.outcome, "notes": item.outcome_notes, "due_date": item.due_date},
    )
    allocate_form = None
    if may_allocate:
        allocate_form = AllocateForm(
            request.POST if is_allocation else None,
            teams=Team.objects.filter(agency_id=item.agency_id).order_by("name"),
            initial={"team": item.team_id},
            prefix="allocate",
        )
    if request.method == "POST":
        target = allocate_form if is_allocation else form
        if target is None:
            raise PermissionDenied(access.ANALYSTS_ONLY)
        if target.is_valid():
            try:
                if is_allocation:
                    services.worklist_allocate(
                        item=item, team=target.cleaned_data["team"], actor=user
                    )
                    messages.success(request, "Allocation saved.")
                else:
                    services.worklist_outcome_record(
                        item=item,
                        outcome=target.cleaned_data["outcome"],
                        notes=target.cleaned_data["notes"],
                        due_date=target.cleaned_data["due_date"],
                        actor=user,
                    )
                    messages.success(request, "Outcome saved.")
            except ValidationError as error:
                target.add_error(None, error)
            else:
                return redirect(reverse("health_records:worklist_item", args=[item.pk]))
    audit.record_read(obj=item, actor=user, purpose="worklist item")
    return render(
        request,
        "health_records/worklist_item.html",
        {
            "item": item,
            "form": allocate_form if is_allocation else form,  # the error summary's
            "outcome_form": form,
            "allocate_form": allocate_form,
        },
    )
