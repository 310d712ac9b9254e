"""Scheduling, changing, cancelling and reminding sessions. Changes that free places offer them
to the waiting list (`services.booking.offer_free_places`)."""

from __future__ import annotations

import datetime

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from safeguarding.core import audit
from safeguarding.learning import notifications
from safeguarding.learning.models import (
    Accreditation,
    Booking,
    Course,
    Session,
    SessionTrainer,
    WaitingListEntry,
)
from safeguarding.learning.selectors.places import places_taken
from safeguarding.learning.services.booking import lock_session, offer_free_places
from safeguarding.people.models import Membership, User


def _check_trainers(
    *,
    course: Course,
    starts_at,
    ends_at,
    trainers: list[User],
    exclude_session: Session | None = None,
) -> None:
    if not 1 <= len(trainers) <= 2:
        raise ValidationError({"trainers": "Choose one or two trainers."})
    if len(set(trainers)) != len(trainers):
        raise ValidationError({"trainers": "Choose two different trainers."})
    day = timezone.localtime(starts_at).date()
    for trainer in trainers:
        accredited = Accreditation.objects.filter(
            trainer=trainer, course=course, accredited_on__lte=day, expires_on__gte=day
        ).exists()
        if not accredited:
            raise ValidationError(
                {"trainers": f"{trainer} is not accredited to deliver {course} on that date."}
            )
        clashes = SessionTrainer.objects.filter(
            trainer=trainer,
            session__status=Session.Status.SCHEDULED,
            session__starts_at__lt=ends_at,
            session__ends_at__gt=starts_at,
        )
        if exclude_session is not None:
            clashes = clashes.exclude(session=exclude_session)
        clash = clashes.select_related("session__course").first()
        if clash is not None:
            raise ValidationError(
                {"trainers": f"{trainer} is already training {clash.session} at that time."}
            )


def _trainer_agency(trainer: User):
    membership = Membership.objects.filter(user=trainer).order_by("pk").first()
    if membership is None:
        raise ValidationError({"trainers": f"{trainer} is not a member of any agency."})
    return membership.agency


@transaction.atomic
def session_create(
    *,
    course: Course,
    starts_at,
    ends_at,
    capacity: int,
    trainers: list[User],
    venue=None,
    online_url: str = "",
    joining_instructions: str = "",
    booking_opens_at=None,
    cutoff_working_days: int = 2,
    actor,
) -> Session:
    session = Session(
        course=course,
        starts_at=starts_at,
        ends_at=ends_at,
        capacity=capacity,
        venue=venue,
        online_url=online_url,
        joining_instructions=joining_instructions,
        booking_opens_at=booking_opens_at,
        cutoff_working_days=cutoff_working_days,
    )
    session.full_clean()
    # Lock the trainers' rows so two sessions cannot book the same trainer at once.
    list(User.objects.select_for_update().filter(pk__in=[t.pk for t in trainers]))
    _check_trainers(course=course, starts_at=starts_at, ends_at=ends_at, trainers=trainers)
    session.save()
    SessionTrainer.objects.bulk_create(
        SessionTrainer(session=session, trainer=t, agency=_trainer_agency(t)) for t in trainers
    )
    audit.record(
        action="learning.session.created",
        obj=session,
        actor=actor,
        changes={
            "course": str(course),
            "starts_at": starts_at,
            "capacity": capacity,
            "trainers": [str(t) for t in trainers],
        },
    )
    return session


# What a person booked needs to hear about when it changes: when and where the session is.
_SESSION_NOTICE_FIELDS = ("starts_at", "ends_at", "venue", "online_url", "joining_instructions")


