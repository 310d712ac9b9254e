"""Pages every module shares: home, accessibility statement, privacy notice, errors."""

from __future__ import annotations

from django.contrib.auth.decorators import login_not_required
from django.http import HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_safe

from safeguarding.core import navigation


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
