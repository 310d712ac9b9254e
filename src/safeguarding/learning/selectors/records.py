"""Reads for registers, certificates and each person's training record."""

from __future__ import annotations

from dataclasses import dataclass

from django.db.models import Exists, OuterRef, QuerySet
from django.utils import timezone

from safeguarding.learning.models import (
    Booking,
    Certificate,
    EvaluationResponse,
    Questionnaire,
    Session,
    SessionTrainer,
)

CODE_ALPHABET = frozenset("ABCDEFGHJKLMNPQRSTUVWXYZ23456789")
CODE_LENGTH = 12


# Registers -----------------------------------------------------------------------------------


@dataclass(frozen=True)
class Register:
    session: Session
    places: list[Booking]  # confirmed places (walk-ins included): the people to mark
    late_cancelled: list[Booking]
    booked: int
    attended: int
    no_show: int
    unmarked: int
    walk_ins: int

    @property
    def opens_on(self):
        return timezone.localtime(self.session.starts_at).date()

    @property
    def is_open(self) -> bool:
        """Marks can be taken from the day of the session; never on a cancelled session."""
        return (
            self.session.status == Session.Status.SCHEDULED
            and timezone.localdate() >= self.opens_on
        )


def register_for(session: Session) -> Register:
    bookings = (
        session.bookings.filter(
            status__in=[Booking.Status.CONFIRMED, Booking.Status.LATE_CANCELLED]
        )
        .select_related("person", "agency")
        .order_by("person__family_name", "person__given_name", "person__email")
    )
    places = [b for b in bookings if b.status == Booking.Status.CONFIRMED]
    late = [b for b in bookings if b.status == Booking.Status.LATE_CANCELLED]
    return Register(
        session=session,
        places=places,
        late_cancelled=late,
        booked=sum(1 for b in places if not b.is_walk_in),
        attended=sum(1 for b in places if b.attendance == Booking.Attendance.ATTENDED),
        no_show=sum(1 for b in places if b.attendance == Booking.Attendance.NO_SHOW),
        unmarked=sum(1 for b in places if b.attendance == Booking.Attendance.UNMARKED),
        walk_ins=sum(1 for b in places if b.is_walk_in),
    )


def trainer_names(session: Session) -> list[str]:
    return [
        str(link.trainer)
        for link in SessionTrainer.objects.filter(session=session)
        .select_related("trainer")
        .order_by("trainer__family_name", "trainer__given_name")
    ]


# Certificates --------------------------------------------------------------------------------


def has_immediate_evaluation(booking: Booking) -> bool:
    return booking.evaluations.filter(stage=Questionnaire.Stage.IMMEDIATE).exists()


def certificate_is_due(booking: Booking) -> bool:
    """Attended a confirmed place and, where the course asks for it, sent the evaluation."""
    if booking.status != Booking.Status.CONFIRMED:
        return False
    if booking.attendance != Booking.Attendance.ATTENDED:
        return False
    if booking.session.course.requires_evaluation_for_certificate:
        return has_immediate_evaluation(booking)
    return True


def certificates_with_details() -> QuerySet[Certificate]:
    return Certificate.objects.select_related(
        "booking__person", "booking__session__course", "booking__session__venue"
    )


def normalise_code(code: str) -> str:
    return "".join(code.split()).replace("-", "").upper()


def certificate_by_code(code: str) -> Certificate | None:
    code = normalise_code(code)
    if len(code) != CODE_LENGTH or not set(code) <= CODE_ALPHABET:
        return None
    return certificates_with_details().filter(code=code).first()


# Training records ----------------------------------------------------------------------------


def training_record(person) -> list[Booking]:
    """Every booking the person has had, newest session first, with the certificate (if any)
    and whether they have sent the evaluation given straight after the session."""
    immediate = EvaluationResponse.objects.filter(
        booking=OuterRef("pk"), stage=Questionnaire.Stage.IMMEDIATE
    )
    bookings = list(
        Booking.objects.filter(person=person)
        .select_related("session__course", "session__venue", "certificate", "agency")
        .annotate(has_immediate_evaluation=Exists(immediate))
        .order_by("-session__starts_at", "-created_at")
    )
    for booking in bookings:
        booking.issued_certificate = certificate_of(booking)
    return bookings


def certificate_of(booking: Booking) -> Certificate | None:
    try:
        return booking.certificate
    except Certificate.DoesNotExist:
        return None


def training_record_summary(bookings: list[Booking]) -> dict[str, int]:
    attended = [b for b in bookings if b.attendance == Booking.Attendance.ATTENDED]
    return {
        "attended": len(attended),
        "certificates": sum(1 for b in attended if certificate_of(b) is not None),
    }
