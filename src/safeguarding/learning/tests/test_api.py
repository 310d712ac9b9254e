"""The training API under /api/v1/learning/: courses, sessions, bookings, waiting lists,
registers and statistics, token-authenticated and scoped like the web pages."""

from __future__ import annotations

import datetime

import pytest
from django.core.management import call_command
from django.utils import timezone
from rest_framework.test import APIClient

from safeguarding.learning.models import Booking, Course, Session, WaitingListEntry
from safeguarding.learning.services import booking as booking_services
from safeguarding.learning.tests.test_reports import EXPECTED
from safeguarding.people.services import api_token_create

pytestmark = pytest.mark.django_db

BASE = "/api/v1/learning"
REQUIRED_STATISTICS = (
    "courses_run",
    "sessions_run",
    "places",
    "bookings",
    "attendances",
    "distinct_attendees",
    "no_shows",
    "late_cancellations",
    "practice_group_meetings",
    "practice_group_attendances",
    "conference_attendances",
)


@pytest.fixture
def token_client():
    """token_client(user) -> an APIClient sending that user's new token; () -> anonymous."""

    def make(user=None) -> APIClient:
        client = APIClient()
        if user is not None:
            client.credentials(HTTP_AUTHORIZATION=f"Token {api_token_create(user=user).key}")
        return client

    return make


def _move_to_today(session) -> None:
    now = timezone.now()
    Session.objects.filter(pk=session.pk).update(
        starts_at=now - datetime.timedelta(hours=1), ends_at=now + datetime.timedelta(hours=5)
    )
    session.refresh_from_db()


# Courses and sessions ------------------------------------------------------------------------


def test_practitioner_lists_published_courses_only(token_client, practitioner_a, course):
    Course.objects.create(
        partnership=course.partnership,
        title="Draft course",
        slug="draft",
        summary="Not ready",
        learning_outcomes="None yet",
    )
    response = token_client(practitioner_a).get(f"{BASE}/courses/")
    assert response.status_code == 200
    [listed] = response.json()["results"]
    assert listed["title"] == course.title
    assert listed["learning_outcomes"] == ["Recognise signs of abuse", "Know how to refer"]
    assert listed["level"]["code"] == "G3"


def test_business_unit_lists_draft_courses_too(token_client, admin, course):
    Course.objects.create(
        partnership=course.partnership,
        title="Draft course",
        slug="draft",
        summary="Not ready",
        learning_outcomes="None yet",
    )
    titles = [c["title"] for c in token_client(admin).get(f"{BASE}/courses/").json()["results"]]
    assert titles == ["Draft course", course.title]


def test_sessions_show_places_left_and_filter_by_course_and_date(
    token_client, practitioner_b, session, practitioner_a
):
    booking_services.booking_create(session=session, person=practitioner_a, actor=practitioner_a)
    client = token_client(practitioner_b)
    [listed] = client.get(f"{BASE}/sessions/").json()["results"]
    assert listed["id"] == session.pk
    assert listed["capacity"] == 10
    assert listed["places_left"] == 9
    assert listed["booking_open"] is True
    assert client.get(f"{BASE}/sessions/", {"course": session.course_id}).json()["count"] == 1
    assert client.get(f"{BASE}/sessions/", {"course": 999999}).json()["count"] == 0
    later = (timezone.localdate() + datetime.timedelta(days=60)).isoformat()
    assert client.get(f"{BASE}/sessions/", {"from": later}).json()["count"] == 0
    detail = client.get(f"{BASE}/sessions/{session.pk}/").json()
    assert detail["places_left"] == 9


def test_sessions_reject_a_bad_date(token_client, practitioner_b):
    response = token_client(practitioner_b).get(f"{BASE}/sessions/", {"from": "31/02/2014"})
    assert response.status_code == 400
    assert "from" in response.json()


# Bookings ------------------------------------------------------------------------------------


def test_practitioner_books_and_cancels_with_a_token(token_client, practitioner_b, session):
    client = token_client(practitioner_b)
    response = client.post(f"{BASE}/bookings/", {"session": session.pk}, format="json")
    assert response.status_code == 201, response.content
    booking = response.json()
    assert booking["status"] == "confirmed"
    assert booking["person"]["id"] == practitioner_b.pk
    assert booking["session"]["id"] == session.pk
    assert booking["joining_instructions"] == "Sign in at reception."

    listed = client.get(f"{BASE}/bookings/").json()["results"]
    assert [b["id"] for b in listed] == [booking["id"]]

    response = client.post(f"{BASE}/bookings/{booking['id']}/cancel/")
    assert response.status_code == 200
    assert response.json()["status"] == "cancelled"
    assert Booking.objects.get(pk=booking["id"]).status == Booking.Status.CANCELLED

    again = client.post(f"{BASE}/bookings/{booking['id']}/cancel/")
    assert again.status_code == 400
    assert "non_field_errors" in again.json()


