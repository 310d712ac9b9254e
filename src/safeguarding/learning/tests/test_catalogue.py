"""The course catalogue, sessions, the public programme and the training pool."""

from __future__ import annotations

import datetime
from decimal import Decimal

import pytest
from django.core import mail
from django.urls import reverse
from django.utils import timezone
from icalendar import Calendar

from safeguarding.conftest import _person, signed_in
from safeguarding.core.models import AuditEntry
from safeguarding.learning.models import (
    Accreditation,
    Booking,
    Course,
    FeeSchedule,
    Level,
    Session,
    SessionTrainer,
    WaitingListEntry,
)
from safeguarding.learning.selectors import catalogue as selectors
from safeguarding.learning.selectors import places as place_selectors
from safeguarding.learning.services import booking as booking_services
from safeguarding.learning.services import catalogue as services
from safeguarding.learning.services import sessions as session_services
from safeguarding.learning.services import waiting_list as waiting_list_services
from safeguarding.learning.tests import persona_catalogue
from safeguarding.people.models import Locality, Role

pytestmark = pytest.mark.django_db


def _at(day: datetime.date, hour: int, minute: int = 0) -> datetime.datetime:
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time(hour, minute)))


def _accredit(trainer, course, on=None, until=None) -> Accreditation:
    today = timezone.localdate()
    return Accreditation.objects.create(
        trainer=trainer,
        course=course,
        accredited_on=on or today - datetime.timedelta(days=365 * 20),
        expires_on=until or today + datetime.timedelta(days=365),
    )


def _session(course, trainers, *, days_ahead=40, hour=9, hours=6, admin, **extra) -> Session:
    start = _at(timezone.localdate() + datetime.timedelta(days=days_ahead), hour)
    if not extra.get("venue"):
        extra.setdefault("online_url", "https://meet.example/room")
    return session_services.session_create(
        course=course,
        starts_at=start,
        ends_at=start + datetime.timedelta(hours=hours),
        capacity=extra.pop("capacity", 10),
        trainers=trainers,
        actor=admin,
        **extra,
    )


@pytest.fixture
def catalogue_trainer_b(agency_b):
    return _person(
        "tom.trainer@health.example",
        agency_b,
        [Role.PRACTITIONER, Role.TRAINER],
        job_title="Named nurse",
    )


@pytest.fixture
def catalogue_draft(partnership, course):
    return Course.objects.create(
        partnership=partnership,
        title="Secret draft course",
        slug="secret-draft",
        summary="Not ready yet.",
        learning_outcomes="Nothing yet",
        status=Course.Status.DRAFT,
    )


@pytest.fixture
def catalogue_online(course, trainer_a, admin, session):
    """An online session of the published course, 50 days ahead."""
    return _session(
        course,
        [trainer_a],
        days_ahead=50,
        admin=admin,
        online_url="https://meet.example/secret-room-123",
        joining_instructions="Passcode 998877",
    )


# The public programme ------------------------------------------------------------------------


def test_programme_is_public_and_hides_draft_courses(
    client, session, catalogue_draft, trainer_a, admin
):
    _accredit(trainer_a, catalogue_draft)
    _session(catalogue_draft, [trainer_a], days_ahead=45, admin=admin)

    response = client.get(reverse("learning:programme"))

    assert response.status_code == 200
    assert session.course.title in response.content.decode()
    assert "Secret draft course" not in response.content.decode()


def test_programme_groups_sessions_by_month_and_shows_places_left(client, session, practitioner_a):
    booking_services.booking_create(session=session, person=practitioner_a, actor=practitioner_a)

    response = client.get(reverse("learning:programme"))

    months = response.context["months"]
    assert [entry.session for month in months for entry in month.entries] == [session]
    assert months[0].month == timezone.localtime(session.starts_at).date().replace(day=1)
    assert months[0].entries[0].places_left == 9
    assert f"{timezone.localtime(session.starts_at):%B %Y}" in response.content.decode()


def test_programme_says_full_and_offers_the_waiting_list_when_no_place_is_left(
    client, course, trainer_a, admin, practitioner_a, session
):
    full = _session(course, [trainer_a], days_ahead=60, admin=admin, capacity=1)
    booking_services.booking_create(session=full, person=practitioner_a, actor=practitioner_a)

    content = client.get(reverse("learning:programme")).content.decode()

    assert "Full – join the waiting list" in content


