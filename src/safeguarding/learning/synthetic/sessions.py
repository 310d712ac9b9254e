"""One synthetic financial year's sessions and their bookings, waiting lists and outcomes."""

from __future__ import annotations

import datetime
import random
from collections.abc import Sequence
from dataclasses import dataclass, field

from django.utils import timezone

from safeguarding.learning.calendar import (
    local_datetime,
    working_days_before,
    working_days_between,
)
from safeguarding.learning.models import (
    Booking,
    Course,
    Questionnaire,
    Session,
    SessionTrainer,
    Venue,
    WaitingListEntry,
)
from safeguarding.learning.synthetic.catalogue import CourseSpec, Pool
from safeguarding.learning.synthetic.members import Member
from safeguarding.learning.synthetic.plan import (
    MAX_COURSES_PER_YEAR,
    ONLINE_FROM_YEAR,
    P_CANCELLED,
    P_DECLINED,
    P_LATE_CANCELLED,
    P_NO_SHOW,
    P_OFFER_CLAIMED,
    P_OFFER_EXPIRED,
    P_SESSION_CANCELLED,
    P_WALK_INS,
)
from safeguarding.learning.synthetic.writing import Output
from safeguarding.people.models import Partnership


def _allocate(total: int, weights: Sequence[float]) -> list[int]:
    """Split `total` in proportion to `weights` by largest remainders."""
    weight_sum = sum(weights)
    shares = [total * w / weight_sum for w in weights]
    counts = [int(s) for s in shares]
    for i in sorted(range(len(shares)), key=lambda i: (counts[i] - shares[i], i))[
        : total - sum(counts)
    ]:
        counts[i] += 1
    return counts


@dataclass
class Context:
    partnership: Partnership
    rng: random.Random
    now: datetime.datetime
    out: Output
    specs: list[CourseSpec]
    venues: list[Venue]
    pool: Pool
    practitioners: list[Member]
    immediate: Questionnaire
    follow_up: Questionnaire
    sessions_per_year: int
    # Each course's quality: the centre of its evaluation ratings.
    quality: dict[int, float] = field(default_factory=dict)


def _closes_at(start: datetime.datetime, cutoff: int) -> datetime.datetime:
    last_day = working_days_before(timezone.localtime(start).date(), cutoff)
    return local_datetime(last_day + datetime.timedelta(days=1), datetime.time(0))


