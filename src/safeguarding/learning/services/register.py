"""Registers: marking attendance and adding walk-ins on the day."""

from __future__ import annotations

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction

from safeguarding.core import audit
from safeguarding.learning import access
from safeguarding.learning.models import (
    Booking,
    Session,
)
from safeguarding.learning.services.booking import lock_session, person_agency
from safeguarding.people.models import User


@transaction.atomic
def register_mark(*, booking: Booking, attendance: str, actor: User) -> Booking:
    """Mark attended or no-show. A late cancellation is recorded by the booking's status."""
    session = booking.session
    if not (access.is_business_unit(actor) or access.is_trainer_of(actor, session)):
        raise PermissionDenied(access.REGISTER_KEEPERS_ONLY)
    if attendance not in (
        Booking.Attendance.ATTENDED,
        Booking.Attendance.NO_SHOW,
        Booking.Attendance.UNMARKED,
    ):
        raise ValidationError({"attendance": "Choose attended or did not attend."})
    if booking.status != Booking.Status.CONFIRMED:
        raise ValidationError("Only confirmed places can be marked on the register.")
    before = booking.attendance
    if before != attendance:
        booking.attendance = attendance
        booking.save(update_fields=["attendance"])
        audit.record(
            action="learning.register.marked",
            obj=booking,
            actor=actor,
            changes={"attendance": [before, attendance]},
        )
    return booking


@transaction.atomic
def register_add_walk_in(*, session: Session, person: User, actor: User) -> Booking:
    if not (access.is_business_unit(actor) or access.is_trainer_of(actor, session)):
        raise PermissionDenied(access.REGISTER_KEEPERS_ONLY)
    session = lock_session(session)
    if session.bookings.filter(person=person, status__in=Booking.HOLDING).exists():
        raise ValidationError(f"{person} already has a place: mark them on the register.")
    booking = Booking.objects.create(
        session=session,
        person=person,
        booked_by=actor,
        agency=person_agency(person),
        status=Booking.Status.CONFIRMED,
        attendance=Booking.Attendance.ATTENDED,
        is_walk_in=True,
    )
    audit.record(action="learning.register.walk_in_added", obj=booking, actor=actor)
    return booking
