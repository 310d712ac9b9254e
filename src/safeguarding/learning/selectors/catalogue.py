"""Reads for the course catalogue, the public programme and the training pool.

`trainer_days_by_agency` and `free_place_allowances` are the partnership's single definition of
trainer-days and free places; charges and statistics import them from here.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass
from decimal import ROUND_DOWN, Decimal
from itertools import groupby

from django.db.models import Count, IntegerField, OuterRef, Q, QuerySet, Subquery, Value
from django.db.models.functions import Coalesce
from django.utils import timezone

from safeguarding.learning.calendar import local_day_bounds
from safeguarding.learning.models import (
    Accreditation,
    Booking,
    Course,
    FeeSchedule,
    Session,
    SessionTrainer,
    WaitingListEntry,
)
from safeguarding.learning.selectors.places import booking_closes_at, booking_is_open
from safeguarding.people.models import Agency, Partnership

ONLINE = "online"  # the locality filter's value for sessions with no venue
EXPIRES_SOON_DAYS = 90


# Places --------------------------------------------------------------------------------------


def _count(queryset) -> Subquery:
    return Coalesce(
        Subquery(
            queryset.order_by().values("session_id").annotate(n=Count("pk")).values("n"),
            output_field=IntegerField(),
        ),
        Value(0),
    )


def with_places(sessions: QuerySet[Session]) -> QuerySet[Session]:
    """Annotate `places_held` and `places_offered`, counted as `booking.places_taken` counts
    them, so that a list of sessions needs one query rather than two a session."""
    return sessions.annotate(
        places_held=_count(
            Booking.objects.filter(session=OuterRef("pk"), status__in=Booking.HOLDING)
        ),
        places_offered=_count(
            WaitingListEntry.objects.filter(
                session=OuterRef("pk"), status=WaitingListEntry.Status.OFFERED
            )
        ),
    )


def annotated_places_left(session: Session) -> int:
    return max(0, session.capacity - session.places_held - session.places_offered)


# The public programme ------------------------------------------------------------------------


def upcoming_sessions(
    *, now: datetime.datetime | None = None, course: Course | None = None
) -> QuerySet[Session]:
    """Scheduled sessions that have not started yet: of published courses, or of `course`
    whatever its status (the caller has checked the user may see it)."""
    now = now or timezone.now()
    sessions = Session.objects.filter(status=Session.Status.SCHEDULED, starts_at__gt=now)
    if course is None:
        sessions = sessions.filter(course__status=Course.Status.PUBLISHED)
    else:
        sessions = sessions.filter(course=course)
    return sessions.select_related("course__level", "venue__locality").order_by("starts_at", "pk")


def last_booking_day(session: Session) -> datetime.date:
    """The last day on which people can book: bookings close at the end of it."""
    closes = timezone.localtime(booking_closes_at(session))
    return (closes - datetime.timedelta(microseconds=1)).date()


def booking_not_yet_open(session: Session, now: datetime.datetime | None = None) -> bool:
    now = now or timezone.now()
    return session.booking_opens_at is not None and session.booking_opens_at > now


@dataclass(frozen=True)
class ProgrammeEntry:
    session: Session
    places_left: int
    booking_closes_at: datetime.datetime
    booking_open: bool
    not_yet_open: bool

    @property
    def last_booking_day(self) -> datetime.date:
        closes = timezone.localtime(self.booking_closes_at)
        return (closes - datetime.timedelta(microseconds=1)).date()


@dataclass(frozen=True)
class ProgrammeMonth:
    month: datetime.date  # the first day of the month
    entries: list[ProgrammeEntry]


def _entry(session: Session, now: datetime.datetime) -> ProgrammeEntry:
    return ProgrammeEntry(
        session=session,
        places_left=annotated_places_left(session),
        booking_closes_at=booking_closes_at(session),
        booking_open=booking_is_open(session, now),
        not_yet_open=booking_not_yet_open(session, now),
    )


def programme(
    *,
    level_id: int | None = None,
    locality: str = "",
    course: Course | None = None,
    now: datetime.datetime | None = None,
) -> list[ProgrammeMonth]:
    """Upcoming sessions grouped by (local) month. `locality` is a locality id, ONLINE for
    sessions with no venue, or "" for all."""
    now = now or timezone.now()
    sessions = upcoming_sessions(now=now, course=course)
    if level_id:
        sessions = sessions.filter(course__level_id=level_id)
    if locality == ONLINE:
        sessions = sessions.filter(venue__isnull=True)
    elif locality:
        sessions = sessions.filter(venue__locality_id=locality)
    entries = [_entry(s, now) for s in with_places(sessions)]

    def month_of(entry: ProgrammeEntry) -> datetime.date:
        return timezone.localtime(entry.session.starts_at).date().replace(day=1)

    return [
        ProgrammeMonth(month=month, entries=list(group))
        for month, group in groupby(entries, key=month_of)
    ]


def fee_schedule_for(partnership: Partnership) -> FeeSchedule:
    """The partnership's fees, or the defaults when none have been set."""
    try:
        return partnership.fee_schedule
    except FeeSchedule.DoesNotExist:
        return FeeSchedule(partnership=partnership)


