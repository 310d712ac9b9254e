"""The audit trail: who did what to which record, filtered, paged and exported as CSV. The entries
are written and read by core (core.audit, core.selectors); these pages are for the auditors,
whose capability people grants."""

from __future__ import annotations

import json

from django.core.paginator import Paginator
from django.shortcuts import render
from django.views.decorators.http import require_safe

from safeguarding.core.exports import csv_response
from safeguarding.core.selectors import audit_entry_list
from safeguarding.people.forms import AuditFilterForm
from safeguarding.people.permissions import VIEW_AUDIT, capability_required


@require_safe
@capability_required(VIEW_AUDIT)
def audit(request):
    form = AuditFilterForm(request.GET or None)
    filters = form.cleaned_data if form.is_bound and form.is_valid() else {}
    entries = audit_entry_list(**filters)
    if request.GET.get("format") == "csv" and (not form.is_bound or form.is_valid()):
        header = [
            "time",
            "actor",
            "action",
            "object_type",
            "object_id",
            "object",
            "changes",
            "client_address",
        ]
        rows = (
            [
                e.created_at.isoformat(),
                e.actor_email,
                e.action,
                e.object_type,
                e.object_id,
                e.object_repr,
                json.dumps(e.changes, ensure_ascii=False, sort_keys=True),
                e.client_address or "",
            ]
            for e in entries.iterator(chunk_size=2000)
        )
        return csv_response("audit-trail.csv", header, rows)
    page = Paginator(entries, 50).get_page(request.GET.get("page"))
    query = request.GET.copy()
    query.pop("page", None)
    return render(
        request,
        "people/audit.html",
        {
            "form": form if form.is_bound and form.errors else None,
            "filter_form": form,
            "page": page,
            "query": query.urlencode(),
        },
    )
