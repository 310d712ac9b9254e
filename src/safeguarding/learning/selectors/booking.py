"""Reads for the booking journeys: a person's own training, line managers' teams and approvals,
the sessions open for booking, and which sessions are due a reminder."""

from __future__ import annotations

import datetime
from dataclasses import dataclass

from django.db.models import (
    Count,
    IntegerField,
    OuterRef,
    Prefetch,
    Q,
    QuerySet,
    Subquery,
    Value,
)
from django.db.models.functions import Coalesce
from django.utils import timezone

from safeguarding.learning import access
from safeguarding.learning.models import Booking, Course, Session, WaitingListEntry
from safeguarding.learning.selectors.places import booking_closes_at, booking_is_open
from safeguarding.people.models import Role, User
from safeguarding.people.permissions import is_business_unit, roles_of

LIVE_ENTRY = (WaitingListEntry.Status.WAITING, WaitingListEntry.Status.OFFERED)


# Who is a line manager ----------------------------------------------------------------------


def is_line_manager(user) -> bool:
    """Holds the line manager role, or is named as someone's line manager."""
    if not getattr(user, "is_authenticated", False):
        return False
    return Role.LINE_MANAGER in roles_of(user) or user.managed_memberships.exists()


def may_see_approvals(user) -> bool:
    return is_business_unit(user) or is_line_manager(user)


# A person's own training --------------------------------------------------------------------


@dataclass
class MyTraining:
    offers: list[WaitingListEntry]
    upcoming: list[Booking]
    waiting: list[WaitingListEntry]
    past: QuerySet[Booking]


UPCOMING_STATUSES = (
    Booking.Status.AWAITING_APPROVAL,
    Booking.Status.CONFIRMED,
    Booking.Status.SESSION_CANCELLED,
    Booking.Status.DECLINED,
)


def my_training(*, person: User, now: datetime.datetime | None = None) -> MyTraining:
    now = now or timezone.now()
    related = ("session__course", "session__venue")
    offers = list(
        WaitingListEntry.objects.filter(
            person=person,
            status=WaitingListEntry.Status.OFFERED,
            offer_expires_at__gt=now,
            session__starts_at__gt=now,
        )
        .select_related(*related)
        .order_by("offer_expires_at")
    )
    upcoming = list(
        Booking.objects.filter(
            person=person, status__in=UPCOMING_STATUSES, session__starts_at__gt=now
        )
        .select_related(*related, "booked_by")
        .order_by("session__starts_at")
    )
    for booking in upcoming:
        booking.closes_at = booking_closes_at(booking.session)
        booking.is_late_to_cancel = now >= booking.closes_at
    waiting = list(
        waiting_positions(
            WaitingListEntry.objects.filter(
                person=person,
                status=WaitingListEntry.Status.WAITING,
                session__starts_at__gt=now,
            )
        )
        .select_related(*related)
        .order_by("session__starts_at")
    )
    past = (
        Booking.objects.filter(
            person=person,
            status__in=(Booking.Status.CONFIRMED, Booking.Status.LATE_CANCELLED),
            session__starts_at__lte=now,
        )
        .select_related(*related)
        .order_by("-session__starts_at")
    )
    return MyTraining(offers=offers, upcoming=upcoming, waiting=waiting, past=past)


def waiting_positions(entries: QuerySet[WaitingListEntry]) -> QuerySet[WaitingListEntry]:
    """Annotate each entry with `position`: 1-based among the WAITING entries of its session,
    first come first served."""
    ahead = (
        WaitingListEntry.objects.filter(
            session=OuterRef("session"), status=WaitingListEntry.Status.WAITING
        )
        .filter(
            Q(joined_at__lt=OuterRef("joined_at"))
            | Q(joined_at=OuterRef("joined_at"), pk__lt=OuterRef("pk"))
        )
        .order_by()
        .values("session")
        .annotate(count=Count("pk"))
        .values("count")
    )
    return entries.annotate(
        position=Coalesce(Subquery(ahead, output_field=IntegerField()), Value(0)) + Value(1)
    )


# Line managers ------------------------------------------------------------------------------


def awaiting_approval(*, user) -> QuerySet[Booking]:
    """Bookings waiting for this user's decision: their team's, or every one for the business
    unit."""
    bookings = Booking.objects.filter(
        status=Booking.Status.AWAITING_APPROVAL, session__starts_at__gt=timezone.now()
    )
    if not is_business_unit(user):
        bookings = bookings.filter(
            person__in=User.objects.filter(memberships__line_manager=user).values("pk")
        )
    return bookings.select_related(
        "session__course", "session__venue", "person", "agency"
    ).order_by("session__starts_at", "created_at")


def team_members(*, manager) -> QuerySet[User]:
    return (
        User.objects.filter(memberships__line_manager=manager, is_active=True)
        .order_by("family_name", "given_name", "email")
        .distinct()
    )


def team_training(*, manager, now: datetime.datetime | None = None) -> list[User]:
    """The manager's team, each with `upcoming` (places held on sessions to come) and `waiting`
    (live waiting-list entries)."""
    now = now or timezone.now()
    related = ("session__course", "session__venue")
    return list(
        team_members(manager=manager).prefetch_related(
            Prefetch(
                "bookings",
                queryset=Booking.objects.filter(
                    status__in=Booking.HOLDING, session__starts_at__gt=now
                )
                .select_related(*related)
                .order_by("session__starts_at"),
                to_attr="upcoming",
            ),
            Prefetch(
                "waiting_list_entries",
                queryset=WaitingListEntry.objects.filter(
                    status__in=LIVE_ENTRY, session__starts_at__gt=now
                )
                .select_related(*related)
                .order_by("session__starts_at"),
                to_attr="waiting",
            ),
        )
    )


# Sessions open for booking ------------------------------------------------------------------


def bookable_sessions(
    *, user, now: datetime.datetime | None = None, horizon_days: int = 400
) -> list[Session]:
    """Sessions open for booking now, soonest first, each with `places_left`."""
    now = now or timezone.now()
    sessions = (
        access.sessions_visible_to(user)
        .filter(
            status=Session.Status.SCHEDULED,
            course__status=Course.Status.PUBLISHED,
            starts_at__gt=now,
            starts_at__lte=now + datetime.timedelta(days=horizon_days),
        )
        .filter(Q(booking_opens_at__isnull=True) | Q(booking_opens_at__lte=now))
        .select_related("course", "venue")
        .annotate(
            held=Count("bookings", filter=Q(bookings__status__in=Booking.HOLDING), distinct=True),
            offered=Count(
                "waiting_list",
                filter=Q(waiting_list__status=WaitingListEntry.Status.OFFERED),
                distinct=True,
            ),
        )
        .order_by("starts_at", "pk")
    )
    open_sessions = []
    for session in sessions:
        if booking_is_open(session, now):
            session.places_left = max(0, session.capacity - session.held - session.offered)
            open_sessions.append(session)
    return open_sessions


# Reminders ----------------------------------------------------------------------------------


def sessions_due_reminder(*, now: datetime.datetime, days: int) -> QuerySet[Session]:
    """Scheduled sessions starting within `days` days that have not had their reminder."""
    return Session.objects.filter(
        status=Session.Status.SCHEDULED,
        reminder_sent_at__isnull=True,
        starts_at__gt=now,
        starts_at__lte=now + datetime.timedelta(days=days),
    ).order_by("starts_at", "pk")