def test_places_left_in_lists_match_the_booking_core(session, practitioner_a, practitioner_b):
    booking_services.booking_create(session=session, person=practitioner_a, actor=practitioner_a)
    WaitingListEntry.objects.create(
        session=session, person=practitioner_b, status=WaitingListEntry.Status.OFFERED
    )

    annotated = selectors.with_places(Session.objects.filter(pk=session.pk)).get()

    assert selectors.annotated_places_left(annotated) == place_selectors.places_left(session)
    assert place_selectors.places_left(session) == 8


def test_programme_filters_by_level_and_locality(
    client, partnership, course, session, catalogue_online, venue
):
    north = Locality.objects.get(partnership=partnership, name="North")
    venue.locality = north
    venue.save()
    other_level = Level.objects.create(partnership=partnership, code="G1", name="Group 1")
    url = reverse("learning:programme")

    def shown(query):
        response = client.get(url, query)
        return [e.session for m in response.context["months"] for e in m.entries]

    assert shown({"locality": north.pk}) == [session]
    assert shown({"locality": "online"}) == [catalogue_online]
    assert shown({"level": course.level.pk}) == [session, catalogue_online]
    assert shown({"level": other_level.pk}) == []
    # A stale or mistyped filter is ignored rather than refused.
    assert shown({"level": "nonsense"}) == [session, catalogue_online]


def test_course_page_explains_the_course_and_its_fees(client, course, session, partnership):
    FeeSchedule.objects.filter(partnership=partnership).update(
        other_day_rate=Decimal("120"), no_show_charge=Decimal("75")
    )
    prerequisite = services.course_create(
        partnership=partnership,
        title="Introduction to safeguarding",
        summary="The basics.",
        learning_outcomes="Know the basics",
        status=Course.Status.PUBLISHED,
        actor=None,
    )
    course.prerequisites.add(prerequisite)

    content = client.get(reverse("learning:course-detail", args=[course.pk])).content.decode()

    assert "Recognise signs of abuse" in content
    assert "Introduction to safeguarding" in content
    assert "free for staff of agencies that fund the partnership" in content
    assert "£120.00" in content and "£75.00" in content
    assert reverse("learning:session-detail", args=[session.pk]) in content


def test_draft_course_and_its_sessions_are_hidden_from_the_public(
    client, catalogue_draft, trainer_a, admin, practitioner_a
):
    _accredit(trainer_a, catalogue_draft)
    draft_session = _session(catalogue_draft, [trainer_a], admin=admin)

    assert (
        client.get(reverse("learning:course-detail", args=[catalogue_draft.pk])).status_code == 404
    )
    assert (
        client.get(reverse("learning:session-detail", args=[draft_session.pk])).status_code == 404
    )
    practitioner = signed_in(client, practitioner_a)
    assert (
        practitioner.get(reverse("learning:course-detail", args=[catalogue_draft.pk])).status_code
        == 404
    )


def test_online_link_is_hidden_from_anonymous_visitors(
    client, catalogue_online, admin, practitioner_a
):
    url = reverse("learning:session-detail", args=[catalogue_online.pk])

    anonymous = client.get(url).content.decode()
    assert "secret-room-123" not in anonymous
    assert "Passcode" not in anonymous
    assert "Online" in anonymous

    booking_services.booking_create(
        session=catalogue_online, person=practitioner_a, actor=practitioner_a
    )
    booked = signed_in(client, practitioner_a).get(url).content.decode()
    assert "https://meet.example/secret-room-123" in booked


def test_session_page_shows_venue_trainers_places_and_closing_date(client, session, trainer_a):
    content = client.get(reverse("learning:session-detail", args=[session.pk])).content.decode()

    assert "Castle Street" in content
    assert "Step-free entrance" in content
    assert trainer_a.full_name in content
    assert "10 of 10" in content
    last_day = selectors.last_booking_day(session)
    assert f"Closes at the end of {last_day:%A} {last_day.day} {last_day:%B %Y}" in content
    assert "Sign in to book a place" in content


