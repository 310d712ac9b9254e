"""Pages every module shares: home, accessibility statement, privacy notice, errors, audit trail."""

from __future__ import annotations

import json

from django.contrib.auth.decorators import login_not_required
from django.core.paginator import Paginator
from django.http import HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_safe

from safeguarding.core import navigation
from safeguarding.core.exports import csv_response
from safeguarding.core.forms_audit import AuditFilterForm
from safeguarding.core.selectors import audit_entry_list
from safeguarding.people.permissions import VIEW_AUDIT, capability_required


@login_not_required
@require_safe
def home(request):
    signed_in = request.user.is_authenticated
    sections = navigation.card_sections_for(request) if signed_in else []
    return render(request, "core/home.html", {"card_sections": sections})


@login_not_required
@require_safe
def accessibility(request):
    return render(request, "core/accessibility.html")


@login_not_required
@require_safe
def privacy(request):
    return render(request, "core/privacy.html")


@login_not_required
@require_safe
def healthz(request):
    return HttpResponse("ok", content_type="text/plain")


def permission_denied(request, exception=None):
    return render(request, "403.html", status=403)


def page_not_found(request, exception=None):
    return render(request, "404.html", status=404)


def server_error(request):
    # No context processors that touch the database: the error may be the database.
    from django.template import loader

    return HttpResponse(loader.get_template("500.html").render(), status=500)


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
        "core/audit.html",
        {
            "form": form if form.is_bound and form.errors else None,
            "filter_form": form,
            "page": page,
            "query": query.urlencode(),
        },
    )
