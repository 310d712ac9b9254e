"""Local practice groups (one per locality, meetings, attendance, yearly figures) and the annual
conference (programme, registration through the booking machinery, figures)."""

from __future__ import annotations

import datetime
import re

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone

from safeguarding.conftest import signed_in
from safeguarding.core.models import AuditEntry
from safeguarding.learning.models import (
    Booking,
    Conference,
    Course,
    PracticeGroup,
    PracticeGroupAttendance,
    PracticeGroupMeeting,
    ProgrammeItem,
)
from safeguarding.learning.selectors import events as selectors
from safeguarding.learning.selectors import places as place_selectors
from safeguarding.learning.services import booking as booking_services
from safeguarding.learning.services import events as services
from safeguarding.learning.services import register as register_services
from safeguarding.people import services as people_services
from safeguarding.people.models import Membership, Role


def _at(year, month, day, hour=12, minute=30) -> datetime.datetime:
    return timezone.make_aware(datetime.datetime(year, month, day, hour, minute))


def _meeting(group, starts_at, actor):
    return services.meeting_create(
        group=group, starts_at=starts_at, venue="Children's centre", topics="Neglect", actor=actor
    )


# Practice groups -----------------------------------------------------------------------------


def test_a_locality_has_one_practice_group(partnership, admin):
    north = partnership.localities.get(name="North")
    first = services.practice_group_ensure(locality=north, actor=admin)
    again = services.practice_group_ensure(locality=north, actor=admin)
    assert first == again
    assert first.name == "North local practice group"
    assert PracticeGroup.objects.filter(locality=north).count() == 1
    assert AuditEntry.objects.filter(action="learning.practice_group.created").count() == 1
    with pytest.raises(IntegrityError), transaction.atomic():
        PracticeGroup.objects.create(locality=north, name="A second North group")


def test_practitioner_cannot_set_up_a_group_or_meeting(partnership, practitioner_a, events_group):
    with pytest.raises(PermissionDenied):
        services.practice_group_ensure(
            locality=partnership.localities.get(name="South"), actor=practitioner_a
        )
    with pytest.raises(PermissionDenied):
        _meeting(events_group, timezone.now(), practitioner_a)


def test_meeting_service_needs_a_venue_and_a_topic(events_group, admin):
    with pytest.raises(ValidationError) as error:
        services.meeting_create(
            group=events_group, starts_at=timezone.now(), venue="  ", topics="\n \n", actor=admin
        )
    assert set(error.value.message_dict) == {"venue", "topics"}
    assert not PracticeGroupMeeting.objects.exists()


def test_meeting_form_with_bad_input_shows_errors_and_saves_nothing(client, admin, partnership):
    signed_in(client, admin)
    response = client.post(
        reverse("learning:meeting-create"),
        {
            "locality": "",
            "date_day": "31",
            "date_month": "2",
            "date_year": "2014",
            "start_time": "25:00",
            "venue": "",
            "topics": "",
        },
    )
    assert response.status_code == 200
    page = response.content.decode()
    assert "There is a problem" in page
    for message in [
        "Choose the local practice group",
        "The meeting date must be a real date",
        "Enter the start time as hours and minutes",
        "Enter where the meeting is held",
        "Enter at least one topic",
    ]:
        assert message in page
    assert not PracticeGroupMeeting.objects.exists()
    assert not PracticeGroup.objects.exists()


def test_business_unit_adds_a_meeting_and_the_group_is_set_up(client, admin, partnership):
    south = partnership.localities.get(name="South")
    signed_in(client, admin)
    page = client.get(reverse("learning:meeting-create") + f"?locality={south.pk}")
    assert "South local practice group" in page.content.decode()
    response = client.post(
        reverse("learning:meeting-create"),
        {
            "locality": south.pk,
            "date_day": "12",
            "date_month": "6",
            "date_year": "2013",
            "start_time": "12:30",
            "venue": "Southtown library",
            "topics": "Learning from serious case reviews\n\nLaunch of the new risk tool\n",
        },
    )
    meeting = PracticeGroupMeeting.objects.get()
    assert response.status_code == 302
    assert response["Location"] == reverse("learning:meeting-detail", args=[meeting.pk])
    assert meeting.group.locality == south
    assert meeting.group.name == "South local practice group"
    assert timezone.localtime(meeting.starts_at) == _at(2013, 6, 12)
    assert meeting.topics == "Learning from serious case reviews\nLaunch of the new risk tool"
    page = client.get(response["Location"]).content.decode()
    assert "Wednesday 12 June 2013, 12:30" in page
    assert "<li>Launch of the new risk tool</li>" in page


