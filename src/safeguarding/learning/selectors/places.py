"""The places on a session and whether it is open for booking: reads shared by the pages,
the API and the booking services."""

from __future__ import annotations

import datetime

from django.utils import timezone

from safeguarding.learning.calendar import working_days_before
from safeguarding.learning.models import (
    Booking,
    Course,
    Session,
    WaitingListEntry,
)


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
