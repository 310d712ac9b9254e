"""Reads for the business unit's charges and the programme's statistics.

Both work on a period of local dates, inclusive at both ends; the default is the financial year
(April to March) that today falls in.

Charges (`charge_lines`): the lines to invoice each agency. No payment is taken here.

- Only sessions that have taken place count: scheduled (not cancelled), started in the period
  and already started by now, on a course with `charges_apply`.
- A fee for each confirmed place (attended, not marked, or did not attend; walk-ins too): the
  school rate for agencies in the school sector, the other rate for everyone else, the day or the
  half-day rate by the course's duration. No fee for agencies that fund the partnership or for
  voluntary and community organisations.
- A no-show charge for each place marked "did not attend" and a late-cancellation charge for each
  place cancelled after the booking cut-off, for every agency except voluntary and community
  organisations (funding partners pay these too: the place was lost to someone else).
- Free places: an agency that gave trainer-days in the period (the training pool) has a free-place
  allowance (`selectors.catalogue.free_place_allowances`). It covers that many of the agency's fee
  lines, earliest session first; those lines show as "Free place (training pool)" at £0.00.

Statistics (`training_statistics`): plain numbers for the board. Training figures count course
sessions only (the conference is reported on its own):

- a session has run when it is scheduled (not cancelled) and started in the period, by now;
- places: the capacity of the sessions run;
- bookings: places booked and kept to the day, or cancelled late (status confirmed or cancelled
  late), walk-ins not included; cancellations before the cut-off, declined requests, requests
  still waiting for approval and places on cancelled sessions are not bookings;
- attendances: places marked attended, walk-ins included; distinct attendees: different people;
- attendance rate: attendances as a percentage of confirmed places (walk-ins included);
- no-shows: confirmed places marked did not attend; late cancellations: places cancelled after
  the cut-off; walk-ins: people added on the day;
- take-up of capacity: bookings as a percentage of places.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass
from decimal import Decimal

from django.db.models import Count, Q, QuerySet, Sum
from django.utils import timezone

from safeguarding.learning.calendar import local_day_bounds
from safeguarding.learning.models import Booking, Course, FeeSchedule, Session
from safeguarding.learning.selectors.catalogue import (
    fee_schedule_for,
    financial_year,
    financial_year_of,
    free_place_allowances,
    trainer_days_by_agency,
)
from safeguarding.learning.selectors.evaluation import evaluation_summary
from safeguarding.learning.selectors.events import conference_figures, practice_group_figures
from safeguarding.people.models import Agency, Partnership, Sector

ZERO = Decimal("0.00")


# Periods -------------------------------------------------------------------------------------


def default_period(today: datetime.date | None = None) -> tuple[datetime.date, datetime.date]:
    """The financial year (1 April to 31 March) that `today` falls in."""
    today = today or timezone.localdate()
    return financial_year(financial_year_of(today))


def sessions_run(
    *,
    partnership: Partnership,
    start: datetime.date,
    end: datetime.date,
    now: datetime.datetime | None = None,
) -> QuerySet[Session]:
    """Sessions of the partnership (courses and conferences) that are not cancelled and started
    on a local date from `start` to `end` inclusive, no later than now."""
    now = now or timezone.now()
    low, high = local_day_bounds(start, end)
    return Session.objects.filter(
        course__partnership=partnership,
        status=Session.Status.SCHEDULED,
        starts_at__gte=low,
        starts_at__lt=high,
        starts_at__lte=now,
    )


def _percent(part: int, whole: int) -> float | None:
    return round(100 * part / whole, 1) if whole else None


# Charges -------------------------------------------------------------------------------------


class ChargeKind:
    FEE = "fee"
    FREE_PLACE = "free_place"
    LATE_CANCELLATION = "late_cancellation"
    NO_SHOW = "no_show"

    LABELS = {
        FEE: "Fee",
        FREE_PLACE: "Free place (training pool)",
        LATE_CANCELLATION: "Late cancellation",
        NO_SHOW: "No-show",
    }


@dataclass(frozen=True)
class ChargeLine:
    booking_id: int
    agency_id: int
    agency_name: str
    person_name: str
    person_email: str
    course_title: str
    session_id: int
    session_starts_at: datetime.datetime
    kind: str
    amount: Decimal

    @property
    def kind_label(self) -> str:
        return ChargeKind.LABELS[self.kind]

    @property
    def session_date(self) -> datetime.date:
        return timezone.localtime(self.session_starts_at).date()


def pays_fees(agency: Agency) -> bool:
    """Funding partners and voluntary and community organisations train free."""
    return not (agency.funds_partnership or agency.sector == Sector.VOLUNTARY)


def pays_penalties(agency: Agency) -> bool:
    """Everyone but voluntary and community organisations pays for late cancellations and
    no-shows."""
    return agency.sector != Sector.VOLUNTARY


def place_fee(fees: FeeSchedule, agency: Agency, course: Course) -> Decimal:
    half_day = course.duration == Course.Duration.HALF_DAY
    if agency.sector == Sector.SCHOOL:
        return fees.school_half_day_rate if half_day else fees.school_day_rate
    return fees.other_half_day_rate if half_day else fees.other_day_rate


def charge_lines(
    *,
    partnership: Partnership,
    start: datetime.date,
    end: datetime.date,
    agency: Agency | int | None = None,
    now: datetime.datetime | None = None,
) -> list[ChargeLine]:
    """The lines to invoice for sessions run from `start` to `end` (inclusive local dates), by
    agency name, then session date, then person. See the module's docstring for the rules."""
    fees = fee_schedule_for(partnership)
    allowance_left = {
        row["agency_id"]: row["allowance"]
        for row in free_place_allowances(partnership, start, end, now=now)
    }
    charged = sessions_run(partnership=partnership, start=start, end=end, now=now).filter(
        course__charges_apply=True
    )
    bookings = Booking.objects.filter(
        session__in=charged,
        status__in=(Booking.Status.CONFIRMED, Booking.Status.LATE_CANCELLED),
    )
    if agency is not None:
        bookings = bookings.filter(agency_id=getattr(agency, "pk", agency))
    # Plain rows rather than model instances, and each session's details read once rather than
    # on every booking: a county's decade is ~90,000 bookings, and building five model instances
    # (or parsing a timestamp) a row took most of the time (see docs/bench-training.md).
    session_details = {
        pk: (starts_at, title, duration)
        for pk, starts_at, title, duration in charged.values_list(
            "pk", "starts_at", "course__title", "course__duration"
        )
    }
    rows = bookings.order_by(
        "session__starts_at", "session_id", "person__family_name", "person__given_name", "pk"
    ).values_list(
        "pk",
        "status",
        "attendance",
        "agency_id",
        "person__given_name",
        "person__family_name",
        "person__email",
        "session_id",
    )
    payers = {
        payer.pk: payer
        for payer in Agency.objects.filter(pk__in=bookings.values("agency_id")).only(
            "pk", "name", "sector", "funds_partnership"
        )
    }
    # Each payer's rules and fees, worked out once: {(agency id, duration): fee}.
    fee_for: dict[tuple[int, str], Decimal] = {}
    lines: list[ChargeLine] = []
    for (
        booking_id,
        status,
        attendance,
        payer_id,
        given_name,
        family_name,
        email,
        session_id,
    ) in rows:
        starts_at, course_title, duration = session_details[session_id]
        payer = payers[payer_id]
        known = {
            "booking_id": booking_id,
            "agency_id": payer_id,
            "agency_name": payer.name,
            "person_name": f"{given_name} {family_name}".strip() or email,
            "person_email": email,
            "course_title": course_title,
            "session_id": session_id,
            "session_starts_at": starts_at,
        }
        if status == Booking.Status.LATE_CANCELLED:
            if pays_penalties(payer):
                lines.append(
                    ChargeLine(
                        kind=ChargeKind.LATE_CANCELLATION,
                        amount=fees.late_cancellation_charge,
                        **known,
                    )
                )
            continue
        if pays_fees(payer):
            if allowance_left.get(payer_id, 0) > 0:
                allowance_left[payer_id] -= 1
                lines.append(ChargeLine(kind=ChargeKind.FREE_PLACE, amount=ZERO, **known))
            else:
                key = (payer_id, duration)
                if key not in fee_for:
                    fee_for[key] = place_fee(fees, payer, Course(duration=duration))
                lines.append(ChargeLine(kind=ChargeKind.FEE, amount=fee_for[key], **known))
        if attendance == Booking.Attendance.NO_SHOW and pays_penalties(payer):
            lines.append(ChargeLine(kind=ChargeKind.NO_SHOW, amount=fees.no_show_charge, **known))
    lines.sort(key=lambda item: (item.agency_name.lower(), item.agency_id))
    return lines