def test_booking_twice_is_a_400_with_the_reason(token_client, practitioner_b, session):
    client = token_client(practitioner_b)
    client.post(f"{BASE}/bookings/", {"session": session.pk}, format="json")
    response = client.post(f"{BASE}/bookings/", {"session": session.pk}, format="json")
    assert response.status_code == 400
    assert "already has a place" in response.json()["non_field_errors"][0]


def test_booking_a_session_you_cannot_see_is_a_field_error(token_client, practitioner_b, session):
    Course.objects.filter(pk=session.course_id).update(status=Course.Status.DRAFT)
    response = token_client(practitioner_b).post(
        f"{BASE}/bookings/", {"session": session.pk}, format="json"
    )
    assert response.status_code == 400
    assert "session" in response.json()


def test_full_session_is_409_then_waiting_list_offer_can_be_claimed(
    token_client, practitioner_a, practitioner_b, session
):
    Session.objects.filter(pk=session.pk).update(capacity=1)
    first = token_client(practitioner_a)
    booked = first.post(f"{BASE}/bookings/", {"session": session.pk}, format="json").json()

    second = token_client(practitioner_b)
    response = second.post(f"{BASE}/bookings/", {"session": session.pk}, format="json")
    assert response.status_code == 409
    assert response.json()["code"] == "session_full"
    assert "no places left" in response.json()["detail"]

    joined = second.post(f"{BASE}/waiting-list/", {"session": session.pk}, format="json")
    assert joined.status_code == 201, joined.content
    entry = joined.json()
    assert entry["status"] == "waiting"

    not_yet = second.post(f"{BASE}/waiting-list/{entry['id']}/claim/")
    assert not_yet.status_code == 400

    first.post(f"{BASE}/bookings/{booked['id']}/cancel/")
    assert WaitingListEntry.objects.get(pk=entry["id"]).status == WaitingListEntry.Status.OFFERED

    claimed = second.post(f"{BASE}/waiting-list/{entry['id']}/claim/")
    assert claimed.status_code == 201, claimed.content
    assert claimed.json()["status"] == "confirmed"
    assert claimed.json()["person"]["id"] == practitioner_b.pk


def test_practitioner_leaves_the_waiting_list(
    token_client, practitioner_a, practitioner_b, session
):
    Session.objects.filter(pk=session.pk).update(capacity=1)
    booking_services.booking_create(session=session, person=practitioner_a, actor=practitioner_a)
    client = token_client(practitioner_b)
    entry = client.post(f"{BASE}/waiting-list/", {"session": session.pk}, format="json").json()
    assert [e["id"] for e in client.get(f"{BASE}/waiting-list/").json()["results"]] == [entry["id"]]
    response = client.post(f"{BASE}/waiting-list/{entry['id']}/leave/")
    assert response.status_code == 200
    assert response.json()["status"] == "left"


def test_someone_elses_booking_and_entry_are_404(
    token_client, practitioner_a, practitioner_b, session
):
    booking = booking_services.booking_create(
        session=session, person=practitioner_a, actor=practitioner_a
    )
    entry = WaitingListEntry.objects.create(session=session, person=practitioner_a)
    client = token_client(practitioner_b)
    assert client.get(f"{BASE}/bookings/{booking.pk}/").status_code == 404
    assert client.post(f"{BASE}/bookings/{booking.pk}/cancel/").status_code == 404
    assert client.post(f"{BASE}/waiting-list/{entry.pk}/leave/").status_code == 404
    booking.refresh_from_db()
    assert booking.status == Booking.Status.CONFIRMED


def test_anonymous_caller_gets_401(token_client, session):
    client = token_client()
    assert client.get(f"{BASE}/courses/").status_code == 401
    assert client.post(f"{BASE}/bookings/", {"session": session.pk}, format="json").status_code == (
        401
    )
    assert client.get(f"{BASE}/statistics/").status_code == 401


# Registers -----------------------------------------------------------------------------------


def test_trainer_reads_and_marks_the_register(
    token_client, trainer_a, practitioner_a, practitioner_b, session
):
    a = booking_services.booking_create(
        session=session, person=practitioner_a, actor=practitioner_a
    )
    b = booking_services.booking_create(
        session=session, person=practitioner_b, actor=practitioner_b
    )
    _move_to_today(session)
    client = token_client(trainer_a)
    register = client.get(f"{BASE}/sessions/{session.pk}/register/").json()
    assert register["is_open"] is True
    assert {place["booking"] for place in register["places"]} == {a.pk, b.pk}

    response = client.post(
        f"{BASE}/sessions/{session.pk}/register/",
        {
            "marks": [
                {"booking": a.pk, "attendance": "attended"},
                {"booking": b.pk, "attendance": "no_show"},
            ]
        },
        format="json",
    )
    assert response.status_code == 200, response.content
    assert (response.json()["attended"], response.json()["no_show"]) == (1, 1)
    a.refresh_from_db()
    assert a.attendance == Booking.Attendance.ATTENDED


