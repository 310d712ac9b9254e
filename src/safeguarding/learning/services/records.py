"""Writes for registers and certificates.

A certificate is issued when a confirmed place is marked attended, or, for courses that ask for
it, once the person has also sent the evaluation given straight after the session (the evaluation
service calls `certificate_issue_if_due`). A mark corrected from attended to did-not-attend
withdraws the certificate, so its code no longer verifies; the audit trail keeps the code.
"""

from __future__ import annotations

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone

from safeguarding.core import audit
from safeguarding.learning import access
from safeguarding.learning.models import Booking, Certificate, Session
from safeguarding.learning.selectors import records as selectors
from safeguarding.learning.services import register as register_services
from safeguarding.people.models import User


def _check_register_keeper(actor, session: Session) -> None:
    if not (access.is_business_unit(actor) or access.is_trainer_of(actor, session)):
        raise PermissionDenied(access.REGISTER_KEEPERS_ONLY)


def _check_register_open(session: Session) -> None:
    if session.status != Session.Status.SCHEDULED:
        raise ValidationError("This session was cancelled: there is no register to keep.")
    opens_on = timezone.localtime(session.starts_at).date()
    if timezone.localdate() < opens_on:
        raise ValidationError(
            f"You can mark the register from the day of the session, "
            f"{opens_on:%A} {opens_on.day} {opens_on:%B %Y}."
        )


# Certificates --------------------------------------------------------------------------------


def _locked(booking: Booking) -> Booking:
    return (
        Booking.objects.select_for_update()
        .select_related("session__course", "person")
        .get(pk=booking.pk)
    )


@transaction.atomic
def certificate_issue(*, booking: Booking, actor) -> Certificate:
    """Issue the booking's certificate. Issuing twice returns the certificate already issued."""
    booking = _locked(booking)
    existing = selectors.certificate_of(booking)
    if existing is not None:
        return existing
    if booking.status != Booking.Status.CONFIRMED or (
        booking.attendance != Booking.Attendance.ATTENDED
    ):
        raise ValidationError("A certificate is issued only to people marked as attended.")
    if not selectors.certificate_is_due(booking):
        raise ValidationError(
            "This course gives a certificate once the person has sent their evaluation."
        )
    certificate = Certificate.objects.create(booking=booking)
    audit.record(
        action="learning.certificate.issued",
        obj=certificate,
        actor=actor,
        changes={
            "booking": booking.pk,
            "person": booking.person,
            "session": booking.session,
        },
    )
    return certificate


@transaction.atomic
def certificate_issue_if_due(*, booking: Booking, actor) -> Certificate | None:
    """Issue the certificate if the booking has earned it and has none yet; else do nothing.
    Returns the booking's certificate, if it has one."""
    booking = _locked(booking)
    existing = selectors.certificate_of(booking)
    if existing is not None:
        return existing
    if not selectors.certificate_is_due(booking):
        return None
    return certificate_issue(booking=booking, actor=actor)


@transaction.atomic
def certificate_withdraw(*, booking: Booking, actor) -> None:
    """Withdraw a certificate issued by mistake (the person was not there after all)."""
    booking = _locked(booking)
    _check_register_keeper(actor, booking.session)
    certificate = selectors.certificate_of(booking)
    if certificate is None:
        return
    if booking.attendance == Booking.Attendance.ATTENDED and booking.status == (
        Booking.Status.CONFIRMED
    ):
        raise ValidationError("The person attended: their certificate stands.")
    code = certificate.code
    certificate.delete()
    audit.record(
        action="learning.certificate.withdrawn",
        obj=booking,
        actor=actor,
        changes={"code": code, "attendance": booking.attendance},
    )


# Registers -----------------------------------------------------------------------------------


@transaction.atomic
def register_save(*, session: Session, marks: dict[int, str], actor) -> list[Booking]:
    """Mark attended or did-not-attend for many places at once: all of them, or none."""
    _check_register_keeper(actor, session)
    session = Session.objects.select_for_update().select_related("course").get(pk=session.pk)
    _check_register_open(session)
    bookings = {
        b.pk: b
        for b in session.bookings.select_for_update()
        .select_related("person", "session__course")
        .filter(pk__in=list(marks))
    }
    unknown = [pk for pk in marks if pk not in bookings]
    if unknown:
        raise ValidationError("Some of these people are not on this register: reload the page.")
    not_confirmed = [b for b in bookings.values() if b.status != Booking.Status.CONFIRMED]
    if not_confirmed:
        names = ", ".join(str(b.person) for b in not_confirmed)
        raise ValidationError(
            f"These places are no longer confirmed, so cannot be marked: {names}. "
            "Reload the register."
        )
    changed = 0
    for pk, attendance in marks.items():
        booking = bookings[pk]
        before = booking.attendance
        booking = register_services.register_mark(
            booking=booking, attendance=attendance, actor=actor
        )
        changed += before != booking.attendance
        if booking.attendance == Booking.Attendance.ATTENDED:
            certificate_issue_if_due(booking=booking, actor=actor)
        elif selectors.certificate_of(booking) is not None:
            certificate_withdraw(booking=booking, actor=actor)
    audit.record(
        action="learning.register.saved",
        obj=session,
        actor=actor,
        changes={"places_marked": len(marks), "marks_changed": changed},
    )
    return list(bookings.values())


@transaction.atomic
def register_walk_in_add(*, session: Session, person: User, actor) -> Booking:
    """Add someone who came without a place: marked attended, and given their certificate
    (unless the course waits for their evaluation)."""
    _check_register_keeper(actor, session)
    session = Session.objects.select_related("course").get(pk=session.pk)
    _check_register_open(session)
    if not person.is_active:
        raise ValidationError({"email": "This account is deactivated."})
    booking = register_services.register_add_walk_in(session=session, person=person, actor=actor)
    certificate_issue_if_due(booking=booking, actor=actor)
    return booking
