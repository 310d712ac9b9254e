"""Bookings: made, approved or declined, and cancelled; a freed place is offered to the next
person waiting. Anything that must not race (the last place, promotion from the waiting list)
locks the session row first (`lock_session`), so it is correct on PostgreSQL under concurrent
requests; SQLite serialises writers itself (IMMEDIATE transactions)."""

from __future__ import annotations

import datetime

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone

from safeguarding.core import audit
from safeguarding.learning import access, notifications
from safeguarding.learning.models import (
    Booking,
    Course,
    Session,
    WaitingListEntry,
)
from safeguarding.learning.selectors.places import booking_closes_at, booking_is_open, places_left
from safeguarding.people.models import Membership, User


class SessionFull(ValidationError):
    """No place is left: the person may join the waiting list instead."""


def person_agency(person: User):
    membership = (
        Membership.objects.filter(user=person).select_related("agency").order_by("pk").first()
    )
    if membership is None:
        raise ValidationError("This person is not a member of a partner agency.")
    return membership.agency


def missing_prerequisites(course: Course, person: User) -> list[Course]:
    attended = set(
        Booking.objects.filter(person=person, attendance=Booking.Attendance.ATTENDED).values_list(
            "session__course_id", flat=True
        )
    )
    return [c for c in course.prerequisites.all() if c.pk not in attended]


def _needs_approval(course: Course, person: User, actor: User) -> bool:
    if not course.requires_manager_approval:
        return False
    # A manager booking for their own team member has approved it by booking.
    return not access.manages(actor, person)


def lock_session(session: Session) -> Session:
    return Session.objects.select_for_update().select_related("course").get(pk=session.pk)


def _offer_is_claimable(session: Session, now: datetime.datetime) -> bool:
    """A place offered from the waiting list can be taken until the offer expires, even after
    bookings close (the place was freed by a late cancellation), but not once the session has
    started or been cancelled."""
    return session.status == Session.Status.SCHEDULED and now < session.starts_at


@transaction.atomic
def booking_create(
    *, session: Session, person: User, actor: User, from_offer: WaitingListEntry | None = None
) -> Booking:
    """Book `person` a place. Raises SessionFull when no place is left (join the waiting list).

    A person holding an unexpired waiting-list offer who books directly takes the offered place;
    a person still waiting who books leaves the waiting list."""
    if not access.may_book_for(actor, person):
        raise PermissionDenied("You can book places for yourself and your team only.")
    session = lock_session(session)
    now = timezone.now()
    if not person.is_active:
        raise ValidationError("This account is deactivated.")
    if from_offer is None:
        from_offer = (
            session.waiting_list.select_for_update()
            .filter(person=person, status=WaitingListEntry.Status.OFFERED, offer_expires_at__gt=now)
            .first()
        )
        if from_offer is not None:
            from_offer.status = WaitingListEntry.Status.CLAIMED
            from_offer.save(update_fields=["status"])
            audit.record(action="learning.waiting_list.claimed", obj=from_offer, actor=actor)
    reserved_for_them = from_offer is not None
    if reserved_for_them:
        if not _offer_is_claimable(session, now):
            raise ValidationError("This session has started or been cancelled.")
    elif not booking_is_open(session, now):
        raise ValidationError("Booking for this session is closed.")
    if session.bookings.filter(person=person, status__in=Booking.HOLDING).exists():
        raise ValidationError(f"{person} already has a place on this session.")
    missing = missing_prerequisites(session.course, person)
    if missing:
        names = ", ".join(str(c) for c in missing)
        raise ValidationError(f"{person} must attend {names} before booking this course.")
    if not reserved_for_them and places_left(session) <= 0:
        raise SessionFull("There are no places left on this session.")
    # Booking directly while on the waiting list takes the person off it.
    still_waiting = list(
        session.waiting_list.select_for_update().filter(
            person=person, status=WaitingListEntry.Status.WAITING
        )
    )
    for entry in still_waiting:
        entry.status = WaitingListEntry.Status.CLAIMED
        entry.save(update_fields=["status"])
        audit.record(action="learning.waiting_list.claimed", obj=entry, actor=actor)
    status = (
        Booking.Status.AWAITING_APPROVAL
        if _needs_approval(session.course, person, actor)
        else Booking.Status.CONFIRMED
    )
    booking = Booking.objects.create(
        session=session,
        person=person,
        booked_by=actor,
        agency=person_agency(person),
        status=status,
    )
    audit.record(
        action="learning.booking.created",
        obj=booking,
        actor=actor,
        changes={"status": status, "session": str(session), "person": str(person)},
    )
    if status == Booking.Status.CONFIRMED:
        transaction.on_commit(lambda: notifications.booking_confirmed(booking))
    else:
        transaction.on_commit(lambda: notifications.approval_requested(booking))
    return booking