def test_register_marks_are_validated(token_client, trainer_a, practitioner_a, session):
    a = booking_services.booking_create(
        session=session, person=practitioner_a, actor=practitioner_a
    )
    _move_to_today(session)
    client = token_client(trainer_a)
    url = f"{BASE}/sessions/{session.pk}/register/"
    bad_choice = client.post(
        url, {"marks": [{"booking": a.pk, "attendance": "maybe"}]}, format="json"
    )
    assert bad_choice.status_code == 400
    assert "marks" in bad_choice.json()
    stranger = client.post(
        url, {"marks": [{"booking": 999999, "attendance": "attended"}]}, format="json"
    )
    assert stranger.status_code == 400
    assert "not on this register" in stranger.json()["non_field_errors"][0]
    a.refresh_from_db()
    assert a.attendance == Booking.Attendance.UNMARKED


def test_register_is_for_its_trainers_and_the_business_unit(
    token_client, practitioner_a, admin, session
):
    url = f"{BASE}/sessions/{session.pk}/register/"
    assert token_client(practitioner_a).get(url).status_code == 403
    assert token_client(practitioner_a).post(url, {"marks": []}, format="json").status_code == 403
    assert token_client(admin).get(url).status_code == 200


# Statistics ----------------------------------------------------------------------------------


def _period(world) -> dict:
    return {"from": world["start"].isoformat(), "to": world["end"].isoformat()}


def test_statistics_api_gives_the_same_figures_as_the_page(token_client, admin, reports_world):
    response = token_client(admin).get(f"{BASE}/statistics/", _period(reports_world))
    assert response.status_code == 200
    data = response.json()
    for name in REQUIRED_STATISTICS:
        assert isinstance(data[name], int), name
        assert data[name] == EXPECTED[name], name
    assert data["walk_ins"] == 1
    assert data["attendance_rate"] == 71.4
    assert data["trainer_days"] == 1.5
    assert data["from"] == reports_world["start"].isoformat()
    assert data["to"] == reports_world["end"].isoformat()
    by_sector = {row["sector"]: row for row in data["by_sector"]}
    assert set(by_sector) == {"police", "community_health", "school", "voluntary"}
    assert by_sector["police"] == {
        **by_sector["police"],
        "sector_display": "Police",
        "bookings": 3,
        "attendances": 2,
        "distinct_attendees": 1,
    }
    assert {row["title"] for row in data["by_course"]} == {
        "Safeguarding children: working together",
        "Domestic abuse awareness",
    }


def test_board_member_reads_statistics(token_client, board_member, reports_world):
    response = token_client(board_member).get(f"{BASE}/statistics/", _period(reports_world))
    assert response.status_code == 200
    assert response.json()["sessions_run"] == 2


def test_statistics_default_to_the_financial_year(token_client, admin):
    data = token_client(admin).get(f"{BASE}/statistics/").json()
    start = datetime.date.fromisoformat(data["from"])
    end = datetime.date.fromisoformat(data["to"])
    assert (start.month, start.day) == (4, 1)
    assert (end.year, end.month, end.day) == (start.year + 1, 3, 31)
    assert start <= timezone.localdate() <= end


def test_statistics_reject_bad_dates(token_client, admin):
    client = token_client(admin)
    response = client.get(f"{BASE}/statistics/", {"from": "2014-13-01", "to": "2014-03-31"})
    assert response.status_code == 400
    assert "from" in response.json()
    response = client.get(f"{BASE}/statistics/", {"from": "2014-03-31", "to": "2013-04-01"})
    assert response.status_code == 400
    assert "to" in response.json()


def test_practitioner_cannot_read_statistics(token_client, practitioner_a):
    response = token_client(practitioner_a).get(f"{BASE}/statistics/")
    assert response.status_code == 403


# The schema ----------------------------------------------------------------------------------


def test_training_api_is_in_the_schema_without_warnings(tmp_path):
    target = tmp_path / "schema.yml"
    call_command("spectacular", "--validate", "--fail-on-warn", "--file", str(target))
    schema = target.read_text()
    for path in (
        "/api/v1/learning/courses/",
        "/api/v1/learning/sessions/{id}/register/",
        "/api/v1/learning/bookings/{id}/cancel/",
        "/api/v1/learning/waiting-list/{id}/claim/",
        "/api/v1/learning/statistics/",
    ):
        assert f"{path}:" in schema