def test_practice_groups_page_lists_recent_and_upcoming_meetings(
    client, practitioner_a, admin, events_group
):
    _meeting(events_group, timezone.now() - datetime.timedelta(days=30), admin)
    upcoming = services.meeting_create(
        group=events_group,
        starts_at=timezone.now() + datetime.timedelta(days=30),
        venue="Northtown library",
        topics="Children who go missing",
        actor=admin,
    )
    signed_in(client, practitioner_a)
    page = client.get(reverse("learning:practice-groups")).content.decode()
    assert "North local practice group" in page
    assert "Next meetings" in page and "Recent meetings" in page
    assert reverse("learning:meeting-detail", args=[upcoming.pk]) in page
    assert "Children who go missing" in page
    assert "Add a meeting" not in page
    signed_in(client, admin)
    assert "Add a meeting" in client.get(reverse("learning:practice-groups")).content.decode()


# Attendance ----------------------------------------------------------------------------------


def test_attendance_is_recorded_by_email_and_people_already_recorded_are_skipped(
    client, admin, events_meeting, practitioner_a, practitioner_b, agency_a
):
    signed_in(client, admin)
    url = reverse("learning:meeting-detail", args=[events_meeting.pk])
    response = client.post(
        url,
        {"action": "record", "emails": "PAUL.POLICE@police.example\n\nhana.health@health.example"},
        follow=True,
    )
    assert "2 attendances recorded." in response.content.decode()
    attendance = PracticeGroupAttendance.objects.get(person=practitioner_a)
    assert attendance.agency == agency_a
    response = client.post(
        url,
        {"action": "record", "emails": "paul.police@police.example, hana.health@health.example"},
        follow=True,
    )
    assert "0 attendances recorded. 2 people were already recorded." in response.content.decode()
    assert events_meeting.attendances.count() == 2
    assert AuditEntry.objects.filter(action="learning.practice_group_attendance.recorded").exists()


def test_attendance_with_an_unknown_address_saves_nothing(client, admin, events_meeting):
    signed_in(client, admin)
    response = client.post(
        reverse("learning:meeting-detail", args=[events_meeting.pk]),
        {
            "action": "record",
            "emails": "paul.police@police.example\nnobody@nowhere.example\nnot-an-address",
        },
    )
    assert response.status_code == 200
    page = response.content.decode()
    assert "There is a problem" in page
    assert "Nobody has an account with nobody@nowhere.example" in page
    assert "not-an-address is not an e-mail address" in page
    assert not events_meeting.attendances.exists()


def test_attendance_is_credited_to_the_first_agency(events_meeting, admin, agency_a, agency_b):
    person = people_services.person_create(
        email="dual.role@police.example",
        given_name="Dual",
        family_name="Role",
        agency=agency_a,
        roles=[Role.PRACTITIONER],
    )
    Membership.objects.create(user=person, agency=agency_b)
    added = services.meeting_attendance_record(
        meeting=events_meeting, people=[person, person], actor=admin
    )
    assert added == 1
    assert events_meeting.attendances.get().agency == agency_a


def test_attendance_cannot_be_recorded_before_the_meeting(events_group, admin, practitioner_a):
    later = _meeting(events_group, timezone.now() + datetime.timedelta(days=3), admin)
    with pytest.raises(ValidationError):
        services.meeting_attendance_record(meeting=later, people=[practitioner_a], actor=admin)
    assert not later.attendances.exists()


def test_business_unit_removes_an_attendee(client, admin, events_meeting, practitioner_a):
    services.meeting_attendance_record(meeting=events_meeting, people=[practitioner_a], actor=admin)
    signed_in(client, admin)
    response = client.post(
        reverse("learning:meeting-detail", args=[events_meeting.pk]),
        {"action": "remove", "person": practitioner_a.pk},
        follow=True,
    )
    assert "is no longer recorded as attending" in response.content.decode()
    assert not events_meeting.attendances.exists()
    assert AuditEntry.objects.filter(action="learning.practice_group_attendance.removed").exists()


