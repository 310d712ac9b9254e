"""Every write to the training programme. Anything that must not race (the last place, promotion
from the waiting list) locks the session row first, so it is correct on PostgreSQL under
concurrent requests; SQLite serialises writers itself (IMMEDIATE transactions)."""

from __future__ import annotations

import datetime

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone

from safeguarding.core import audit
from safeguarding.learning import access, notifications
from safeguarding.learning.calendar import working_days_before
from safeguarding.learning.models import (
    Accreditation,
    Booking,
    Course,
    Session,
    SessionTrainer,
    WaitingListEntry,
)
from safeguarding.people.models import Membership, User


class SessionFull(ValidationError):
    """No place is left: the person may join the waiting list instead."""


# Sessions ------------------------------------------------------------------------------------


def booking_closes_at(session: Session) -> datetime.datetime:
    """Bookings close at the end of the day `cutoff_working_days` working days before the
    session (England and Wales bank holidays and weekends are not working days)."""
    local_start = timezone.localtime(session.starts_at)
    last_day = working_days_before(local_start.date(), session.cutoff_working_days)
    midnight_after = datetime.datetime.combine(
        last_day + datetime.timedelta(days=1), datetime.time.min
    )
    return timezone.make_aware(midnight_after)


def booking_is_open(session: Session, now: datetime.datetime | None = None) -> bool:
    now = now or timezone.now()
    opened = session.booking_opens_at is None or session.booking_opens_at <= now
    return (
        session.status == Session.Status.SCHEDULED
        and session.course.status == Course.Status.PUBLISHED
        and opened
        and now < booking_closes_at(session)
    )


def places_taken(session: Session) -> int:
    """Places held by bookings plus places reserved for outstanding waiting-list offers."""
    held = session.bookings.filter(status__in=Booking.HOLDING).count()
    offered = session.waiting_list.filter(status=WaitingListEntry.Status.OFFERED).count()
    return held + offered


def places_left(session: Session) -> int:
    return max(0, session.capacity - places_taken(session))


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
        _offer_free_places(session)
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


# Bookings ------------------------------------------------------------------------------------


def _person_agency(person: User):
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


def _lock(session: Session) -> Session:
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
    session = _lock(session)
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
        agency=_person_agency(person),
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
    session = _lock(booking.session)
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
        _offer_free_places(session)
    return booking


@transaction.atomic
def booking_cancel(*, booking: Booking, actor: User) -> Booking:
    """Cancel a place. After the booking cut-off it counts as a late cancellation (charged)."""
    session = _lock(booking.session)
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
    _offer_free_places(session)
    return booking


# Waiting list --------------------------------------------------------------------------------


@transaction.atomic
def waiting_list_join(*, session: Session, person: User, actor: User) -> WaitingListEntry:
    if not access.may_book_for(actor, person):
        raise PermissionDenied("You can add yourself and your team only.")
    session = _lock(session)
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
    session = _lock(entry.session)
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
        _offer_free_places(session)
    return entry


@transaction.atomic
def waiting_list_claim(*, entry: WaitingListEntry, actor: User) -> Booking:
    """Take up an offered place before the offer expires."""
    _lock(entry.session)
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


def _offer_free_places(
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
            session = _lock(Session(pk=session_id))
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
            _offer_free_places(session, now)
    return expired


# Reminders -----------------------------------------------------------------------------------


@transaction.atomic
def session_remind(*, session: Session, now: datetime.datetime | None = None, actor=None) -> int:
    """E-mail a reminder (with the calendar file and joining instructions) to everyone with a
    confirmed place, once per session: a second call, or a concurrent run, sends nothing.
    Returns how many reminders were sent."""
    now = now or timezone.now()
    session = _lock(session)
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


# Registers -----------------------------------------------------------------------------------


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
    session = _lock(session)
    if session.bookings.filter(person=person, status__in=Booking.HOLDING).exists():
        raise ValidationError(f"{person} already has a place: mark them on the register.")
    booking = Booking.objects.create(
        session=session,
        person=person,
        booked_by=actor,
        agency=_person_agency(person),
        status=Booking.Status.CONFIRMED,
        attendance=Booking.Attendance.ATTENDED,
        is_walk_in=True,
    )
    audit.record(action="learning.register.walk_in_added", obj=booking, actor=actor)
    return booking