def charge_totals(lines: list[ChargeLine]) -> list[dict]:
    """One row an agency, in the order of `lines`: {"agency_id", "agency_name", "fees",
    "free_places", "late_cancellations", "no_shows" (each a count), "fees_amount",
    "late_cancellations_amount", "no_shows_amount", "total" (Decimal)}."""
    rows: dict[int, dict] = {}
    counts = {
        ChargeKind.FEE: "fees",
        ChargeKind.FREE_PLACE: "free_places",
        ChargeKind.LATE_CANCELLATION: "late_cancellations",
        ChargeKind.NO_SHOW: "no_shows",
    }
    for item in lines:
        row = rows.setdefault(
            item.agency_id,
            {
                "agency_id": item.agency_id,
                "agency_name": item.agency_name,
                "fees": 0,
                "free_places": 0,
                "late_cancellations": 0,
                "no_shows": 0,
                "fees_amount": ZERO,
                "late_cancellations_amount": ZERO,
                "no_shows_amount": ZERO,
                "total": ZERO,
            },
        )
        row[counts[item.kind]] += 1
        if item.kind != ChargeKind.FREE_PLACE:
            row[f"{counts[item.kind]}_amount"] += item.amount
        row["total"] += item.amount
    return list(rows.values())


# Statistics ----------------------------------------------------------------------------------