def test_practitioner_sees_the_count_but_not_the_names(
    client, admin, events_meeting, practitioner_a, practitioner_b
):
    services.meeting_attendance_record(
        meeting=events_meeting, people=[practitioner_a, practitioner_b], actor=admin
    )
    signed_in(client, practitioner_b)
    page = client.get(reverse("learning:meeting-detail", args=[events_meeting.pk]))
    text = page.content.decode()
    assert "2 people attended" in text
    assert "Hana" not in text.split("</header>")[1]  # only the account link names them
    assert "Paul" not in text and "paul.police@police.example" not in text
    assert "Record attendance" not in text
    signed_in(client, admin)
    text = client.get(reverse("learning:meeting-detail", args=[events_meeting.pk])).content
    assert b"paul.police@police.example" in text and b"Record attendance" in text


def test_practitioner_cannot_record_attendance(client, practitioner_a, events_meeting):
    signed_in(client, practitioner_a)
    response = client.post(
        reverse("learning:meeting-detail", args=[events_meeting.pk]),
        {"action": "record", "emails": "paul.police@police.example"},
    )
    assert response.status_code == 403
    assert not events_meeting.attendances.exists()


# Yearly figures ------------------------------------------------------------------------------


@pytest.fixture
def events_year_2013(partnership, admin, practitioner_a, practitioner_b, line_manager_a):
    """Meetings of two groups around 2013/14, with attendances:
    North: 1 April 2013 (a, b), 31 March 2014 (a); outside: 31 March 2013 (a), 1 April 2014 (b).
    South: 10 October 2013 (a, manager). East: no meetings."""
    groups = {
        name: services.practice_group_ensure(
            locality=partnership.localities.get(name=name), actor=admin
        )
        for name in ("North", "South", "East")
    }

    def held(group, when, people):
        meeting = _meeting(groups[group], when, admin)
        services.meeting_attendance_record(meeting=meeting, people=people, actor=admin)

    held("North", _at(2013, 4, 1, 0, 0), [practitioner_a, practitioner_b])
    held("North", _at(2014, 3, 31, 23, 30), [practitioner_a])
    held("North", _at(2013, 3, 31, 23, 30), [practitioner_a])
    held("North", _at(2014, 4, 1, 0, 0), [practitioner_b])
    held("South", _at(2013, 10, 10), [practitioner_a, line_manager_a])
    return groups


def test_yearly_figures_count_meetings_inside_the_financial_year_only(
    partnership, events_year_2013
):
    figures = selectors.practice_group_figures(
        partnership=partnership, start=datetime.date(2013, 4, 1), end=datetime.date(2014, 3, 31)
    )
    assert figures["meetings"] == 3
    assert figures["attendances"] == 5
    assert figures["distinct_attendees"] == 3
    assert figures["groups"] == [
        {
            "group_id": events_year_2013["East"].pk,
            "name": "East local practice group",
            "meetings": 0,
            "attendances": 0,
            "distinct_attendees": 0,
        },
        {
            "group_id": events_year_2013["North"].pk,
            "name": "North local practice group",
            "meetings": 2,
            "attendances": 3,
            "distinct_attendees": 2,
        },
        {
            "group_id": events_year_2013["South"].pk,
            "name": "South local practice group",
            "meetings": 1,
            "attendances": 2,
            "distinct_attendees": 2,
        },
    ]
    assert figures["by_sector"] == [
        {"sector": "police", "label": "Police", "attendances": 4},
        {
            "sector": "community_health",
            "label": "Community health (incl. health visiting)",
            "attendances": 1,
        },
    ]


def test_meetings_still_to_come_are_not_counted_as_held(partnership, events_group, admin):
    _meeting(events_group, timezone.now() + datetime.timedelta(hours=2), admin)
    today = timezone.localdate()
    figures = selectors.practice_group_figures(
        partnership=partnership, start=today, end=today + datetime.timedelta(days=1)
    )
    assert figures["meetings"] == 0


