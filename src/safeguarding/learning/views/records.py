"""Each person's training record, their certificates, and the public certificate check."""

from __future__ import annotations

from django.contrib.auth.decorators import login_not_required
from django.http import HttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_safe

from safeguarding.learning import access
from safeguarding.learning.certificates import certificate_pdf as render_certificate
from safeguarding.learning.selectors import records as selectors


@login_not_required
@never_cache
@require_safe
def certificate_verify(request, code):
    certificate = selectors.certificate_by_code(code)
    context = {"certificate": certificate, "code": selectors.normalise_code(code)[:40]}
    if certificate is None:
        return render(request, "learning/records/verify.html", context, status=404)
    return render(request, "learning/records/verify.html", context)


@never_cache
@require_safe
def training_record(request):
    bookings = selectors.training_record(request.user)
    return render(
        request,
        "learning/records/training_record.html",
        {
            "bookings": bookings,
            "summary": selectors.training_record_summary(bookings),
            "now": timezone.now(),
        },
    )


@never_cache
@require_safe
def certificate_pdf(request, pk):
    certificate = access.get_certificate_for_user(request.user, pk)
    response = HttpResponse(render_certificate(certificate), content_type="application/pdf")
    response["Content-Disposition"] = f'attachment; filename="certificate-{certificate.code}.pdf"'
    return response
