"""The review queue, and the decisions an agency's next run reuses."""

from __future__ import annotations

from django.db.models import QuerySet

from safeguarding.health_records import access
from safeguarding.health_records.models import ReviewPair


def prior_decisions(*, agency) -> dict[tuple[str, str], bool]:
    """Every review decision the agency has made, the latest for each pair: reused by its next
    run (LinkageSettings.decisions)."""
    decided = (
        ReviewPair.objects.filter(run__agency=agency)
        .exclude(decision=ReviewPair.Decision.PENDING)
        .order_by("decided_at", "pk")
        .values_list("gp_record_id", "hv_record_id", "decision")
    )
    return {(gp, hv): decision == ReviewPair.Decision.ACCEPTED for gp, hv, decision in decided}


def review_queue(*, user, decision: str = ReviewPair.Decision.PENDING) -> QuerySet[ReviewPair]:
    pairs = access.review_pairs_visible_to(user).select_related("run", "decided_by")
    if decision:
        pairs = pairs.filter(decision=decision)
    return pairs.order_by("-run__extract_date", "-match_probability", "pk")
