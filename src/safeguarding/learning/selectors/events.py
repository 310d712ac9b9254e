"""Reads for local practice groups and the annual conference.

Two functions here are a contract for the statistics pages and reports (keep their names and the
shapes their docstrings give): `practice_group_figures` and `conference_figures`. Both take a
partnership and a local date range (inclusive) and return plain dicts of integers.
"""

from __future__ import annotations

import datetime
from collections.abc import Iterable

from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.db.models import Count, Prefetch, Q, QuerySet
from django.http import Http404
from django.utils import timezone

from safeguarding.learning.calendar import local_day_bounds
from safeguarding.learning.models import (
    Booking,
    Conference,
    PracticeGroup,
    PracticeGroupAttendance,
    PracticeGroupMeeting,
    ProgrammeItem,
    Session,
    WaitingListEntry,
)
from safeguarding.learning.selectors.catalogue import financial_year_of
from safeguarding.learning.selectors.places import booking_is_open, places_left
from safeguarding.people.models import Partnership, Sector, User

RECENT_MEETINGS = 3  # past meetings shown for each group on the practice groups page
UPCOMING_MEETINGS = 3


def topic_lines(topics: str) -> list[str]:
    """A meeting's topics, one a line, without blank lines."""
    return [line.strip() for line in (topics or "").splitlines() if line.strip()]


def financial_year_label(year: int) -> str:
    return f"April {year} to March {year + 1}"


# Practice groups -----------------------------------------------------------------------------


def practice_groups_overview(
    *, partnership: Partnership, now: datetime.datetime | None = None
) -> list[dict]:
    """Each of the partnership's groups with its most recent past meetings (newest first) and its
    next meetings (soonest first), each meeting annotated with `attendance_count`:
    [{"group": PracticeGroup, "recent": [meeting, ...], "upcoming": [meeting, ...]}]."""
    now = now or timezone.now()
    groups = PracticeGroup.objects.filter(locality__partnership=partnership).select_related(
        "locality"
    )
    result = []
    for group in groups:
        meetings = group.meetings.annotate(attendance_count=Count("attendances"))
        result.append(
            {
                "group": group,
                "recent": list(
                    meetings.filter(starts_at__lte=now).order_by("-starts_at")[:RECENT_MEETINGS]
                ),
                "upcoming": list(
                    meetings.filter(starts_at__gt=now).order_by("starts_at")[:UPCOMING_MEETINGS]
                ),
            }
        )
    return result


def practice_group_years(partnership: Partnership, *, today: datetime.date | None = None):
    """Starting years of financial years from the first meeting to the current year, newest
    first."""
    today = today or timezone.localdate()
    current = financial_year_of(today)
    first = (
        PracticeGroupMeeting.objects.filter(group__locality__partnership=partnership)
        .order_by("starts_at")
        .values_list("starts_at", flat=True)
        .first()
    )
    earliest = financial_year_of(timezone.localtime(first).date()) if first else current
    return list(range(min(earliest, current), current + 1))[::-1]


def latest_year_with_meetings(
    partnership: Partnership, *, now: datetime.datetime | None = None
) -> int:
    """The financial year of the most recent meeting held, or the current year if none was."""
    now = now or timezone.now()
    last = (
        PracticeGroupMeeting.objects.filter(
            group__locality__partnership=partnership, starts_at__lte=now
        )
        .order_by("-starts_at")
        .values_list("starts_at", flat=True)
        .first()
    )
    return financial_year_of(timezone.localtime(last or now).date())


def held_meetings(
    *,
    partnership: Partnership,
    start: datetime.date,
    end: datetime.date,
    now: datetime.datetime | None = None,
) -> QuerySet[PracticeGroupMeeting]:
    """Meetings of the partnership's groups on a local date from `start` to `end` inclusive that
    have already started (a meeting still to come has not been held)."""
    now = now or timezone.now()
    low, high = local_day_bounds(start, end)
    return PracticeGroupMeeting.objects.filter(
        group__locality__partnership=partnership,
        starts_at__gte=low,
        starts_at__lt=high,
        starts_at__lte=now,
    )


def practice_group_figures(
    *,
    partnership: Partnership,
    start: datetime.date,
    end: datetime.date,
    now: datetime.datetime | None = None,
) -> dict:
    """Practice group figures for meetings held on a local date from `start` to `end`
    (inclusive), e.g. a financial year (`selectors.catalogue.financial_year(2013)` is 1 April 2013
    to 31 March 2014).

    Returns plain data (integers and names):
        {
            "meetings": int,             # meetings held
            "attendances": int,          # attendances at them
            "distinct_attendees": int,   # different people who attended at least one
            "groups": [                  # every group of the partnership, by name
                {"group_id": int, "name": str, "meetings": int, "attendances": int,
                 "distinct_attendees": int},
            ],
            "by_sector": [               # attendances by the attendee's agency sector, most first
                {"sector": str, "label": str, "attendances": int},
            ],
        }
    """
    meetings = held_meetings(partnership=partnership, start=start, end=end, now=now)
    attendances = PracticeGroupAttendance.objects.filter(meeting__in=meetings)
    meetings_by_group = dict(
        meetings.order_by().values("group_id").annotate(n=Count("pk")).values_list("group_id", "n")
    )
    attendance_by_group = {
        row["meeting__group_id"]: row
        for row in attendances.order_by()
        .values("meeting__group_id")
        .annotate(n=Count("pk"), people=Count("person_id", distinct=True))
    }
    groups = []
    for group_id, name in (
        PracticeGroup.objects.filter(locality__partnership=partnership)
        .order_by("name")
        .values_list("pk", "name")
    ):
        row = attendance_by_group.get(group_id, {})
        groups.append(
            {
                "group_id": group_id,
                "name": name,
                "meetings": meetings_by_group.get(group_id, 0),
                "attendances": row.get("n", 0),
                "distinct_attendees": row.get("people", 0),
            }
        )
    labels = dict(Sector.choices)
    by_sector = [
        {
            "sector": row["agency__sector"],
            "label": labels.get(row["agency__sector"], "Other"),
            "attendances": row["n"],
        }
        for row in attendances.order_by()
        .values("agency__sector")
        .annotate(n=Count("pk"))
        .order_by("-n", "agency__sector")
    ]
    return {
        "meetings": sum(meetings_by_group.values()),
        "attendances": attendances.count(),
        "distinct_attendees": attendances.values("person_id").distinct().count(),
        "groups": groups,
        "by_sector": by_sector,
    }


