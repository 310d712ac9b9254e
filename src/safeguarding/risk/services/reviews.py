"""Writes of reviews: set, complete, and the reminders of those due.

Every function is keyword-only, atomic and records an audit entry; it raises ValidationError
(with field names where it can) and leaves nothing half-saved. Access (who may call which) is
checked by the views through risk.access; services check the rules of the record itself.
"""

from __future__ import annotations

import datetime

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.mail import EmailMessage
from django.db import transaction
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone

from safeguarding.core.audit import record
from safeguarding.risk.models import (
    Identification,
    Review,
)


def review_set(
    *, identification: Identification, due_on: datetime.date, reason: str, actor
) -> Review:
    """Set the next review (replacing any still open): 8 weeks on, or today after a new
    incident."""
    if not identification.is_completed:
        raise ValidationError("Confirm the level before setting a review.")
    if due_on < identification.assessed_on:
        raise ValidationError({"due_on": "The review date must be after the identification."})
    open_reviews = identification.reviews.filter(done_on__isnull=True, replaced_on__isnull=True)
    replaced = [r.due_on for r in open_reviews]
    open_reviews.update(replaced_on=timezone.localdate())
    review = Review.objects.create(
        identification=identification, due_on=due_on, reason=reason, set_by=actor
    )
    record(
        action="risk.review.set",
        obj=identification,
        actor=actor,
        changes={"due_on": due_on, "reason": reason, "replaced": replaced},
    )
    return review


@transaction.atomic
def review_complete(*, review: Review, note: str, actor, today=None) -> Review:
    review = Review.objects.select_for_update().get(pk=review.pk)
    if review.done_on is not None or review.replaced_on is not None:
        raise ValidationError("This review is already done or was replaced by a new date.")
    if not note.strip():
        raise ValidationError({"note": "Say what the review found."})
    review.done_on = today or timezone.localdate()
    review.done_by = actor
    review.note = note.strip()
    review.save()
    record(
        action="risk.review.done",
        obj=review.identification,
        actor=actor,
        changes={"due_on": review.due_on, "done_on": review.done_on},
    )
    return review


def review_reminders_send(*, today: datetime.date, days_ahead: int = 7) -> int:
    """E-mail each author about their open reviews due within `days_ahead` days (or overdue),
    once per review. Returns how many reminders were sent."""
    due = (
        Review.objects.filter(
            done_on__isnull=True,
            replaced_on__isnull=True,
            reminded_at__isnull=True,
            due_on__lte=today + datetime.timedelta(days=days_ahead),
        )
        .select_related("identification__author")
        .order_by("due_on")
    )
    sent = 0
    for review in due:
        with transaction.atomic():
            locked = Review.objects.select_for_update().get(pk=review.pk)
            if locked.reminded_at is not None:
                continue
            locked.reminded_at = timezone.now()
            locked.save(update_fields=["reminded_at"])
            record(
                action="risk.review.reminded",
                obj=review.identification,
                actor=None,
                changes={"due_on": review.due_on},
            )
            author = review.identification.author
            context = {
                "review": review,
                "identification": review.identification,
                "overdue": review.due_on < today,
                "url": settings.SITE_URL
                + reverse("risk:identification-detail", args=[review.identification_id]),
                "partnership_name": settings.PARTNERSHIP_NAME,
            }
            # No names or answers in the e-mail: only the reference and a link to sign in.
            message = EmailMessage(
                subject=f"Risk identification {review.identification.reference}: review due",
                body=render_to_string("risk/email/review_due.txt", context),
                to=[author.email],
            )
            transaction.on_commit(message.send)
        sent += 1
    return sent