def year_sessions(ctx: Context, year: int) -> list[Session]:
    rng = ctx.rng
    running = [s for s in ctx.specs if s.first_year <= year <= s.last_year]
    total = ctx.sessions_per_year
    if total < len(running):
        running = sorted(rng.sample(running, total), key=lambda s: s.course.title)
        counts = [1] * total
    else:
        if len(running) > MAX_COURSES_PER_YEAR:
            keep = set(rng.sample(range(len(running)), MAX_COURSES_PER_YEAR))
            running = [spec for i, spec in enumerate(running) if i in keep]
        counts = [1 + c for c in _allocate(total - len(running), [s.weight for s in running])]
    days = working_days_between(datetime.date(year, 4, 1), datetime.date(year + 1, 3, 31))
    plans = []
    for spec, count in zip(running, counts, strict=True):
        for day in rng.choices(days, k=count):
            plans.append((day, spec.course))
    plans.sort(key=lambda item: (item[0], item[1].title))

    busy: dict[datetime.date, set[int]] = {}
    sessions: list[Session] = []
    leaders: list[list[Member]] = []
    for day, course in plans:
        # The trainers must be accredited on the day and free: move to the next working day
        # until they are (there are always two accredited for the whole decade).
        index = days.index(day)
        while True:
            free = ctx.pool.available(course, days[index], busy.setdefault(days[index], set()))
            if free or index == len(days) - 1:
                break
            index += 1
        day = days[index]
        if not free:
            continue  # every accredited trainer is busy on the last days of the year
        team = rng.sample(free, 2 if len(free) > 1 and rng.random() < 0.35 else 1)
        busy[day].update(m.user_id for m in team)
        online = year >= ONLINE_FROM_YEAR and rng.random() < 0.3
        full_day = course.duration == Course.Duration.FULL_DAY
        starts_at = (
            local_datetime(day, datetime.time(9, 30))
            if full_day
            else local_datetime(day, datetime.time(rng.choice((9, 13)), 30))
        )
        if online:
            capacity = rng.choice((25, 30, 40))
        else:
            capacity = rng.choice((18, 20, 24)) if full_day else rng.choice((16, 20, 24, 30))
        cancelled = rng.random() < P_SESSION_CANCELLED
        session = Session(
            course=course,
            starts_at=starts_at,
            ends_at=starts_at + datetime.timedelta(hours=6 if full_day else 3),
            venue=None if online else rng.choice(ctx.venues),
            online_url=f"https://meet.example/training/{year}-{len(sessions) + 1}"
            if online
            else "",
            joining_instructions=(
                "The joining link opens 10 minutes before the start; please test your camera."
                if online
                else "Please sign in at reception 15 minutes before the start."
            ),
            capacity=capacity,
            booking_opens_at=starts_at - datetime.timedelta(days=rng.randint(60, 120)),
            cutoff_working_days=rng.choice((2, 2, 3)),
            status=Session.Status.CANCELLED if cancelled else Session.Status.SCHEDULED,
            cancelled_reason="The trainer was unwell and no one could stand in."
            if cancelled
            else "",
        )
        if not cancelled and starts_at <= ctx.now:
            session.reminder_sent_at = starts_at - datetime.timedelta(days=3)
        sessions.append(session)
        leaders.append(team)
    ctx.out.write(Session, sessions)
    ctx.out.write(
        SessionTrainer,
        [
            SessionTrainer(session=session, trainer_id=m.user_id, agency_id=m.agency_id)
            for session, team in zip(sessions, leaders, strict=True)
            for m in team
        ],
    )
    for session, team in zip(sessions, leaders, strict=True):
        session.leader_ids = {m.user_id for m in team}
    return sessions


def pick_people(ctx: Context, count: int, exclude: set[int]) -> list[Member]:
    """Up to `count` different practitioners (none of them in `exclude`), in random order."""
    practitioners = ctx.practitioners
    picks = ctx.rng.sample(range(len(practitioners)), min(len(practitioners), count + len(exclude)))
    chosen = [practitioners[i] for i in picks if practitioners[i].user_id not in exclude]
    return chosen[:count]


