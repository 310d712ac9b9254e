"""The waiting list: joining, leaving, taking up an offered place, and offers that expire."""

from __future__ import annotations

import datetime

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone

from safeguarding.core import audit
from safeguarding.learning import access
from safeguarding.learning.models import (
    Booking,
    Session,
    WaitingListEntry,
)
from safeguarding.learning.selectors.places import booking_is_open, places_left
from safeguarding.learning.services.booking import (
    booking_create,
    lock_session,
    missing_prerequisites,
    offer_free_places,
)
from safeguarding.people.models import User


@transaction.atomic
def waiting_list_join(*, session: Session, person: User, actor: User) -> WaitingListEntry:
    if not access.may_book_for(actor, person):
        raise PermissionDenied("You can add yourself and your team only.")
    session = lock_session(session)
    if not booking_is_open(session):
        raise ValidationError("Booking for this session is closed.")
    if session.bookings.filter(person=person, status__in=Booking.HOLDING).exists():
        raise ValidationError(f"{person} already has a place on this session.")
    if session.waiting_list.filter(
        person=person, status__in=[WaitingListEntry.Status.WAITING, WaitingListEntry.Status.OFFERED]
    ).exists():
        raise ValidationError(f"{person} is already on the waiting list.")
    if places_left(session) > 0:
        raise ValidationError("There are places left: book one instead.")
    missing = missing_prerequisites(session.course, person)
    if missing:
        raise ValidationError(f"{person} must attend {', '.join(map(str, missing))} first.")
    entry = WaitingListEntry.objects.create(session=session, person=person)
    audit.record(action="learning.waiting_list.joined", obj=entry, actor=actor)
    return entry


@transaction.atomic
def waiting_list_leave(*, entry: WaitingListEntry, actor: User) -> WaitingListEntry:
    session = lock_session(entry.session)
    entry = WaitingListEntry.objects.select_for_update().get(pk=entry.pk)
    if not access.may_book_for(actor, entry.person):
        raise PermissionDenied("You can take yourself and your team off the list only.")
    if entry.status not in (WaitingListEntry.Status.WAITING, WaitingListEntry.Status.OFFERED):
        raise ValidationError("This person is no longer on the waiting list.")
    was_offered = entry.status == WaitingListEntry.Status.OFFERED
    entry.status = WaitingListEntry.Status.LEFT
    entry.save(update_fields=["status"])
    audit.record(action="learning.waiting_list.left", obj=entry, actor=actor)
    if was_offered:
        offer_free_places(session)
    return entry


@transaction.atomic
def waiting_list_claim(*, entry: WaitingListEntry, actor: User) -> Booking:
    """Take up an offered place before the offer expires."""
    lock_session(entry.session)
    entry = WaitingListEntry.objects.select_for_update().get(pk=entry.pk)
    if not access.may_book_for(actor, entry.person):
        raise PermissionDenied("Only the person offered the place can take it.")
    if entry.status != WaitingListEntry.Status.OFFERED:
        raise ValidationError("There is no place on offer for this person.")
    if entry.offer_expires_at <= timezone.now():
        raise ValidationError("The offer has expired and has passed to the next person.")
    entry.status = WaitingListEntry.Status.CLAIMED
    entry.save(update_fields=["status"])
    audit.record(action="learning.waiting_list.claimed", obj=entry, actor=actor)
    return booking_create(session=entry.session, person=entry.person, actor=actor, from_offer=entry)


def expire_offers(*, now: datetime.datetime | None = None) -> int:
    """Expire offers not taken in time and pass each place to the next person waiting."""
    now = now or timezone.now()
    session_ids = set(
        WaitingListEntry.objects.filter(
            status=WaitingListEntry.Status.OFFERED, offer_expires_at__lte=now
        ).values_list("session_id", flat=True)
    )
    expired = 0
    for session_id in session_ids:
        with transaction.atomic():
            session = lock_session(Session(pk=session_id))
            stale = list(
                session.waiting_list.select_for_update().filter(
                    status=WaitingListEntry.Status.OFFERED, offer_expires_at__lte=now
                )
            )
            for entry in stale:
                entry.status = WaitingListEntry.Status.EXPIRED
                entry.save(update_fields=["status"])
                audit.record(action="learning.waiting_list.offer_expired", obj=entry, actor=None)
            expired += len(stale)
            offer_free_places(session, now)
    return expired
