"""Synthetic local practice group meetings and annual conferences."""

from __future__ import annotations

import datetime

from django.utils.text import slugify

from safeguarding.learning.calendar import (
    local_datetime,
    working_days_between,
)
from safeguarding.learning.models import (
    Booking,
    Conference,
    Course,
    PracticeGroup,
    PracticeGroupAttendance,
    PracticeGroupMeeting,
    ProgrammeItem,
    Session,
)
from safeguarding.learning.synthetic.plan import CONFERENCE_THEMES, PRACTICE_GROUP_TOPICS
from safeguarding.learning.synthetic.sessions import Context, pick_people


def write_practice_groups(
    ctx: Context, year: int, groups: list[PracticeGroup], by_locality: dict
) -> None:
    rng = ctx.rng
    meetings, plans = [], []
    for group in groups:
        for month in (5, 7, 9, 11, 1, 3):
            calendar_year = year if month >= 4 else year + 1
            wednesdays = [
                d
                for d in working_days_between(
                    datetime.date(calendar_year, month, 8), datetime.date(calendar_year, month, 24)
                )
                if d.weekday() == 2
            ]
            day = rng.choice(wednesdays)
            meeting = PracticeGroupMeeting(
                group=group,
                starts_at=local_datetime(day, datetime.time(12, 30)),
                venue=f"{group.locality.name} children's centre",
                topics=rng.choice(PRACTICE_GROUP_TOPICS),
            )
            meetings.append(meeting)
            local = by_locality.get(group.locality_id) or ctx.practitioners
            plans.append(local)
    ctx.out.write(PracticeGroupMeeting, meetings)
    attendances = []
    for meeting, local in zip(meetings, plans, strict=True):
        if meeting.starts_at > ctx.now:
            continue
        for member in rng.sample(local, min(len(local), rng.randint(12, 30))):
            attendances.append(
                PracticeGroupAttendance(
                    meeting=meeting, person_id=member.user_id, agency_id=member.agency_id
                )
            )
    ctx.out.write(PracticeGroupAttendance, attendances)


def write_conference(ctx: Context, year: int) -> list[Booking]:
    rng = ctx.rng
    day = rng.choice(
        [
            d
            for d in working_days_between(datetime.date(year, 6, 1), datetime.date(year, 7, 15))
            if d.weekday() in (1, 2, 3)
        ]
    )
    title = f"Annual conference {day.year}"
    theme = CONFERENCE_THEMES[(year + rng.randrange(3)) % len(CONFERENCE_THEMES)]
    course = Course(
        partnership=ctx.partnership,
        kind=Course.Kind.CONFERENCE,
        title=title,
        slug=slugify(title),
        summary=theme,
        learning_outcomes="Hear what is changing locally and nationally\nMeet colleagues from "
        "other agencies",
        duration=Course.Duration.FULL_DAY,
        status=Course.Status.PUBLISHED,
        charges_apply=False,
        created_at=local_datetime(day - datetime.timedelta(days=180), datetime.time(10)),
    )
    ctx.out.write(Course, [course])
    capacity = min(rng.choice((180, 200, 220, 250)), max(20, len(ctx.practitioners) // 20))
    session = Session(
        course=course,
        starts_at=local_datetime(day, datetime.time(9)),
        ends_at=local_datetime(day, datetime.time(16)),
        venue=ctx.venues[-1],
        capacity=capacity,
        booking_opens_at=local_datetime(day - datetime.timedelta(days=120), datetime.time(9)),
        cutoff_working_days=3,
        joining_instructions="Registration and coffee from 8.30am.",
    )
    if session.starts_at <= ctx.now:
        session.reminder_sent_at = session.starts_at - datetime.timedelta(days=3)
    ctx.out.write(Session, [session])
    conference = Conference(partnership=ctx.partnership, title=title, theme=theme, session=session)
    ctx.out.write(Conference, [conference])
    items = [
        ("talk", "Welcome from the independent chair", "Independent chair", 9, 15, 30),
        ("talk", "What the year has taught us", "Partnership business manager", 9, 45, 45),
        ("workshop", "Putting it into practice", "Practitioners from the training pool", 11, 0, 75),
        ("break", "Lunch", "", 12, 15, 45),
        ("talk", "In our own words", "Young people from the children in care council", 13, 0, 45),
        ("workshop", "Tools for the front line", "Local safeguarding leads", 14, 0, 75),
        ("talk", "Closing reflections", "Independent chair", 15, 30, 30),
    ]
    ctx.out.write(
        ProgrammeItem,
        [
            ProgrammeItem(
                conference=conference,
                kind=kind,
                title=f"{theme}: {item}" if kind == "workshop" else item,
                speakers=speakers,
                room="Main hall" if kind != "workshop" else rng.choice(("Room 1", "Room 2")),
                starts_at=local_datetime(day, datetime.time(hour, minute)),
                ends_at=local_datetime(day, datetime.time(hour, minute))
                + datetime.timedelta(minutes=length),
            )
            for kind, item, speakers, hour, minute, length in items
        ],
    )
    past = session.starts_at <= ctx.now
    bookings = []
    for member in pick_people(ctx, round(capacity * rng.uniform(0.9, 1.0)), set()):
        created_at = session.booking_opens_at + datetime.timedelta(days=rng.uniform(0, 100))
        roll = rng.random()
        if past and roll < 0.05:
            status, attendance, cancelled_at = (
                Booking.Status.CANCELLED,
                "",
                created_at + datetime.timedelta(days=1),
            )
        elif past:
            status, cancelled_at = Booking.Status.CONFIRMED, None
            attendance = Booking.Attendance.NO_SHOW if roll > 0.92 else Booking.Attendance.ATTENDED
        else:
            status, attendance, cancelled_at = Booking.Status.CONFIRMED, "", None
        bookings.append(
            Booking(
                session=session,
                person_id=member.user_id,
                agency_id=member.agency_id,
                booked_by_id=member.user_id,
                status=status,
                attendance=attendance,
                created_at=created_at,
                cancelled_at=cancelled_at,
            )
        )
    ctx.out.write(Booking, bookings)
    return bookings