def session_bookings(
    ctx: Context, session: Session
) -> tuple[list[Booking], list[WaitingListEntry]]:
    """Bookings and waiting-list entries for one session, with their outcomes."""
    rng = ctx.rng
    course = session.course
    start = session.starts_at
    closes = _closes_at(start, session.cutoff_working_days)
    opens = session.booking_opens_at
    past = start <= ctx.now
    demand = max(1, round(session.capacity * rng.triangular(0.55, 1.45, 1.0)))
    people = pick_people(ctx, demand, session.leader_ids)
    first, queue = people[: session.capacity], people[session.capacity :]
    span = max(1.0, (closes - opens).total_seconds())

    def booked_at(fraction_low: float, fraction_high: float) -> datetime.datetime:
        return opens + datetime.timedelta(seconds=span * rng.uniform(fraction_low, fraction_high))

    def booking(member: Member, created_at: datetime.datetime, **fields) -> Booking:
        return Booking(
            session=session,
            person_id=member.user_id,
            agency_id=member.agency_id,
            booked_by_id=member.user_id,
            created_at=created_at,
            **fields,
        )

    bookings: list[Booking] = []
    entries: list[WaitingListEntry] = []
    full_at = booked_at(0.5, 0.8)
    waiting = [
        WaitingListEntry(
            session=session,
            person_id=member.user_id,
            joined_at=full_at + datetime.timedelta(hours=n + 1),
            status=WaitingListEntry.Status.WAITING,
        )
        for n, member in enumerate(queue)
    ]
    entries.extend(waiting)

    if session.status == Session.Status.CANCELLED:
        cancelled_at = start - datetime.timedelta(days=rng.randint(1, 10))
        for member in first:
            bookings.append(
                booking(
                    member,
                    booked_at(0.0, 0.8),
                    status=Booking.Status.SESSION_CANCELLED,
                    cancelled_at=cancelled_at,
                )
            )
        for entry in waiting:
            entry.status = WaitingListEntry.Status.LEFT
        return bookings, entries

    def outcome(member: Member, created_at: datetime.datetime, *, may_leave: bool) -> Booking:
        """One place booked, and what became of it. Returns the booking (holding or not)."""
        needs_approval = course.requires_manager_approval and member.manager_id is not None
        decided_by = member.manager_id if needs_approval else None
        roll = rng.random()
        if not past:
            if needs_approval and roll < 0.3:
                return booking(member, created_at, status=Booking.Status.AWAITING_APPROVAL)
            return booking(member, created_at, status=Booking.Status.CONFIRMED, decided_by_id=None)
        if needs_approval and roll < P_DECLINED:
            return booking(
                member, created_at, status=Booking.Status.DECLINED, decided_by_id=decided_by
            )
        roll = rng.random()
        if may_leave and roll < P_CANCELLED:
            low = created_at + datetime.timedelta(hours=1)
            return booking(
                member,
                created_at,
                status=Booking.Status.CANCELLED,
                cancelled_at=low + (closes - low) * rng.uniform(0.1, 0.9) if closes > low else low,
                decided_by_id=decided_by,
            )
        if roll < P_CANCELLED + P_LATE_CANCELLED:
            return booking(
                member,
                created_at,
                status=Booking.Status.LATE_CANCELLED,
                cancelled_at=closes + (start - closes) * rng.uniform(0.05, 0.95),
                decided_by_id=decided_by,
            )
        attendance = (
            Booking.Attendance.NO_SHOW if rng.random() < P_NO_SHOW else Booking.Attendance.ATTENDED
        )
        return booking(
            member,
            created_at,
            status=Booking.Status.CONFIRMED,
            attendance=attendance,
            decided_by_id=decided_by,
        )

    freed: list[datetime.datetime] = []  # when each place given back before the cut-off was freed
    for member in first:
        placed = outcome(member, booked_at(0.0, 0.8), may_leave=True)
        bookings.append(placed)
        if placed.status in (Booking.Status.CANCELLED, Booking.Status.DECLINED):
            freed.append(placed.cancelled_at or placed.created_at + datetime.timedelta(days=2))

    # Places given back go to the waiting list in order; each offer is claimed, expires or is
    # turned down, and the next person is offered the place.
    queue_position = 0
    for freed_at in sorted(freed):
        while queue_position < len(waiting):
            entry, member = waiting[queue_position], queue[queue_position]
            queue_position += 1
            offered_at = max(freed_at, entry.joined_at) + datetime.timedelta(minutes=15)
            if offered_at >= closes:
                queue_position -= 1  # too late to offer: bookings have closed
                break
            entry.offered_at = offered_at
            entry.offer_expires_at = offered_at + datetime.timedelta(hours=48)
            roll = rng.random()
            if roll < P_OFFER_CLAIMED:
                entry.status = WaitingListEntry.Status.CLAIMED
                claimed_at = offered_at + datetime.timedelta(hours=rng.uniform(0.5, 40))
                bookings.append(outcome(member, claimed_at, may_leave=False))
                break
            entry.status = (
                WaitingListEntry.Status.EXPIRED
                if roll < P_OFFER_CLAIMED + P_OFFER_EXPIRED
                else WaitingListEntry.Status.LEFT
            )
            freed_at = entry.offer_expires_at
    for entry in waiting[queue_position:]:
        if past and rng.random() < 0.4:
            entry.status = WaitingListEntry.Status.LEFT

    if past:
        holding = sum(b.status == Booking.Status.CONFIRMED for b in bookings)
        spare = session.capacity - holding
        if spare > 0 and rng.random() < P_WALK_INS:
            booked = {b.person_id for b in bookings}
            for member in pick_people(
                ctx, min(spare, rng.randint(1, 2)), session.leader_ids | booked
            ):
                bookings.append(
                    booking(
                        member,
                        start + datetime.timedelta(minutes=rng.randint(-20, 10)),
                        status=Booking.Status.CONFIRMED,
                        attendance=Booking.Attendance.ATTENDED,
                        is_walk_in=True,
                    )
                )
    return bookings, entries