@transaction.atomic
def booking_decide(*, booking: Booking, approve: bool, actor: User) -> Booking:
    session = lock_session(booking.session)
    booking = Booking.objects.select_for_update().get(pk=booking.pk)
    if not (access.manages(actor, booking.person) or access.is_business_unit(actor)):
        raise PermissionDenied("Only the person's line manager can approve this booking.")
    if booking.status != Booking.Status.AWAITING_APPROVAL:
        raise ValidationError("This booking is not waiting for approval.")
    booking.status = Booking.Status.CONFIRMED if approve else Booking.Status.DECLINED
    booking.decided_by = actor
    booking.save(update_fields=["status", "decided_by"])
    audit.record(
        action="learning.booking.approved" if approve else "learning.booking.declined",
        obj=booking,
        actor=actor,
    )
    if approve:
        transaction.on_commit(lambda: notifications.booking_confirmed(booking))
    else:
        transaction.on_commit(lambda: notifications.booking_declined(booking))
        offer_free_places(session)
    return booking


@transaction.atomic
def booking_cancel(*, booking: Booking, actor: User) -> Booking:
    """Cancel a place. After the booking cut-off it counts as a late cancellation (charged)."""
    session = lock_session(booking.session)
    booking = Booking.objects.select_for_update().get(pk=booking.pk)
    if not access.may_book_for(actor, booking.person) and booking.booked_by_id != actor.pk:
        raise PermissionDenied("You can cancel your own and your team's places only.")
    if booking.status not in Booking.HOLDING:
        raise ValidationError("This booking is already cancelled.")
    if timezone.now() >= session.starts_at:
        raise ValidationError("The session has started: ask the trainer to mark the register.")
    late = (
        timezone.now() >= booking_closes_at(session) and booking.status == Booking.Status.CONFIRMED
    )
    booking.status = Booking.Status.LATE_CANCELLED if late else Booking.Status.CANCELLED
    booking.cancelled_at = timezone.now()
    booking.save(update_fields=["status", "cancelled_at"])
    audit.record(
        action="learning.booking.cancelled", obj=booking, actor=actor, changes={"late": late}
    )
    transaction.on_commit(lambda: notifications.booking_cancelled(booking))
    offer_free_places(session)
    return booking


def offer_free_places(
    session: Session, now: datetime.datetime | None = None
) -> list[WaitingListEntry]:
    """Offer each free place to the next person waiting, first come first served.
    Call with the session row locked."""
    offers = []
    now = now or timezone.now()
    # Nothing to offer once the session has started: an offer could never be taken up.
    if session.status != Session.Status.SCHEDULED or session.starts_at <= now:
        return offers
    free = places_left(session)
    if free <= 0:
        return offers
    expires = now + datetime.timedelta(hours=settings.LEARNING_OFFER_HOURS)
    for entry in session.waiting_list.filter(status=WaitingListEntry.Status.WAITING)[:free]:
        entry.status = WaitingListEntry.Status.OFFERED
        entry.offered_at = now
        entry.offer_expires_at = min(expires, session.starts_at)
        entry.save(update_fields=["status", "offered_at", "offer_expires_at"])
        audit.record(
            action="learning.waiting_list.offered",
            obj=entry,
            actor=None,
            changes={"expires": entry.offer_expires_at},
        )
        offers.append(entry)
    for entry in offers:
        transaction.on_commit(lambda entry=entry: notifications.place_offered(entry))
    return offers
