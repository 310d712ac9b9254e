"""The demo's local practice groups and the annual conference."""

from __future__ import annotations

import datetime

from safeguarding.learning.calendar import local_datetime, working_days_between
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
from safeguarding.people.models import Membership

# The seed's conference was held "in the middle of the inspection", before its July 2014 update;
# the issue asks for it inside the 2013/14 year, so the demo holds it on the year's last Thursday
# but one.
CONFERENCE_DAY = datetime.date(2014, 3, 20)


TOPICS = [
    "Learning from serious case reviews\nThe new threshold document",
    "Children who go missing\nReturn interviews",
    "Child sexual exploitation: the local picture",
    "Neglect: the graded care profile",
    "Launch of the domestic abuse risk identification matrix\nSpeaking the same language",
    "Private fostering\nE-safety",
]


def write_practice_groups(partnership, practitioners, rng) -> tuple[int, int]:
    meetings = attendances = 0
    by_locality: dict[int, list[Membership]] = {}
    for m in practitioners:
        if m.agency.locality_id:
            by_locality.setdefault(m.agency.locality_id, []).append(m)
    for locality in partnership.localities.order_by("name"):
        group = PracticeGroup.objects.create(
            locality=locality, name=f"{locality.name} local practice group"
        )
        local = by_locality.get(locality.pk) or practitioners
        for month in (5, 7, 9, 11, 1, 3):
            year = 2013 if month >= 4 else 2014
            day = next(
                d
                for d in working_days_between(
                    datetime.date(year, month, 10), datetime.date(year, month, 20)
                )
                if d.weekday() == 2
            )
            meeting = PracticeGroupMeeting.objects.create(
                group=group,
                starts_at=local_datetime(day, datetime.time(12, 30)),
                venue=f"{locality.name} children's centre",
                topics=TOPICS[(month + locality.pk) % len(TOPICS)],
            )
            meetings += 1
            people = rng.sample(local, min(len(local), rng.randint(18, 26)))
            PracticeGroupAttendance.objects.bulk_create(
                PracticeGroupAttendance(meeting=meeting, person=m.user, agency=m.agency)
                for m in people
            )
            attendances += len(people)
    return meetings, attendances


def write_conference(partnership, venue, practitioners, rng) -> int:
    course = Course.objects.create(
        partnership=partnership,
        kind=Course.Kind.CONFERENCE,
        title="Annual conference 2014",
        slug="annual-conference-2014",
        summary="Keeping children safe online.",
        learning_outcomes="Understand online sexual exploitation\nGive practical e-safety advice",
        duration=Course.Duration.FULL_DAY,
        status=Course.Status.PUBLISHED,
        charges_apply=False,
    )
    day = CONFERENCE_DAY
    session = Session.objects.create(
        course=course,
        starts_at=local_datetime(day, datetime.time(9, 0)),
        ends_at=local_datetime(day, datetime.time(16, 0)),
        venue=venue,
        capacity=220,
        cutoff_working_days=3,
        joining_instructions="Registration from 8.30am.",
    )
    conference = Conference.objects.create(
        partnership=partnership,
        title="Annual conference 2014",
        theme="E-safety: keeping youngsters safe online",
        session=session,
    )
    programme = [
        ("talk", "Welcome from the independent chair", "Independent chair of the LSCB", 9, 15),
        (
            "talk",
            "Online sexual exploitation: what we are seeing",
            "Police online safety lead",
            9,
            30,
        ),
        (
            "workshop",
            "Cyber mentors: advice from young people",
            "Cyber mentors from a local secondary school",
            11,
            0,
        ),
        ("break", "Lunch", "", 12, 30),
        ("workshop", "Helping parents keep children safe online", "E-safety adviser", 13, 30),
        ("talk", "Closing reflections", "Business manager", 15, 30),
    ]
    for kind, title, speakers, hour, minute in programme:
        start = local_datetime(day, datetime.time(hour, minute))
        ProgrammeItem.objects.create(
            conference=conference,
            kind=kind,
            title=title,
            speakers=speakers,
            room="Main hall",
            starts_at=start,
            ends_at=start + datetime.timedelta(minutes=75 if kind == "workshop" else 30),
        )
    people = rng.sample(practitioners, min(len(practitioners), 212))
    Booking.objects.bulk_create(
        Booking(
            session=session,
            person=m.user,
            agency=m.agency,
            booked_by=m.user,
            status=Booking.Status.CONFIRMED,
            attendance=Booking.Attendance.ATTENDED if n < 200 else Booking.Attendance.NO_SHOW,
        )
        for n, m in enumerate(people)
    )
    return 200