def visible_prerequisites(course: Course, courses: QuerySet[Course]) -> list[Course]:
    return list(course.prerequisites.filter(pk__in=courses.values("pk")).order_by("title"))


# The business unit's catalogue ---------------------------------------------------------------


def course_admin_list(*, partnership: Partnership | None = None, now=None) -> QuerySet[Course]:
    now = now or timezone.now()
    courses = Course.objects.all()
    if partnership is not None:
        courses = courses.filter(partnership=partnership)
    return courses.select_related("level").annotate(
        session_count=Count("sessions", distinct=True),
        upcoming_count=Count(
            "sessions",
            filter=Q(sessions__starts_at__gt=now, sessions__status=Session.Status.SCHEDULED),
            distinct=True,
        ),
    )


def accredited_trainers(partnership: Partnership | None = None, course: Course | None = None):
    """Everyone accredited for at least one course (or for `course`), with those accreditations
    prefetched."""
    from django.db.models import Prefetch

    from safeguarding.people.models import User

    accreditations = Accreditation.objects.select_related("course")
    if partnership is not None:
        accreditations = accreditations.filter(course__partnership=partnership)
    if course is not None:
        accreditations = accreditations.filter(course=course)
    return (
        User.objects.filter(accreditations__in=accreditations)
        .distinct()
        .prefetch_related(
            Prefetch("accreditations", queryset=accreditations.order_by("course__title"))
        )
        .order_by("family_name", "given_name", "email")
    )


# The training pool ---------------------------------------------------------------------------


def financial_year_of(day: datetime.date) -> int:
    """The starting year of the financial year (April to March) that `day` falls in."""
    return day.year if day.month >= 4 else day.year - 1


def financial_year(start_year: int) -> tuple[datetime.date, datetime.date]:
    """First and last day of the financial year starting in April of `start_year`."""
    return datetime.date(start_year, 4, 1), datetime.date(start_year + 1, 3, 31)


def held_sessions(
    partnership: Partnership,
    start: datetime.date,
    end: datetime.date,
    *,
    now: datetime.datetime | None = None,
) -> QuerySet[Session]:
    """Sessions of the partnership that took place (not cancelled, already ended) on a local
    date from `start` to `end` inclusive."""
    now = now or timezone.now()
    low, high = local_day_bounds(start, end)
    return Session.objects.filter(
        course__partnership=partnership,
        status=Session.Status.SCHEDULED,
        starts_at__gte=low,
        starts_at__lt=high,
        ends_at__lte=now,
    )


