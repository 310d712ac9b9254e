"""What other apps may read of the training programme.

Another domain app (risk, for one) links its records to learning's courses, sessions and practice
group meetings by ForeignKey, and reads here who was trained and which events there are; it never
queries learning's models itself. Keep these names and the shapes their docstrings give: they are
a contract with the apps that call them. Querysets returned are of learning's models, for a form's
choices or a ForeignKey's value; everything else is ids or plain values.
"""

from __future__ import annotations

import datetime

from django.db.models import QuerySet

from safeguarding.learning.models import (
    Booking,
    Course,
    PracticeGroupAttendance,
    PracticeGroupMeeting,
    Session,
)


def attendances(
    *,
    course_ids: list[int] | tuple[int, ...] = (),
    meeting_ids: list[int] | tuple[int, ...] = (),
    until: datetime.date | None = None,
) -> set[tuple[int, int]]:
    """(person id, agency id) for everyone marked as having attended a session of one of the
    courses, or recorded at one of the practice group meetings; only sessions and meetings that
    started on or before `until` (a local date) when it is given. The agency is the one they
    booked or attended for."""
    bookings = Booking.objects.filter(
        session__course_id__in=list(course_ids), attendance=Booking.Attendance.ATTENDED
    )
    meetings = PracticeGroupAttendance.objects.filter(meeting_id__in=list(meeting_ids))
    if until is not None:
        bookings = bookings.filter(session__starts_at__date__lte=until)
        meetings = meetings.filter(meeting__starts_at__date__lte=until)
    return set(bookings.values_list("person_id", "agency_id")) | set(
        meetings.values_list("person_id", "agency_id")
    )


def attended_person_ids(
    *,
    course_ids: list[int] | tuple[int, ...] = (),
    meeting_ids: list[int] | tuple[int, ...] = (),
    until: datetime.date | None = None,
) -> set[int]:
    """The ids of the people in `attendances(...)`: attended a session of one of the courses or
    one of the meetings (on or before `until` when it is given)."""
    return {
        person
        for person, _ in attendances(course_ids=course_ids, meeting_ids=meeting_ids, until=until)
    }


def people_booked_or_attending(
    *, session_id: int | None = None, meeting_id: int | None = None
) -> set[int]:
    """The ids of the people with a confirmed place on the session (unless marked as not having
    come) and of the people recorded at the practice group meeting. Either may be None."""
    ids: set[int] = set()
    if session_id:
        ids |= set(
            Booking.objects.filter(session_id=session_id, status=Booking.Status.CONFIRMED)
            .exclude(attendance=Booking.Attendance.NO_SHOW)
            .values_list("person_id", flat=True)
        )
    if meeting_id:
        ids |= set(
            PracticeGroupAttendance.objects.filter(meeting_id=meeting_id).values_list(
                "person_id", flat=True
            )
        )
    return ids


def sessions_for_partnership(partnership) -> QuerySet[Session]:
    """Every course session of the partnership, newest first, with its course."""
    return (
        Session.objects.filter(course__partnership=partnership)
        .select_related("course")
        .order_by("-starts_at")
    )


def practice_group_meetings_for_partnership(partnership) -> QuerySet[PracticeGroupMeeting]:
    """Every practice group meeting in the partnership's localities, newest first, with its
    group."""
    return (
        PracticeGroupMeeting.objects.filter(group__locality__partnership=partnership)
        .select_related("group")
        .order_by("-starts_at")
    )


def courses_matching(partnership, *, title_contains: str) -> QuerySet[Course]:
    """The partnership's courses whose title contains the words (any case)."""
    return Course.objects.filter(partnership=partnership, title__icontains=title_contains)


def meetings_matching(partnership, *, topics_contains: str) -> QuerySet[PracticeGroupMeeting]:
    """The partnership's practice group meetings whose topics contain the words (any case)."""
    return PracticeGroupMeeting.objects.filter(
        group__locality__partnership=partnership, topics__icontains=topics_contains
    )


def meeting_near(partnership, day: datetime.date, *, days: int = 14) -> PracticeGroupMeeting | None:
    """The partnership's earliest practice group meeting starting within `days` days either side
    of `day` (a local date), or None."""
    window = (day - datetime.timedelta(days=days), day + datetime.timedelta(days=days))
    return (
        PracticeGroupMeeting.objects.filter(
            group__locality__partnership=partnership, starts_at__date__range=window
        )
        .order_by("starts_at")
        .first()
    )
