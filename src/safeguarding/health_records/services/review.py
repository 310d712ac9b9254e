"""Decisions on the pairs the linkage could not settle: same child, or different children."""

from __future__ import annotations

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone

from safeguarding.core import audit
from safeguarding.health_records.access import ANALYSTS_ONLY, is_analyst
from safeguarding.health_records.models import ReviewPair


@transaction.atomic
def review_decide(*, pair: ReviewPair, accepted: bool, actor) -> ReviewPair:
    """Accept (same child) or reject (different children) a review pair. The agency's next run
    reuses the decision; a decision can be changed, and the change is audited."""
    pair = ReviewPair.objects.select_for_update().select_related("run").get(pk=pair.pk)
    if actor is None or not is_analyst(actor, pair.run.agency_id):
        raise PermissionDenied(ANALYSTS_ONLY)
    if pair.purged_at is not None:
        raise ValidationError("This pair's details have been deleted: it can no longer be decided.")
    before = audit.snapshot(pair, ["decision"])
    pair.decision = ReviewPair.Decision.ACCEPTED if accepted else ReviewPair.Decision.REJECTED
    pair.decided_by = actor
    pair.decided_at = timezone.now()
    pair.save(update_fields=["decision", "decided_by", "decided_at"])
    audit.record(
        action="health_records.reviewpair.decided",
        obj=pair,
        actor=actor,
        changes=audit.diff(before, audit.snapshot(pair, ["decision"])),
    )
    return pair
