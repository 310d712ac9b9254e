"""The follow-up worklist (with its CSV/XLSX export) and a child's page."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods, require_safe

from safeguarding.core import audit
from safeguarding.core.exports import csv_response, xlsx_response
from safeguarding.health_records import access
from safeguarding.health_records.forms import AllocateForm, OutcomeForm, WorklistFilterForm
from safeguarding.health_records.selectors.worklist import (
    worklist as worklist_items,
)
from safeguarding.health_records.selectors.worklist import (
    worklist_export_rows,
    worklist_teams,
)
from safeguarding.health_records.services.worklist import (
    worklist_allocate,
    worklist_outcome_record,
)
from safeguarding.health_records.views.common import PER_PAGE, subnav
from safeguarding.people.models import Team


@never_cache
@require_safe
def worklist(request):
    user = request.user
    access.require_worklist(user)
    form = WorklistFilterForm(request.GET or None, teams=worklist_teams(user=user))
    filters = form.filters()
    items = worklist_items(user=user, **filters)
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
        header, rows = worklist_export_rows(items)
        if export == "csv":
            return csv_response("worklist.csv", header, rows)
        return xlsx_response("worklist.xlsx", {"Worklist": (header, rows)})
    page = Paginator(items, PER_PAGE).get_page(request.GET.get("page"))
    for item in page:
        audit.record_read(obj=item, actor=user, purpose="worklist")
    return render(
        request,
        "health_records/worklist.html",
        {"form": form, "page": page, "filters": filters, **subnav(user)},
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
                    worklist_allocate(item=item, team=target.cleaned_data["team"], actor=user)
                    messages.success(request, "Allocation saved.")
                else:
                    worklist_outcome_record(
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