def _booking_counts(prefix: str = "") -> dict:
    """Conditional counts of bookings, for aggregate() or annotate(); `prefix` reaches the
    bookings from another model (e.g. "bookings__")."""

    def q(**conditions) -> Q:
        return Q(**{f"{prefix}{key}": value for key, value in conditions.items()})

    pk = f"{prefix}pk" if prefix else "pk"
    person = f"{prefix}person"
    confirmed = q(status=Booking.Status.CONFIRMED)
    attended = confirmed & q(attendance=Booking.Attendance.ATTENDED)
    # Rows are counted once each unless they are reached through another multi-valued
    # relation (a prefix): COUNT(DISTINCT id) sorts every figure's rows, and on a decade of a
    # county's bookings that was most of the statistics' time.
    distinct = bool(prefix)
    return {
        "bookings": Count(
            pk,
            filter=q(status__in=(Booking.Status.CONFIRMED, Booking.Status.LATE_CANCELLED))
            & q(is_walk_in=False),
            distinct=distinct,
        ),
        "confirmed": Count(pk, filter=confirmed, distinct=distinct),
        "attendances": Count(pk, filter=attended, distinct=distinct),
        "distinct_attendees": Count(person, filter=attended, distinct=True),
        "no_shows": Count(
            pk, filter=confirmed & q(attendance=Booking.Attendance.NO_SHOW), distinct=distinct
        ),
        "unmarked": Count(
            pk, filter=confirmed & q(attendance=Booking.Attendance.UNMARKED), distinct=distinct
        ),
        "late_cancellations": Count(
            pk, filter=q(status=Booking.Status.LATE_CANCELLED), distinct=distinct
        ),
        "cancellations": Count(pk, filter=q(status=Booking.Status.CANCELLED), distinct=distinct),
        "walk_ins": Count(pk, filter=confirmed & q(is_walk_in=True), distinct=distinct),
    }


BOOKING_FIGURES = tuple(_booking_counts())


def _counts_anything(row: dict) -> bool:
    """False for a group whose only bookings were declined or never approved."""
    return any(row[name] for name in BOOKING_FIGURES)


def _with_rates(row: dict) -> dict:
    row["attendance_rate"] = _percent(row["attendances"], row["confirmed"])
    return row


