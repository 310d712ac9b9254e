"""Reads of reviews: those due for a practitioner, the one open on an identification."""

from __future__ import annotations

import datetime

from django.db.models import QuerySet

from safeguarding.risk.access import identifications_visible_to
from safeguarding.risk.models import Identification, Review


def reviews_due(user, today: datetime.date, days_ahead: int = 14) -> QuerySet[Review]:
    return (
        Review.objects.filter(
            identification__in=identifications_visible_to(user).filter(author=user),
            done_on__isnull=True,
            replaced_on__isnull=True,
            due_on__lte=today + datetime.timedelta(days=days_ahead),
        )
        .select_related("identification__household")
        .order_by("due_on")
    )


def open_review(identification: Identification) -> Review | None:
    return identification.reviews.filter(done_on__isnull=True, replaced_on__isnull=True).first()
