"""The business unit's charges (what to invoice each agency) and the programme's statistics, each
downloadable as CSV and XLSX (`?format=csv` or `?format=xlsx`)."""

from __future__ import annotations

from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import render
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_safe

from safeguarding.core import charts
from safeguarding.core.forms import PeriodForm
from safeguarding.learning import exports
from safeguarding.learning.forms.reports import ChargesFilterForm
from safeguarding.learning.selectors import catalogue
from safeguarding.learning.selectors import reports as selectors
from safeguarding.people.permissions import is_business_unit
from safeguarding.people.selectors import partnership_for

LINES_PER_PAGE = 100


def _business_unit_only(request, what: str) -> None:
    if not is_business_unit(request.user):
        raise PermissionDenied(f"Only the business unit can see {what}.")


def _financial_years(partnership) -> list[dict]:
    """Links to whole financial years, newest first."""
    years = []
    for year in catalogue.financial_years_with_sessions(partnership):
        start, end = catalogue.financial_year(year)
        years.append(
            {
                "short": f"{year}/{str(year + 1)[-2:]}",
                "label": f"April {year} to March {year + 1}",
                "start": start,
                "end": end,
            }
        )
    return years


@never_cache
@require_safe
def charges(request):
    _business_unit_only(request, "charges")
    partnership = partnership_for(request.user)
    form = ChargesFilterForm(request.GET or None, partnership=partnership)
    valid = not form.is_bound or form.is_valid()
    start, end = form.period()
    agency = form.chosen_agency()
    lines = []
    if valid:
        lines = selectors.charge_lines(partnership=partnership, start=start, end=end, agency=agency)
    totals = selectors.charge_totals(lines)
    export = request.GET.get("format")
    if valid and export == "csv":
        return exports.charges_csv(lines, start=start, end=end)
    if valid and export == "xlsx":
        return exports.charges_xlsx(lines, totals, start=start, end=end)
    fees = catalogue.fee_schedule_for(partnership)
    return render(
        request,
        "learning/reports/charges.html",
        {
            "form": form if form.is_bound and form.errors else None,
            "filter_form": form,
            "filtered": form.is_bound,
            "valid": valid,
            "start": start,
            "end": end,
            "agency": agency,
            "fees": fees,
            "totals": totals,
            "grand_total": sum((row["total"] for row in totals), selectors.ZERO),
            "line_count": len(lines),
            "page": Paginator(lines, LINES_PER_PAGE).get_page(request.GET.get("page")),
            "years": _financial_years(partnership),
        },
    )


def _chart(rows: list[dict], label: str, value: str, *, title: str, chart_id: str, **kwargs):
    if not rows:
        return None
    return charts.bar_chart(
        [str(row[label]) for row in rows],
        [row[value] for row in rows],
        title=title,
        chart_id=chart_id,
        **kwargs,
    )


@never_cache
@require_safe
def statistics(request):
    _business_unit_only(request, "training statistics")
    partnership = partnership_for(request.user)
    form = PeriodForm(request.GET or None)
    valid = not form.is_bound or form.is_valid()
    start, end = form.period()
    if not valid:
        return render(
            request,
            "learning/reports/statistics.html",
            {
                "form": form,
                "filter_form": form,
                "filtered": True,
                "valid": False,
                "years": _financial_years(partnership),
            },
        )
    figures = selectors.training_statistics(partnership=partnership, start=start, end=end)
    export = request.GET.get("format")
    if export == "csv":
        table = request.GET.get("table", "summary")
        if table not in exports.statistics_tables(figures):
            raise Http404("No such table")
        return exports.statistics_csv(figures, table)
    if export == "xlsx":
        return exports.statistics_xlsx(figures)
    tables = exports.statistics_tables(figures)
    evaluation_stages = [
        {"label": "Straight after the session", **figures["evaluation"]["immediate"]},
        {"label": "Follow-up, 6 to 8 weeks later", **figures["evaluation"]["follow_up"]},
    ]
    return render(
        request,
        "learning/reports/statistics.html",
        {
            "filter_form": form,
            "filtered": form.is_bound,
            "valid": True,
            "start": start,
            "end": end,
            "figures": figures,
            "evaluation_stages": evaluation_stages,
            "csv_tables": [(name, table.title) for name, table in tables.items()],
            "years": _financial_years(partnership),
            "charts": {
                "sectors": _chart(
                    figures["by_sector"],
                    "sector_display",
                    "attendances",
                    title="Attendances by sector",
                    chart_id="chart-sectors",
                    description="Places attended, walk-ins included, by the agency's sector.",
                ),
                "courses": _chart(
                    figures["by_course"],
                    "title",
                    "attendances",
                    title="Attendances by course",
                    chart_id="chart-courses",
                    description="Places attended, walk-ins included, by course.",
                ),
                "trainer_days": _chart(
                    figures["trainer_days_by_agency"],
                    "agency_name",
                    "trainer_days",
                    title="Trainer-days by agency",
                    chart_id="chart-trainer-days",
                    description="Days of training given by each agency's trainers.",
                ),
                "practice_groups": _chart(
                    figures["practice_groups"]["groups"],
                    "name",
                    "attendances",
                    title="Practice group attendances by group",
                    chart_id="chart-practice-groups",
                ),
            },
        },
    )