def test_signed_in_user_sees_book_then_their_booking_status(client, session, practitioner_a):
    url = reverse("learning:session-detail", args=[session.pk])
    page = signed_in(client, practitioner_a).get(url).content.decode()
    assert reverse("learning:book", args=[session.pk]) in page
    assert "Book a place" in page

    booking_services.booking_create(session=session, person=practitioner_a, actor=practitioner_a)
    page = client.get(url).content.decode()
    assert "Book a place" not in page
    assert "Confirmed" in page


def test_full_session_offers_the_waiting_list(
    client, course, trainer_a, admin, practitioner_a, practitioner_b, session
):
    full = _session(course, [trainer_a], days_ahead=60, admin=admin, capacity=1)
    booking_services.booking_create(session=full, person=practitioner_a, actor=practitioner_a)

    page = signed_in(client, practitioner_b).get(reverse("learning:session-detail", args=[full.pk]))

    content = page.content.decode()
    assert "Book a place" not in content
    assert reverse("learning:waiting-list-join", args=[full.pk]) in content


def test_calendar_feed_has_one_event_per_upcoming_session(
    client, session, catalogue_online, catalogue_draft, course, trainer_a, admin
):
    _accredit(trainer_a, catalogue_draft)
    _session(catalogue_draft, [trainer_a], days_ahead=70, admin=admin)
    cancelled = _session(course, [trainer_a], days_ahead=80, admin=admin)
    session_services.session_cancel(session=cancelled, reason="Trainer ill", actor=admin)
    past = Session.objects.create(
        course=course,
        starts_at=timezone.now() - datetime.timedelta(days=3),
        ends_at=timezone.now() - datetime.timedelta(days=3) + datetime.timedelta(hours=3),
        capacity=5,
        online_url="https://meet.example/old",
    )

    response = client.get(reverse("learning:calendar-feed"))

    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/calendar")
    assert "public" in response["Cache-Control"]
    calendar = Calendar.from_ical(response.content)
    events = calendar.walk("VEVENT")
    uids = {str(e["UID"]) for e in events}
    assert len(events) == 2
    assert {uid.split("@")[0] for uid in uids} == {
        f"session-{session.pk}",
        f"session-{catalogue_online.pk}",
    }
    assert f"session-{past.pk}@" not in response.content.decode()
    assert b"secret-room-123" not in response.content
    assert b"Passcode" not in response.content
    online = next(e for e in events if str(e["UID"]).startswith(f"session-{catalogue_online.pk}@"))
    assert str(online["LOCATION"]) == "Online"


# Booking cut-off -----------------------------------------------------------------------------


def test_booking_closes_at_skips_a_bank_holiday_monday():
    # Thursday 29 May 2014; Monday 26 May was the Spring bank holiday. Three working days
    # before: Wednesday 28, Tuesday 27, Friday 23 May. Bookings close as Saturday 24 May begins.
    session = Session(starts_at=_at(datetime.date(2014, 5, 29), 9, 30), cutoff_working_days=3)

    closes = place_selectors.booking_closes_at(session)

    assert closes == _at(datetime.date(2014, 5, 24), 0)
    assert timezone.localtime(closes).utcoffset() == datetime.timedelta(hours=1)  # BST
    assert selectors.last_booking_day(session) == datetime.date(2014, 5, 23)


# Courses (business unit) ---------------------------------------------------------------------


def _course_post(**overrides) -> dict:
    data = {
        "title": "Child sexual exploitation: spotting the signs",
        "summary": "What CSE looks like and what to do.",
        "learning_outcomes": "Recognise grooming\nKnow who to tell",
        "audience": "Staff who work with teenagers",
        "duration": "half_day",
        "kind": "course",
        "charges_apply": "on",
        "status": "published",
    }
    data.update(overrides)
    return data


def test_admin_creates_a_course_with_prerequisites(client, admin, course):
    response = signed_in(client, admin).post(
        reverse("learning:course-create"),
        _course_post(level=course.level.pk, prerequisites=[course.pk]),
    )

    assert response.status_code == 302
    created = Course.objects.get(title="Child sexual exploitation: spotting the signs")
    assert created.slug == "child-sexual-exploitation-spotting-the-signs"
    assert list(created.prerequisites.all()) == [course]
    assert created.level == course.level
    assert created.duration == Course.Duration.HALF_DAY
    assert created.trainer_days == Decimal("0.5")
    entry = AuditEntry.objects.get(action="learning.course.created")
    assert entry.changes["prerequisites"] == [course.title]


