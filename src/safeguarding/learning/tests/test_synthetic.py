"""The synthetic training history that `generate_synthetic` adds to each county
(learning/synthetic/): internally consistent, deterministic, and switchable off."""

from __future__ import annotations

import datetime
from collections import Counter
from io import StringIO

import pytest
from django.core.management import call_command
from django.db.models import Count, F, Q
from django.utils import timezone

from safeguarding.core.models import AuditEntry
from safeguarding.learning.calendar import working_days_before
from safeguarding.learning.models import (
    Accreditation,
    Booking,
    Conference,
    Course,
    EvaluationResponse,
    PracticeGroup,
    PracticeGroupAttendance,
    PracticeGroupMeeting,
    Session,
    SessionTrainer,
    Venue,
    WaitingListEntry,
)
from safeguarding.learning.selectors.catalogue import financial_year, financial_year_of
from safeguarding.learning.selectors.reports import training_statistics
from safeguarding.people.models import Membership, Partnership, Role, RoleGrant, User


def _generate(*extra: str, seed: int = 7) -> str:
    out = StringIO()
    call_command(
        "generate_synthetic",
        "--scale",
        "test",
        "--seed",
        str(seed),
        *extra,
        stdout=out,
        stderr=StringIO(),
    )
    return out.getvalue()


def _local_day(moment: datetime.datetime) -> datetime.date:
    return timezone.localtime(moment).date()


def _roles(partnership) -> dict[tuple[int, int], set[str]]:
    """{(user id, agency id): roles} for the partnership's memberships."""
    roles: dict[tuple[int, int], set[str]] = {}
    for user_id, agency_id, role in RoleGrant.objects.filter(
        membership__agency__partnership=partnership
    ).values_list("membership__user_id", "membership__agency_id", "role"):
        roles.setdefault((user_id, agency_id), set()).add(role)
    return roles