def get_meeting(pk) -> PracticeGroupMeeting:
    """Meetings are open to everyone signed in (their attendance lists are not: see the view)."""
    try:
        return PracticeGroupMeeting.objects.select_related("group__locality").get(pk=pk)
    except (PracticeGroupMeeting.DoesNotExist, ValueError, TypeError):
        raise Http404("No such meeting") from None


def meeting_attendances(meeting: PracticeGroupMeeting) -> QuerySet[PracticeGroupAttendance]:
    return meeting.attendances.select_related("person", "agency").order_by(
        "person__family_name", "person__given_name", "person__email"
    )


def people_by_emails(emails: Iterable[str]) -> tuple[list[User], list[str], list[str]]:
    """Look up people by work e-mail address (case does not matter).

    Returns (people found, addresses that are not valid e-mail addresses, valid addresses that
    belong to nobody), each in the order given, without repeats."""
    wanted: list[str] = []
    invalid: list[str] = []
    for raw in emails:
        email = raw.strip().lower()
        if not email or email in wanted or email in invalid:
            continue
        try:
            validate_email(email)
        except ValidationError:
            invalid.append(raw.strip())
            continue
        wanted.append(email)
    found = {user.email.lower(): user for user in User.objects.filter(email__in=wanted)}
    people = [found[email] for email in wanted if email in found]
    unknown = [email for email in wanted if email not in found]
    return people, invalid, unknown


# The conference ------------------------------------------------------------------------------


def conference_list(*, partnership: Partnership) -> list[dict]:
    """The partnership's conferences, newest first, each with its places left and whether
    registration is open: [{"conference", "places_left", "registration_open"}]."""
    now = timezone.now()
    conferences = Conference.objects.filter(partnership=partnership).select_related(
        "session__course", "session__venue"
    )
    return [
        {
            "conference": conference,
            "places_left": places_left(conference.session),
            "registration_open": booking_is_open(conference.session, now),
        }
        for conference in conferences
    ]


def get_conference(pk) -> Conference:
    """Conferences are open to everyone signed in."""
    try:
        return (
            Conference.objects.select_related("session__course", "session__venue")
            .prefetch_related(Prefetch("programme", queryset=ProgrammeItem.objects.all()))
            .get(pk=pk)
        )
    except (Conference.DoesNotExist, ValueError, TypeError):
        raise Http404("No such conference") from None


def conference_counts(conference: Conference) -> dict[str, int]:
    """{"registrations": places held, "attendances": marked attended, "waiting": on the list}."""
    session = conference.session
    return {
        "registrations": session.bookings.filter(status__in=Booking.HOLDING).count(),
        "attendances": session.bookings.filter(attendance=Booking.Attendance.ATTENDED).count(),
        "waiting": session.waiting_list.filter(
            status__in=[WaitingListEntry.Status.WAITING, WaitingListEntry.Status.OFFERED]
        ).count(),
    }


def conference_figures(
    *, partnership: Partnership, start: datetime.date, end: datetime.date
) -> dict:
    """Conference figures for conferences on a local date from `start` to `end` (inclusive).
    Cancelled conferences are left out.

    Returns plain data (integers and titles):
        {
            "conferences": int,
            "places": int,          # capacity offered
            "registrations": int,   # bookings holding a place (confirmed or awaiting approval)
            "attendances": int,     # bookings marked attended on the register
            "by_conference": [      # soonest first
                {"conference_id": int, "title": str, "places": int, "registrations": int,
                 "attendances": int},
            ],
        }
    """
    low, high = local_day_bounds(start, end)
    conferences = (
        Conference.objects.filter(
            partnership=partnership,
            session__status=Session.Status.SCHEDULED,
            session__starts_at__gte=low,
            session__starts_at__lt=high,
        )
        .annotate(
            registrations=Count(
                "session__bookings", filter=Q(session__bookings__status__in=Booking.HOLDING)
            ),
            attendances=Count(
                "session__bookings",
                filter=Q(session__bookings__attendance=Booking.Attendance.ATTENDED),
            ),
        )
        .order_by("session__starts_at")
        .values("pk", "title", "session__capacity", "registrations", "attendances")
    )
    rows = [
        {
            "conference_id": c["pk"],
            "title": c["title"],
            "places": c["session__capacity"],
            "registrations": c["registrations"],
            "attendances": c["attendances"],
        }
        for c in conferences
    ]
    return {
        "conferences": len(rows),
        "places": sum(r["places"] for r in rows),
        "registrations": sum(r["registrations"] for r in rows),
        "attendances": sum(r["attendances"] for r in rows),
        "by_conference": rows,
    }
