"""The review queue and the side-by-side decision page."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.shortcuts import redirect, render
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods, require_safe

from safeguarding.core import audit
from safeguarding.health_records import access
from safeguarding.health_records.forms import ReviewDecisionForm
from safeguarding.health_records.models import ReviewPair
from safeguarding.health_records.selectors.review import review_queue
from safeguarding.health_records.services.review import review_decide
from safeguarding.health_records.views.common import PER_PAGE, subnav


@never_cache
@require_safe
def review_list(request):
    access.require_analyst(request.user)
    decision = request.GET.get("decision", ReviewPair.Decision.PENDING)
    if decision not in ReviewPair.Decision.values and decision != "all":
        decision = ReviewPair.Decision.PENDING
    pairs = review_queue(user=request.user, decision="" if decision == "all" else decision)
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
            **subnav(request.user),
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
            review_decide(
                pair=pair,
                accepted=form.cleaned_data["decision"] == ReviewPair.Decision.ACCEPTED,
                actor=request.user,
            )
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, "Decision saved. The next run will reuse it.")
            following = review_queue(user=request.user).exclude(pk=pair.pk).first()
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