@pytest.mark.django_db
def test_synthetic_training_is_internally_consistent():
    output = _generate()
    partnership = Partnership.objects.get()
    assert "Training, April 2016 to March 2026 (10 financial years)" in output
    roles = _roles(partnership)
    sessions = Session.objects.filter(course__partnership=partnership)
    courses = sessions.filter(course__kind=Course.Kind.COURSE)
    low = timezone.make_aware(datetime.datetime(2016, 4, 1))
    high = timezone.make_aware(datetime.datetime(2026, 4, 1))
    assert courses.count() >= 50
    assert not sessions.filter(Q(starts_at__lt=low) | Q(starts_at__gte=high)).exists()

    # No session holds more places than it has.
    holding = sessions.annotate(
        held=Count("bookings", filter=Q(bookings__status__in=Booking.HOLDING))
    )
    assert not holding.filter(held__gt=F("capacity")).exists()
    assert holding.filter(held=F("capacity")).exists()  # some sessions are full

    # Every session is led by trainers from the pool, accredited for its course on the day,
    # credited to their own agency, and nobody leads two sessions on one day.
    accredited = {
        (a.trainer_id, a.course_id): a
        for a in Accreditation.objects.filter(
            course__in=Course.objects.filter(partnership=partnership)
        )
    }
    days_led: Counter = Counter()
    led = SessionTrainer.objects.filter(session__in=courses).select_related("session")
    assert {row.session_id for row in led} == set(courses.values_list("pk", flat=True))
    for row in led:
        day = _local_day(row.session.starts_at)
        accreditation = accredited[(row.trainer_id, row.session.course_id)]
        assert accreditation.is_valid_on(day)
        assert Role.TRAINER in roles[(row.trainer_id, row.agency_id)]
        days_led[(row.trainer_id, day)] += 1
    assert max(days_led.values()) == 1

    # Bookings only by practitioners, for their own agency; never by the session's trainers.
    bookings = Booking.objects.filter(session__course__partnership=partnership)
    for person_id, agency_id in bookings.values_list("person_id", "agency_id").distinct():
        assert Role.PRACTITIONER in roles[(person_id, agency_id)]
    assert not bookings.filter(person__session_assignments__session=F("session_id")).exists()

    # Every outcome a register records, and no outcome out of place.
    statuses = Counter(bookings.values_list("status", flat=True))
    for status in (
        Booking.Status.CONFIRMED,
        Booking.Status.CANCELLED,
        Booking.Status.LATE_CANCELLED,
        Booking.Status.SESSION_CANCELLED,
    ):
        assert statuses[status] > 0, status
    confirmed = bookings.filter(status=Booking.Status.CONFIRMED)
    assert confirmed.filter(attendance=Booking.Attendance.ATTENDED).count() > 5 * (
        confirmed.filter(attendance=Booking.Attendance.NO_SHOW).count()
    )
    assert confirmed.filter(attendance=Booking.Attendance.NO_SHOW).exists()
    assert not confirmed.filter(attendance="").exists()  # every register is marked
    assert not bookings.exclude(status=Booking.Status.CONFIRMED).exclude(attendance="").exists()
    walk_ins = bookings.filter(is_walk_in=True)
    assert walk_ins.exists()
    assert not walk_ins.exclude(
        status=Booking.Status.CONFIRMED, attendance=Booking.Attendance.ATTENDED
    ).exists()
    assert (
        not bookings.filter(session__status=Session.Status.CANCELLED)
        .exclude(status=Booking.Status.SESSION_CANCELLED)
        .exists()
    )
    assert (
        not bookings.filter(status=Booking.Status.DECLINED)
        .exclude(session__course__requires_manager_approval=True)
        .exists()
    )
    for booking in bookings.filter(
        status__in=(Booking.Status.CANCELLED, Booking.Status.LATE_CANCELLED)
    ).select_related("session"):
        session = booking.session
        closes = timezone.make_aware(
            datetime.datetime.combine(
                working_days_before(_local_day(session.starts_at), session.cutoff_working_days)
                + datetime.timedelta(days=1),
                datetime.time.min,
            )
        )
        assert booking.created_at < booking.cancelled_at < session.starts_at
        if booking.status == Booking.Status.LATE_CANCELLED:
            assert booking.cancelled_at >= closes
        else:
            assert booking.cancelled_at <= closes
    assert not bookings.filter(is_walk_in=False, created_at__gte=F("session__starts_at")).exists()

    # Waiting lists: offers claimed (with the place booked), expired or turned down.
    entries = WaitingListEntry.objects.filter(session__course__partnership=partnership)
    states = Counter(entries.values_list("status", flat=True))
    assert states[WaitingListEntry.Status.CLAIMED] and states[WaitingListEntry.Status.EXPIRED]
    for entry in entries.filter(status=WaitingListEntry.Status.CLAIMED):
        assert bookings.filter(session=entry.session_id, person=entry.person_id).exists()
        assert entry.offered_at < entry.offer_expires_at
    assert not entries.filter(
        person__bookings__session=F("session_id"), status=WaitingListEntry.Status.WAITING
    ).exists()

    # Evaluations only from people who attended, after the session, for a share of them.
    responses = EvaluationResponse.objects.filter(booking__in=bookings)
    attended = bookings.filter(attendance=Booking.Attendance.ATTENDED)
    assert not responses.exclude(booking__attendance=Booking.Attendance.ATTENDED).exists()
    assert not responses.filter(submitted_at__lt=F("booking__session__ends_at")).exists()
    immediate = responses.filter(stage="immediate").count()
    assert 0.4 * attended.count() < immediate < 0.9 * attended.count()
    assert 0 < responses.filter(stage="follow_up").count() < immediate

    # Practice groups: one per locality, six meetings a year each, local attendees.
    groups = PracticeGroup.objects.filter(locality__partnership=partnership)
    assert groups.count() == partnership.localities.count()
    meetings = PracticeGroupMeeting.objects.filter(group__in=groups)
    assert meetings.count() == groups.count() * 6 * 10
    lpg = PracticeGroupAttendance.objects.filter(meeting__in=meetings)
    assert lpg.count() > meetings.count() * 3
    assert not lpg.exclude(agency__partnership=partnership).exists()

    # A conference each financial year, in that year.
    conferences = Conference.objects.filter(partnership=partnership)
    years = [financial_year_of(_local_day(c.session.starts_at)) for c in conferences]
    assert sorted(years) == list(range(2016, 2026))
    assert not Venue.objects.filter(partnership=partnership, sessions__isnull=True).count() > 3

    # The statistics page's figures add up for a year of it.
    start, end = financial_year(2019)
    figures = training_statistics(partnership=partnership, start=start, end=end)
    assert figures["sessions_run"] > 0 and figures["bookings"] > 0
    assert 70 <= figures["attendance_rate"] < 100
    assert figures["trainer_days"] > 0
    assert figures["practice_group_meetings"] == groups.count() * 6
    assert figures["conference"]["conferences"] == 1
    assert figures["evaluation"]["immediate"]["responses"] > 0

    entry = AuditEntry.objects.get(action="learning.synthetic.generated")
    assert entry.changes["created"]["booking"] == bookings.count()