@transaction.atomic
def session_update(
    *,
    session: Session,
    starts_at,
    ends_at,
    capacity: int,
    trainers: list[User],
    venue=None,
    online_url: str = "",
    joining_instructions: str = "",
    booking_opens_at=None,
    cutoff_working_days: int = 2,
    actor,
) -> Session:
    """Change a scheduled session. Capacity can never drop below the places already taken
    (bookings, approvals pending and outstanding offers); extra places go to the waiting list at
    once; people with a place are told of a new time or place, with an updated calendar entry."""
    session = Session.objects.select_for_update().select_related("course").get(pk=session.pk)
    if session.status != Session.Status.SCHEDULED:
        raise ValidationError("A cancelled session cannot be changed.")
    if session.starts_at <= timezone.now():
        raise ValidationError("The session has started: only its register can be changed now.")
    taken = places_taken(session)
    if capacity < taken:
        raise ValidationError(
            {
                "capacity": f"{taken} places are already taken by bookings and offers, so the "
                f"session needs at least {taken} places. Cancel bookings first to make it smaller."
            }
        )
    before = {
        "starts_at": session.starts_at,
        "ends_at": session.ends_at,
        "venue": session.venue,
        "online_url": session.online_url,
        "joining_instructions": session.joining_instructions,
        "capacity": session.capacity,
        "booking_opens_at": session.booking_opens_at,
        "cutoff_working_days": session.cutoff_working_days,
    }
    old_trainers = sorted(session.trainers.all(), key=lambda t: t.pk)
    after = {
        "starts_at": starts_at,
        "ends_at": ends_at,
        "venue": venue,
        "online_url": online_url,
        "joining_instructions": joining_instructions,
        "capacity": capacity,
        "booking_opens_at": booking_opens_at,
        "cutoff_working_days": cutoff_working_days,
    }
    for name, value in after.items():
        setattr(session, name, value)
    session.full_clean()
    list(User.objects.select_for_update().filter(pk__in=[t.pk for t in trainers]))
    _check_trainers(
        course=session.course,
        starts_at=starts_at,
        ends_at=ends_at,
        trainers=trainers,
        exclude_session=session,
    )
    changed = {name: value for name, value in after.items() if before[name] != value}
    new_trainers = sorted(trainers, key=lambda t: t.pk)
    if new_trainers != old_trainers:
        changed["trainers"] = [str(t) for t in new_trainers]
    if not changed:
        return session
    notify = any(name in changed for name in _SESSION_NOTICE_FIELDS)
    if notify:
        session.sequence += 1
    session.save()
    if "trainers" in changed:
        SessionTrainer.objects.filter(session=session).delete()
        SessionTrainer.objects.bulk_create(
            SessionTrainer(session=session, trainer=t, agency=_trainer_agency(t)) for t in trainers
        )
    audit.record(
        action="learning.session.updated",
        obj=session,
        actor=actor,
        changes={
            name: {"from": before.get(name, [str(t) for t in old_trainers]), "to": value}
            for name, value in changed.items()
        },
    )
    if capacity > before["capacity"]:
        offer_free_places(session)
    if notify:
        people = [
            b.person
            for b in session.bookings.filter(status=Booking.Status.CONFIRMED).select_related(
                "person"
            )
        ]
        # People waiting for approval hear the details when they are approved.
        transaction.on_commit(lambda: notifications.session_changed(session, people))
    return session


@transaction.atomic
def session_cancel(*, session: Session, reason: str, actor) -> Session:
    session = Session.objects.select_for_update().get(pk=session.pk)
    if session.status == Session.Status.CANCELLED:
        return session
    if not reason.strip():
        raise ValidationError({"reason": "Give the reason, so that people booked know why."})
    session.status = Session.Status.CANCELLED
    session.cancelled_reason = reason.strip()
    session.save(update_fields=["status", "cancelled_reason"])
    affected = list(session.bookings.filter(status__in=Booking.HOLDING).select_related("person"))
    session.bookings.filter(pk__in=[b.pk for b in affected]).update(
        status=Booking.Status.SESSION_CANCELLED, cancelled_at=timezone.now()
    )
    waiting = list(
        session.waiting_list.filter(
            status__in=[WaitingListEntry.Status.WAITING, WaitingListEntry.Status.OFFERED]
        ).select_related("person")
    )
    session.waiting_list.filter(pk__in=[w.pk for w in waiting]).update(
        status=WaitingListEntry.Status.LEFT
    )
    audit.record(
        action="learning.session.cancelled",
        obj=session,
        actor=actor,
        changes={"reason": reason, "bookings_cancelled": len(affected)},
    )
    people = [b.person for b in affected] + [w.person for w in waiting]
    transaction.on_commit(lambda: notifications.session_cancelled(session, people))
    return session


@transaction.atomic
def session_remind(*, session: Session, now: datetime.datetime | None = None, actor=None) -> int:
    """E-mail a reminder (with the calendar file and joining instructions) to everyone with a
    confirmed place, once per session: a second call, or a concurrent run, sends nothing.
    Returns how many reminders were sent."""
    now = now or timezone.now()
    session = lock_session(session)
    if session.reminder_sent_at is not None or session.status != Session.Status.SCHEDULED:
        return 0
    if session.starts_at <= now:
        return 0
    bookings = list(
        session.bookings.filter(status=Booking.Status.CONFIRMED).select_related("person")
    )
    session.reminder_sent_at = now
    session.save(update_fields=["reminder_sent_at"])
    audit.record(
        action="learning.session.reminded",
        obj=session,
        actor=actor,
        changes={"reminders": len(bookings)},
    )
    for booking in bookings:
        booking.session = session
        transaction.on_commit(lambda booking=booking: notifications.reminder(booking), robust=True)
    return len(bookings)