def test_bad_course_input_shows_errors_and_saves_nothing(client, admin, course):
    before = Course.objects.count()

    response = signed_in(client, admin).post(
        reverse("learning:course-create"), _course_post(title="", duration="three_days")
    )

    assert response.status_code == 200
    content = response.content.decode()
    assert "There is a problem" in content
    assert "Enter the course title" in content
    assert response.context["form"].errors.keys() >= {"title", "duration"}
    assert Course.objects.count() == before
    assert not AuditEntry.objects.filter(action="learning.course.created").exists()


def test_course_slugs_are_unique(partnership, course):
    first = services.course_create(
        partnership=partnership,
        title="Working together",
        summary="s",
        learning_outcomes="o",
        actor=None,
    )
    second = services.course_create(
        partnership=partnership,
        title="Working Together!",
        summary="s",
        learning_outcomes="o",
        actor=None,
    )
    assert (first.slug, second.slug) == ("working-together-2", "working-together-3")


def test_a_course_cannot_be_its_own_prerequisite(client, admin, partnership, course):
    follow_on = services.course_create(
        partnership=partnership,
        title="Advanced working together",
        summary="s",
        learning_outcomes="o",
        prerequisites=[course],
        actor=admin,
    )
    # Not offered as a choice on its own edit page...
    form_page = signed_in(client, admin).get(reverse("learning:course-edit", args=[course.pk]))
    assert course not in form_page.context["form"].fields["prerequisites"].queryset
    # ...refused if posted anyway...
    response = client.post(
        reverse("learning:course-edit", args=[course.pk]),
        _course_post(title=course.title, prerequisites=[course.pk]),
    )
    assert "prerequisites" in response.context["form"].errors
    # ...and the service refuses loops through other courses too.
    with pytest.raises(Exception) as error:
        services.course_update(course=course, prerequisites=[follow_on], actor=admin)
    assert "prerequisites" in error.value.message_dict
    assert list(course.prerequisites.all()) == []


def test_admin_edits_a_course_and_the_change_is_audited(client, admin, course):
    response = signed_in(client, admin).post(
        reverse("learning:course-edit", args=[course.pk]),
        _course_post(title="Working together to safeguard children", status="draft"),
    )

    assert response.status_code == 302
    course.refresh_from_db()
    assert course.status == Course.Status.DRAFT
    assert course.slug == "working-together-to-safeguard-children"
    entry = AuditEntry.objects.get(action="learning.course.updated")
    assert entry.changes["status"] == ["published", "draft"]


def test_course_admin_list_shows_drafts_with_session_counts(
    client, admin, session, catalogue_draft
):
    response = signed_in(client, admin).get(reverse("learning:course-admin-list"))

    content = response.content.decode()
    assert "Secret draft course" in content
    assert "Draft" in content and "Published" in content
    counts = {c.pk: (c.upcoming_count, c.session_count) for c in response.context["courses"]}
    assert counts[session.course.pk] == (1, 1)
    assert counts[catalogue_draft.pk] == (0, 0)


# Sessions (business unit) --------------------------------------------------------------------


def _session_post(course, trainers, *, day=None, **overrides) -> dict:
    day = day or timezone.localdate() + datetime.timedelta(days=30)
    data = {
        "course": course.pk,
        "date_day": day.day,
        "date_month": day.month,
        "date_year": day.year,
        "start_time": "10:00",
        "end_time": "13:00",
        "venue": "",
        "online_url": "https://meet.example/room",
        "joining_instructions": "",
        "capacity": "12",
        "trainers": [t.pk for t in trainers],
        "cutoff_working_days": "2",
    }
    data.update(overrides)
    return data


def test_session_create_refuses_an_unaccredited_trainer(
    client, admin, course, trainer_a, catalogue_trainer_b, partnership
):
    other = services.course_create(
        partnership=partnership, title="Other", summary="s", learning_outcomes="o", actor=admin
    )
    _accredit(catalogue_trainer_b, other)  # in the pool, but not for this course
    _accredit(trainer_a, course)
    before = Session.objects.count()

    response = signed_in(client, admin).post(
        reverse("learning:session-create"), _session_post(course, [trainer_a, catalogue_trainer_b])
    )

    assert response.status_code == 200
    errors = response.context["form"].errors
    assert "not accredited" in errors["trainers"][0]
    assert "There is a problem" in response.content.decode()
    assert Session.objects.count() == before