def _fingerprint() -> list[tuple]:
    return list(
        Booking.objects.order_by(
            "session__starts_at", "session__course__title", "person__email", "status"
        ).values_list(
            "session__course__title",
            "session__starts_at",
            "session__capacity",
            "person__email",
            "status",
            "attendance",
            "is_walk_in",
            "created_at",
        )
    ) + list(
        SessionTrainer.objects.order_by("session__starts_at", "trainer__email").values_list(
            "session__starts_at", "trainer__email"
        )
    )


def _delete_training() -> None:
    EvaluationResponse.objects.all().delete()
    Booking.objects.all().delete()
    Conference.objects.all().delete()
    Session.objects.all().delete()
    PracticeGroupMeeting.objects.all().delete()
    PracticeGroup.objects.all().delete()
    Course.objects.all().delete()
    Venue.objects.all().delete()
    User.objects.all().delete()
    Membership.objects.all().delete()
    for partnership in Partnership.objects.all():
        partnership.agencies.all().delete()
        partnership.localities.all().delete()
    Partnership.objects.all().delete()


@pytest.mark.django_db
def test_synthetic_training_is_deterministic():
    _generate("--years", "3")
    first = _fingerprint()
    assert len(first) > 300
    _delete_training()
    _generate("--years", "3")
    assert _fingerprint() == first
    _delete_training()
    _generate("--years", "3", seed=8)
    assert _fingerprint() != first


@pytest.mark.django_db
def test_no_training_writes_people_only():
    output = _generate("--no-training")
    assert "Training," not in output
    assert User.objects.count() == 300
    assert not Course.objects.exists() and not Booking.objects.exists()
    assert not AuditEntry.objects.filter(action="learning.synthetic.generated").exists()


@pytest.mark.django_db
def test_a_year_reaching_today_leaves_sessions_to_come_open():
    this_year = financial_year_of(timezone.localdate())
    _generate("--years", "1", "--first-year", str(this_year))
    now = timezone.now()
    bookings = Booking.objects.filter(session__course__kind=Course.Kind.COURSE)
    to_come = bookings.filter(session__starts_at__gt=now)
    held = bookings.filter(session__starts_at__lte=now, session__status=Session.Status.SCHEDULED)
    assert not to_come.exclude(attendance="").exists()
    assert (
        not to_come.exclude(status__in=Booking.HOLDING)
        .exclude(status=Booking.Status.SESSION_CANCELLED)
        .exclude(status=Booking.Status.CANCELLED)
        .exists()
    )
    assert not EvaluationResponse.objects.filter(booking__in=to_come).exists()
    assert not held.filter(status=Booking.Status.CONFIRMED, attendance="").exists()
    assert to_come.exists() or held.exists()


@pytest.mark.django_db
def test_years_and_first_year_are_checked():
    from django.core.management.base import CommandError

    with pytest.raises(CommandError, match="--years"):
        _generate("--years", "0")
    with pytest.raises(CommandError, match="--first-year"):
        _generate("--first-year", str(timezone.localdate().year + 1))