def training_statistics(
    *,
    partnership: Partnership,
    start: datetime.date,
    end: datetime.date,
    now: datetime.datetime | None = None,
) -> dict:
    """The programme's figures for the period, as plain numbers (percentages are floats with one
    decimal place, or None when there is nothing to divide by; trainer-days are Decimals)::

        {
          "start", "end",                                  # the period (dates)
          "courses_run", "sessions_run", "places", "bookings", "confirmed", "attendances",
          "distinct_attendees", "no_shows", "unmarked", "late_cancellations",
          "cancellations", "walk_ins", "sessions_cancelled",
          "attendance_rate", "take_up",                    # percentages
          "trainer_days",                                  # Decimal
          "by_sector": [{"sector", "sector_display", "bookings", "attendances",
                         "distinct_attendees", "no_shows", "late_cancellations", ...}],
          "by_agency": [{"agency_id", "agency_name", "sector", "sector_display", ...,
                         "trainer_days"}],
          "by_course": [{"course_id", "title", "sessions", "places", "bookings",
                         "attendances", "attendance_rate", "take_up", ...}],
          "trainer_days_by_agency": [{"agency_id", "agency_name", "trainer_days"}],
          "evaluation": selectors.evaluation.evaluation_summary(...),
          "practice_groups": selectors.events.practice_group_figures(...),
          "conference": selectors.events.conference_figures(...),
          "practice_group_meetings", "practice_group_attendances",
          "conference_registrations", "conference_attendances",
        }

    See the module's docstring for what each figure counts.
    """
    now = now or timezone.now()
    sessions = sessions_run(partnership=partnership, start=start, end=end, now=now).filter(
        course__kind=Course.Kind.COURSE
    )
    bookings = Booking.objects.filter(session__in=sessions)
    session_totals = sessions.aggregate(
        sessions_run=Count("pk"),
        courses_run=Count("course", distinct=True),
        places=Sum("capacity"),
    )
    low, high = local_day_bounds(start, end)
    figures = {
        "start": start,
        "end": end,
        "courses_run": session_totals["courses_run"],
        "sessions_run": session_totals["sessions_run"],
        "places": session_totals["places"] or 0,
        **bookings.aggregate(**_booking_counts()),
        "sessions_cancelled": Session.objects.filter(
            course__partnership=partnership,
            course__kind=Course.Kind.COURSE,
            status=Session.Status.CANCELLED,
            starts_at__gte=low,
            starts_at__lt=high,
        ).count(),
    }
    _with_rates(figures)
    figures["take_up"] = _percent(figures["bookings"], figures["places"])

    sector_labels = dict(Sector.choices)
    sector_rows = {
        row["agency__sector"]: row
        for row in bookings.order_by().values("agency__sector").annotate(**_booking_counts())
        if _counts_anything(row)
    }
    figures["by_sector"] = [
        _with_rates(
            {
                "sector": sector,
                "sector_display": sector_labels[sector],
                **{name: sector_rows[sector][name] for name in BOOKING_FIGURES},
            }
        )
        for sector in Sector.values
        if sector in sector_rows
    ]

    days = trainer_days_by_agency(partnership, start, end, now=now)
    agency_rows = {
        row["agency_id"]: row
        for row in bookings.order_by().values("agency_id").annotate(**_booking_counts())
        if _counts_anything(row)
    }
    agencies = Agency.objects.filter(pk__in=set(agency_rows) | set(days)).order_by("name")
    figures["by_agency"] = [
        _with_rates(
            {
                "agency_id": agency.pk,
                "agency_name": agency.name,
                "sector": agency.sector,
                "sector_display": agency.get_sector_display(),
                **{name: agency_rows.get(agency.pk, {}).get(name, 0) for name in BOOKING_FIGURES},
                "trainer_days": days.get(agency.pk, Decimal("0")),
            }
        )
        for agency in agencies
    ]
    figures["trainer_days_by_agency"] = [
        {
            "agency_id": row["agency_id"],
            "agency_name": row["agency_name"],
            "trainer_days": row["trainer_days"],
        }
        for row in figures["by_agency"]
        if row["trainer_days"]
    ]
    figures["trainer_days"] = sum(days.values(), Decimal("0"))

    course_rows = (
        Course.objects.filter(sessions__in=sessions)
        .values("pk", "title")
        .annotate(
            session_count=Count("sessions", distinct=True), capacity=Sum("sessions__capacity")
        )
        .order_by("title", "pk")
    )
    course_bookings = {
        row["session__course_id"]: row
        for row in bookings.order_by().values("session__course_id").annotate(**_booking_counts())
    }
    figures["by_course"] = []
    for row in course_rows:
        counts = course_bookings.get(row["pk"], {})
        entry = _with_rates(
            {
                "course_id": row["pk"],
                "title": row["title"],
                "sessions": row["session_count"],
                "places": row["capacity"] or 0,
                **{name: counts.get(name, 0) for name in BOOKING_FIGURES},
            }
        )
        entry["take_up"] = _percent(entry["bookings"], entry["places"])
        figures["by_course"].append(entry)

    figures["evaluation"] = evaluation_summary(
        partnership=partnership, start=start, end=end, now=now
    )
    groups = practice_group_figures(partnership=partnership, start=start, end=end, now=now)
    conference = conference_figures(partnership=partnership, start=start, end=end)
    figures.update(
        practice_groups=groups,
        conference=conference,
        practice_group_meetings=groups["meetings"],
        practice_group_attendances=groups["attendances"],
        conference_registrations=conference["registrations"],
        conference_attendances=conference["attendances"],
    )
    return figures