def test_session_create_refuses_a_trainer_booked_elsewhere_at_the_same_time(
    client, admin, session, trainer_a
):
    day = timezone.localdate(session.starts_at)
    response = signed_in(client, admin).post(
        reverse("learning:session-create"),
        _session_post(session.course, [trainer_a], day=day, start_time="13:00", end_time="16:00"),
    )

    assert response.status_code == 200
    assert "already training" in response.context["form"].errors["trainers"][0]
    assert Session.objects.count() == 1


def test_session_create_accepts_two_accredited_trainers(
    client, admin, course, trainer_a, catalogue_trainer_b, venue
):
    _accredit(trainer_a, course)
    _accredit(catalogue_trainer_b, course)

    response = signed_in(client, admin).post(
        reverse("learning:session-create"),
        _session_post(course, [trainer_a, catalogue_trainer_b], venue=venue.pk, online_url=""),
    )

    assert response.status_code == 302
    created = Session.objects.get()
    assert response["Location"] == reverse("learning:session-detail", args=[created.pk])
    assert timezone.localtime(created.starts_at).time() == datetime.time(10, 0)
    assert set(created.trainers.all()) == {trainer_a, catalogue_trainer_b}
    assert {st.agency.name for st in SessionTrainer.objects.filter(session=created)} == {
        "Testshire Police",
        "Testshire Community Health",
    }


def test_session_form_checks_times_place_and_date(client, admin, course, trainer_a):
    _accredit(trainer_a, course)
    response = signed_in(client, admin).post(
        reverse("learning:session-create"),
        _session_post(
            course,
            [trainer_a],
            start_time="14:00",
            end_time="13:00",
            online_url="",
            date_month="13",
        ),
    )
    errors = response.context["form"].errors
    assert errors["date"] == ["The session date must be a real date"]
    assert "venue" in errors
    assert 'href="#id_date_0"' in response.content.decode()

    response = client.post(
        reverse("learning:session-create"),
        _session_post(course, [trainer_a], start_time="14:00", end_time="13:00"),
    )
    assert response.context["form"].errors["end_time"] == [
        "The end time must be after the start time"
    ]
    assert Session.objects.count() == 0


def test_session_create_page_lists_only_accredited_trainers(
    client, admin, course, trainer_a, catalogue_trainer_b
):
    _accredit(trainer_a, course)

    form = signed_in(client, admin).get(reverse("learning:session-create")).context["form"]

    assert list(form.fields["trainers"].queryset) == [trainer_a]


def test_session_cancellation_emails_everyone_booked_and_waiting(
    client,
    admin,
    course,
    trainer_a,
    practitioner_a,
    practitioner_b,
    session,
    django_capture_on_commit_callbacks,
):
    small = _session(course, [trainer_a], days_ahead=60, admin=admin, capacity=1)
    booking_services.booking_create(session=small, person=practitioner_a, actor=practitioner_a)
    waiting_list_services.waiting_list_join(
        session=small, person=practitioner_b, actor=practitioner_b
    )
    url = reverse("learning:session-cancel", args=[small.pk])
    page = signed_in(client, admin).get(url)
    assert "1 person has a place and 1 person is on the waiting list" in page.content.decode()
    mail.outbox.clear()

    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(url, {"reason": "The trainer is ill."})

    assert response.status_code == 302
    small.refresh_from_db()
    assert small.status == Session.Status.CANCELLED
    assert sorted(m.to[0] for m in mail.outbox) == sorted(
        [practitioner_a.email, practitioner_b.email]
    )
    for message in mail.outbox:
        assert "The trainer is ill." in message.body
        name, content, mimetype = message.attachments[0]
        assert mimetype.startswith("text/calendar")
        calendar = Calendar.from_ical(content)
        assert str(calendar["METHOD"]) == "CANCEL"
    # Nobody is charged for a cancelled session: no place counts as a late cancellation.
    statuses = set(small.bookings.values_list("status", flat=True))
    assert statuses == {Booking.Status.SESSION_CANCELLED}
    assert not small.bookings.filter(attendance=Booking.Attendance.NO_SHOW).exists()