def trainer_days_by_agency(
    partnership: Partnership,
    start: datetime.date,
    end: datetime.date,
    *,
    now: datetime.datetime | None = None,
) -> dict[int, Decimal]:
    """{agency id: trainer-days} for sessions held from `start` to `end` (inclusive dates).

    Each trainer on a held session gives the course's trainer-days (1 for a full day, 0.5 for a
    half day), credited to the agency on their SessionTrainer row. Agencies that gave no
    trainer-days are left out.
    """
    assignments = SessionTrainer.objects.filter(
        session__in=held_sessions(partnership, start, end, now=now)
    ).values_list("agency_id", "session__course__duration")
    totals: dict[int, Decimal] = {}
    for agency_id, duration in assignments:
        days = Course(duration=duration).trainer_days
        totals[agency_id] = totals.get(agency_id, Decimal("0")) + days
    return totals


def free_places_used(
    partnership: Partnership, start: datetime.date, end: datetime.date
) -> dict[int, int]:
    """{agency id: confirmed places (including attended and not marked) on charged courses}
    on sessions starting from `start` to `end` (inclusive dates)."""
    low, high = local_day_bounds(start, end)
    rows = (
        Booking.objects.filter(
            session__course__partnership=partnership,
            session__course__charges_apply=True,
            session__status=Session.Status.SCHEDULED,
            session__starts_at__gte=low,
            session__starts_at__lt=high,
            status=Booking.Status.CONFIRMED,
        )
        .values("agency_id")
        .annotate(n=Count("pk"))
        .order_by()
    )
    return {row["agency_id"]: row["n"] for row in rows}


def free_place_allowances(
    partnership: Partnership,
    start: datetime.date,
    end: datetime.date,
    *,
    now: datetime.datetime | None = None,
) -> list[dict]:
    """Each agency's free-place allowance for the period, one dict an agency that gave
    trainer-days, by agency name:

    {"agency_id", "agency_name", "trainer_days" (Decimal), "allowance" (int: trainer-days ×
    FeeSchedule.free_places_per_trainer_day, rounded down), "places_booked" (confirmed places
    on charged courses), "places_used" (places_booked capped at the allowance),
    "places_remaining"}.
    """
    days = trainer_days_by_agency(partnership, start, end, now=now)
    if not days:
        return []
    ratio = fee_schedule_for(partnership).free_places_per_trainer_day
    booked = free_places_used(partnership, start, end)
    names = dict(Agency.objects.filter(pk__in=days).values_list("pk", "name"))
    rows = []
    for agency_id, trainer_days in days.items():
        allowance = int((trainer_days * ratio).to_integral_value(rounding=ROUND_DOWN))
        places_booked = booked.get(agency_id, 0)
        used = min(places_booked, allowance)
        rows.append(
            {
                "agency_id": agency_id,
                "agency_name": names.get(agency_id, ""),
                "trainer_days": trainer_days,
                "allowance": allowance,
                "places_booked": places_booked,
                "places_used": used,
                "places_remaining": allowance - used,
            }
        )
    return sorted(rows, key=lambda row: row["agency_name"].lower())


def pool_accreditations(partnership: Partnership | None = None, *, today=None) -> list[dict]:
    """Trainers in the pool, each with their accreditations and whether each has expired or
    expires within EXPIRES_SOON_DAYS."""
    today = today or timezone.localdate()
    soon = today + datetime.timedelta(days=EXPIRES_SOON_DAYS)
    pool = []
    for trainer in accredited_trainers(partnership):
        items = []
        for accreditation in trainer.accreditations.all():
            if accreditation.expires_on < today:
                state = "expired"
            elif accreditation.expires_on <= soon:
                state = "expires_soon"
            else:
                state = "current"
            items.append({"accreditation": accreditation, "state": state})
        pool.append({"trainer": trainer, "accreditations": items})
    return pool


def financial_years_with_sessions(partnership: Partnership, *, today=None) -> list[int]:
    """Starting years of financial years from the first session to the current year."""
    today = today or timezone.localdate()
    current = financial_year_of(today)
    first = (
        Session.objects.filter(course__partnership=partnership)
        .order_by("starts_at")
        .values_list("starts_at", flat=True)
        .first()
    )
    earliest = financial_year_of(timezone.localtime(first).date()) if first else current
    return list(range(min(earliest, current), current + 1))[::-1]