def test_practice_groups_page_shows_the_chosen_years_figures(
    client, practitioner_b, events_year_2013
):
    signed_in(client, practitioner_b)
    page = client.get(reverse("learning:practice-groups") + "?year=2013").content.decode()
    assert "Meetings held from 1 April 2013 to 31 March 2014" in page
    assert '<option value="2013" selected>April 2013 to March 2014</option>' in page
    rows = page.split("All groups", 1)[1]
    assert [int(n) for n in _numbers(rows)[:3]] == [3, 5, 3]
    # With no year (or a year out of range) the page shows the year of the latest meeting held.
    for query in ("", "?year=1999", "?year=x"):
        page = client.get(reverse("learning:practice-groups") + query).content.decode()
        assert '<option value="2014" selected>April 2014 to March 2015</option>' in page
    older = client.get(reverse("learning:practice-groups") + "?year=2012").content.decode()
    assert [int(n) for n in _numbers(older.split("All groups", 1)[1])[:3]] == [1, 1, 1]


def _numbers(html: str) -> list[str]:
    return re.findall(r"<strong>(\d+)</strong>", html)


# The conference ------------------------------------------------------------------------------


def test_conference_registration_is_a_published_conference_course_session(
    events_conference, partnership
):
    session = events_conference.session
    course = session.course
    assert course.kind == Course.Kind.CONFERENCE
    assert course.status == Course.Status.PUBLISHED
    year = timezone.localtime(session.starts_at).year
    assert course.slug == f"annual-conference-{year}"
    assert not course.charges_apply
    assert session.capacity == 3 and not session.trainers.exists()
    assert place_selectors.booking_is_open(session)
    assert AuditEntry.objects.filter(
        action="learning.conference.created", object_id=str(events_conference.pk)
    ).exists()


def test_conference_create_refuses_bad_input(partnership, venue, admin):
    start = timezone.now() + datetime.timedelta(days=30)
    with pytest.raises(ValidationError) as error:
        services.conference_create(
            partnership=partnership,
            title="",
            theme="",
            starts_at=start,
            ends_at=start - datetime.timedelta(hours=1),
            venue=venue,
            capacity=0,
            actor=admin,
        )
    assert set(error.value.message_dict) == {"title", "theme", "ends_at", "capacity"}
    assert not Course.objects.filter(kind=Course.Kind.CONFERENCE).exists()


def test_business_unit_adds_a_conference_from_the_list_page(client, admin, venue):
    signed_in(client, admin)
    url = reverse("learning:conference-list")
    bad = client.post(url, {"title": "Conference", "date_day": "1", "date_month": "1"})
    assert bad.status_code == 200 and b"There is a problem" in bad.content
    day = timezone.localdate() + datetime.timedelta(days=60)
    response = client.post(
        url,
        {
            "title": "Annual conference",
            "theme": "Neglect",
            "date_day": day.day,
            "date_month": day.month,
            "date_year": day.year,
            "start_time": "09:00",
            "end_time": "16:00",
            "venue": venue.pk,
            "capacity": "200",
        },
    )
    conference = Conference.objects.get()
    assert response["Location"] == reverse("learning:conference-detail", args=[conference.pk])
    assert conference.session.capacity == 200


def test_programme_items_must_fall_within_the_conference_day(events_conference, admin):
    start = events_conference.session.starts_at
    item = services.programme_item_add(
        conference=events_conference,
        kind=ProgrammeItem.Kind.TALK,
        title="Online sexual exploitation: what we are seeing",
        speakers="Police online safety lead",
        room="Main hall",
        starts_at=start + datetime.timedelta(minutes=30),
        ends_at=start + datetime.timedelta(hours=1),
        actor=admin,
    )
    assert list(events_conference.programme.all()) == [item]
    with pytest.raises(ValidationError) as error:
        services.programme_item_add(
            conference=events_conference,
            kind=ProgrammeItem.Kind.BREAK,
            title="Evening reception",
            starts_at=events_conference.session.ends_at,
            ends_at=events_conference.session.ends_at + datetime.timedelta(hours=1),
            actor=admin,
        )
    assert "starts_at" in error.value.message_dict
    assert events_conference.programme.count() == 1