def test_session_cancellation_needs_a_reason(client, admin, session):
    response = signed_in(client, admin).post(
        reverse("learning:session-cancel", args=[session.pk]), {"reason": ""}
    )

    assert response.status_code == 200
    assert "Enter the reason" in response.content.decode()
    session.refresh_from_db()
    assert session.status == Session.Status.SCHEDULED


# The training pool ---------------------------------------------------------------------------


@pytest.fixture
def catalogue_year_2013(partnership, course, trainer_a, catalogue_trainer_b, admin, agency_a):
    """Financial year 2013/14: a full day with two trainers (A and B), a half day with A alone,
    a cancelled day, and a day just after the year ends."""
    half = services.course_create(
        partnership=partnership,
        title="Neglect briefing",
        summary="s",
        learning_outcomes="o",
        duration=Course.Duration.HALF_DAY,
        status=Course.Status.PUBLISHED,
        actor=admin,
    )
    since = datetime.date(2010, 1, 1)
    for trainer in (trainer_a, catalogue_trainer_b):
        _accredit(trainer, course, on=since)
    _accredit(trainer_a, half, on=since)

    def held(course, day, trainers):
        start = _at(day, 9, 30)
        return session_services.session_create(
            course=course,
            starts_at=start,
            ends_at=start + datetime.timedelta(hours=6),
            capacity=20,
            trainers=trainers,
            venue=None,
            online_url="https://meet.example/x",
            actor=admin,
        )

    june = held(course, datetime.date(2013, 6, 12), [trainer_a, catalogue_trainer_b])
    held(half, datetime.date(2014, 1, 15), [trainer_a])
    cancelled = held(course, datetime.date(2013, 9, 10), [trainer_a])
    Session.objects.filter(pk=cancelled.pk).update(status=Session.Status.CANCELLED)
    held(course, datetime.date(2014, 4, 1), [trainer_a])  # next financial year
    return {"june": june, "half": half}


def test_trainer_days_and_free_place_allowances_for_a_year(
    partnership, catalogue_year_2013, agency_a, agency_b, practitioner_a, admin
):
    FeeSchedule.objects.filter(partnership=partnership).update(free_places_per_trainer_day=10)
    june = catalogue_year_2013["june"]
    for n in range(17):
        person = _person(f"p{n}.officer@police.example", agency_a, [Role.PRACTITIONER])
        Booking.objects.create(
            session=june,
            person=person,
            agency=agency_a,
            booked_by=person,
            status=Booking.Status.CONFIRMED,
            attendance=Booking.Attendance.ATTENDED,
        )
    Booking.objects.create(
        session=june,
        person=practitioner_a,
        agency=agency_a,
        booked_by=practitioner_a,
        status=Booking.Status.CANCELLED,
    )
    start, end = selectors.financial_year(2013)

    days = selectors.trainer_days_by_agency(partnership, start, end)
    rows = {r["agency_id"]: r for r in selectors.free_place_allowances(partnership, start, end)}

    assert (start, end) == (datetime.date(2013, 4, 1), datetime.date(2014, 3, 31))
    assert days == {agency_a.pk: Decimal("1.5"), agency_b.pk: Decimal("1")}
    assert rows[agency_a.pk]["allowance"] == 15
    assert rows[agency_a.pk]["places_booked"] == 17
    assert rows[agency_a.pk]["places_used"] == 15  # capped at the allowance
    assert rows[agency_a.pk]["places_remaining"] == 0
    assert rows[agency_b.pk] == {
        "agency_id": agency_b.pk,
        "agency_name": agency_b.name,
        "trainer_days": Decimal("1"),
        "allowance": 10,
        "places_booked": 0,
        "places_used": 0,
        "places_remaining": 10,
    }


def test_training_pool_page_shows_accreditations_and_the_chosen_year(
    client, admin, catalogue_year_2013, trainer_a, catalogue_trainer_b, course
):
    today = timezone.localdate()
    Accreditation.objects.filter(trainer=catalogue_trainer_b, course=course).update(
        expires_on=today + datetime.timedelta(days=20)
    )
    Accreditation.objects.filter(trainer=trainer_a, course=course).update(
        expires_on=today - datetime.timedelta(days=1)
    )

    response = signed_in(client, admin).get(reverse("learning:training-pool"), {"year": 2013})

    content = response.content.decode()
    assert response.context["year"] == 2013
    assert "Expired" in content and "Expires soon" in content
    assert trainer_a.full_name in content
    assert "Testshire Police" in content and "1.5" in content


def test_training_pool_defaults_to_the_current_financial_year(client, admin, session):
    response = signed_in(client, admin).get(reverse("learning:training-pool"), {"year": "1066"})

    assert response.context["year"] == selectors.financial_year_of(timezone.localdate())


def _accreditation_post(trainer, course, on, until) -> dict:
    return {
        "trainer": trainer.pk,
        "course": course.pk,
        "accredited_on_day": on.day,
        "accredited_on_month": on.month,
        "accredited_on_year": on.year,
        "expires_on_day": until.day,
        "expires_on_month": until.month,
        "expires_on_year": until.year,
    }


def test_admin_accredits_a_trainer_and_renews_the_accreditation(client, admin, course, trainer_a):
    url = reverse("learning:training-pool")
    admin_client = signed_in(client, admin)

    response = admin_client.post(
        url,
        _accreditation_post(
            trainer_a, course, datetime.date(2014, 1, 6), datetime.date(2016, 1, 5)
        ),
    )
    assert response.status_code == 302
    admin_client.post(
        url,
        _accreditation_post(
            trainer_a, course, datetime.date(2016, 1, 4), datetime.date(2018, 1, 3)
        ),
    )

    accreditation = Accreditation.objects.get(trainer=trainer_a, course=course)
    assert accreditation.expires_on == datetime.date(2018, 1, 3)
    assert set(
        AuditEntry.objects.filter(action__startswith="learning.accreditation.").values_list(
            "action", flat=True
        )
    ) == {"learning.accreditation.created", "learning.accreditation.renewed"}


def test_accreditation_expiring_before_it_starts_is_refused(
    client, admin, course, trainer_a, practitioner_b
):
    response = signed_in(client, admin).post(
        reverse("learning:training-pool"),
        _accreditation_post(
            practitioner_b, course, datetime.date(2014, 1, 6), datetime.date(2013, 1, 5)
        ),
    )

    errors = response.context["form"].errors
    assert "trainer" in errors  # not in the training pool
    assert errors["expires_on"] == ["The expiry date must be after the accreditation date"]
    assert not Accreditation.objects.exists()


# Access --------------------------------------------------------------------------------------

BUSINESS_UNIT_PAGES = [
    ("learning:course-admin-list", False),
    ("learning:course-create", False),
    ("learning:course-edit", True),
    ("learning:session-create", False),
    ("learning:session-cancel", True),
    ("learning:training-pool", False),
]


@pytest.mark.parametrize("name,needs_pk", BUSINESS_UNIT_PAGES)
def test_practitioner_gets_403_on_business_unit_pages(
    client, practitioner_a, session, name, needs_pk
):
    pk = session.pk if name == "learning:session-cancel" else session.course.pk
    url = reverse(name, args=[pk] if needs_pk else [])

    assert signed_in(client, practitioner_a).get(url).status_code == 403


def test_practitioner_cannot_accredit_anyone(client, practitioner_a, trainer_a, course):
    today = timezone.localdate()
    response = signed_in(client, practitioner_a).post(
        reverse("learning:training-pool"),
        _accreditation_post(trainer_a, course, today, today + datetime.timedelta(days=700)),
    )

    assert response.status_code == 403
    assert not Accreditation.objects.exists()


def test_practitioner_cannot_cancel_a_session(client, practitioner_a, session):
    response = signed_in(client, practitioner_a).post(
        reverse("learning:session-cancel", args=[session.pk]), {"reason": "No"}
    )

    assert response.status_code == 403
    session.refresh_from_db()
    assert session.status == Session.Status.SCHEDULED


def test_persona_table_covers_every_catalogue_url():
    from safeguarding.learning import urls
    from safeguarding.learning.views import catalogue

    names = {
        f"learning:{p.name}"
        for p in urls.urlpatterns
        if p.callback.__module__ == catalogue.__name__
    }
    assert names == set(persona_catalogue.ROUTES)