def test_business_unit_builds_the_programme_on_the_conference_page(
    client, admin, events_conference
):
    signed_in(client, admin)
    url = reverse("learning:conference-detail", args=[events_conference.pk])
    workshop = {
        "action": "add",
        "kind": "workshop",
        "title": "Cyber mentors: advice from young people",
        "speakers": "Cyber mentors from a local secondary school",
        "room": "Room 2",
        "start_time": "11:00",
        "end_time": "12:15",
    }
    client.post(url, workshop)
    client.post(
        url,
        {
            **workshop,
            "kind": "talk",
            "title": "Welcome",
            "start_time": "09:00",
            "end_time": "09:15",
            "speakers": "Independent chair",
        },
    )
    late = client.post(
        url, {**workshop, "title": "Too late", "start_time": "15:30", "end_time": "17:00"}
    )
    assert late.status_code == 200
    assert b"The conference runs from 09:00 to 16:00" in late.content
    page = client.get(url).content.decode()
    assert page.index("Welcome") < page.index("Cyber mentors: advice")
    assert "11:00 to 12:15" in page and "Workshop" in page and "Room 2" in page
    assert "Too late" not in page
    item = events_conference.programme.get(title="Welcome")
    client.post(url, {"action": "remove", "item": item.pk})
    assert list(events_conference.programme.values_list("title", flat=True)) == [
        "Cyber mentors: advice from young people"
    ]


def test_practitioner_cannot_change_the_programme(client, practitioner_a, events_conference):
    signed_in(client, practitioner_a)
    response = client.post(
        reverse("learning:conference-detail", args=[events_conference.pk]),
        {
            "action": "add",
            "kind": "talk",
            "title": "Mine",
            "start_time": "10:00",
            "end_time": "11:00",
        },
    )
    assert response.status_code == 403
    assert not events_conference.programme.exists()


def test_registering_uses_the_booking_machinery_and_is_counted(
    client, admin, practitioner_a, practitioner_b, events_conference, partnership
):
    session = events_conference.session
    signed_in(client, practitioner_a)
    page = client.get(reverse("learning:conference-detail", args=[events_conference.pk]))
    text = page.content.decode()
    assert f'action="{reverse("learning:book", args=[session.pk])}"' in text
    assert ">Register</button>" in text
    assert "Registrations" not in text  # the business unit's figures
    client.post(reverse("learning:book", args=[session.pk]))
    assert session.bookings.get(person=practitioner_a).status == Booking.Status.CONFIRMED
    booking = booking_services.booking_create(
        session=session, person=practitioner_b, actor=practitioner_b
    )
    assert selectors.conference_counts(events_conference)["registrations"] == 2

    day = timezone.localtime(session.starts_at).date()
    figures = selectors.conference_figures(partnership=partnership, start=day, end=day)
    assert figures["registrations"] == 2 and figures["attendances"] == 0
    register_services.register_mark(booking=booking, attendance="attended", actor=admin)
    figures = selectors.conference_figures(partnership=partnership, start=day, end=day)
    assert figures == {
        "conferences": 1,
        "places": 3,
        "registrations": 2,
        "attendances": 1,
        "by_conference": [
            {
                "conference_id": events_conference.pk,
                "title": "Annual conference",
                "places": 3,
                "registrations": 2,
                "attendances": 1,
            }
        ],
    }
    before = day - datetime.timedelta(days=1)
    assert (
        selectors.conference_figures(partnership=partnership, start=before, end=before)[
            "conferences"
        ]
        == 0
    )

    signed_in(client, admin)
    text = client.get(
        reverse("learning:conference-detail", args=[events_conference.pk])
    ).content.decode()
    assert reverse("learning:register", args=[session.pk]) in text
    assert reverse("learning:evaluation-results") + f"?session={session.pk}" in text


def test_a_full_conference_offers_the_waiting_list(
    client, events_conference, practitioner_a, practitioner_b, line_manager_a, admin
):
    session = events_conference.session
    for person in (practitioner_a, line_manager_a, admin):
        booking_services.booking_create(session=session, person=person, actor=person)
    signed_in(client, practitioner_b)
    url = reverse("learning:conference-detail", args=[events_conference.pk])
    text = client.get(url).content.decode()
    assert f'action="{reverse("learning:waiting-list-join", args=[session.pk])}"' in text
    assert "Join the waiting list" in text
    client.post(reverse("learning:waiting-list-join", args=[session.pk]))
    assert "You are on the waiting list" in client.get(url).content.decode()
    list_page = client.get(reverse("learning:conference-list")).content.decode()
    assert "E-safety: keeping youngsters safe online" in list_page
    assert "Full – join the waiting list" in list_page


def test_conference_list_shows_places_left(client, practitioner_a, events_conference):
    signed_in(client, practitioner_a)
    page = client.get(reverse("learning:conference-list")).content.decode()
    assert "Annual conference" in page and "3 of 3" in page
    assert "Add a conference" not in page
