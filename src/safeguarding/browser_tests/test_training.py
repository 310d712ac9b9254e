"""The training module in a real browser, on the demo partnership's data: every page passes
axe-core with no violations, and the main journeys work by clicking (book a place, join and
leave a waiting list, approve a booking, keep a register on a phone, evaluate a session).

Each page is saved to var/screenshots/training-<name>.png so that people can look at it.
"""

from __future__ import annotations

import datetime
import re
from io import StringIO
from urllib.parse import urljoin

import pytest
from django.conf import settings
from django.test import Client
from django.utils import timezone

from safeguarding.browser_tests.conftest import axe_violations, screenshot
from safeguarding.conftest import signed_in
from safeguarding.learning import demo as learning_demo
from safeguarding.learning.models import (
    Booking,
    Certificate,
    Conference,
    Course,
    PracticeGroupMeeting,
    Session,
    WaitingListEntry,
)
from safeguarding.learning.selectors import places as place_selectors
from safeguarding.learning.selectors.reports import training_statistics
from safeguarding.learning.services import booking as booking_services
from safeguarding.people.demo import PERSONAS, load_demo
from safeguarding.people.models import User

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
PHONE = {"width": 375, "height": 667}


@pytest.fixture
def demo():
    """The demo partnership with its 2013/14 training year and sessions open for booking, and
    its sign-in accounts by persona key (admin, practitioner_a, line_manager, trainer...)."""
    # The people and the training year only, as `load_demo` loads them: other modules' demo
    # data has no bearing on these pages.
    result = load_demo()
    learning_demo.load(result.partnership, StringIO())
    return {persona.key: User.objects.get(email=persona.email) for persona in PERSONAS}


def _sign_in(page, live_server, user) -> None:
    """Sign the browser in as this user with a verified second factor (the sign-in journey
    itself is covered in test_journeys.py)."""
    client = signed_in(Client(), user)
    page.context.clear_cookies()
    page.context.add_cookies(
        [
            {
                "name": settings.SESSION_COOKIE_NAME,
                "value": client.cookies[settings.SESSION_COOKIE_NAME].value,
                "url": live_server.url,
            }
        ]
    )


class Tour:
    """Visits pages, runs axe-core on each and saves a screenshot; `done()` fails the test with
    every page's violations at once, so one run shows all there is to fix."""

    def __init__(self, page):
        self.page = page
        self.problems: dict[str, list] = {}

    def check(self, name: str, status: int = 200) -> None:
        page = self.page
        violations = axe_violations(page)
        if violations:
            self.problems[f"{name} ({page.url})"] = violations
        screenshot(page, f"training-{name}")
        # The browser logs a page's own error status; anything else logged is a fault.
        expected = f"the server responded with a status of {status}"
        errors = [e for e in page.console_errors if status == 200 or expected not in e]
        assert not errors, errors

    def visit(self, path: str, name: str, status: int = 200) -> None:
        response = self.page.goto(path)
        assert response.status == status, f"{path}: {response.status}"
        self.check(name, status)

    def done(self) -> None:
        assert not self.problems, self.problems


def _bookable(person, *, approval: bool) -> Session:
    """An upcoming demo session this person could book now, with places left."""
    candidates = Session.objects.filter(
        starts_at__gt=timezone.now(),
        status=Session.Status.SCHEDULED,
        course__kind=Course.Kind.COURSE,
        course__requires_manager_approval=approval,
    ).select_related("course")
    for session in candidates.order_by("starts_at"):
        if (
            place_selectors.booking_is_open(session)
            and place_selectors.places_left(session) > 1
            and not booking_services.missing_prerequisites(session.course, person)
            and not session.bookings.filter(person=person).exists()
        ):
            return session
    raise AssertionError("The demo has no bookable session for this test")


def _today_session(demo) -> Session:
    """A session of a demo course running today, trained by the trainer persona, with five
    demo practitioners booked."""
    trainer, admin = demo["trainer"], demo["admin"]
    course = Course.objects.filter(kind=Course.Kind.COURSE, prerequisites=None).first()
    course.accreditations.get_or_create(
        trainer=trainer,
        defaults={
            "accredited_on": datetime.date(2012, 9, 1),
            "expires_on": datetime.date(2028, 8, 31),
        },
    )
    starts = timezone.localtime().replace(hour=9, minute=30, second=0, microsecond=0)
    session = Session.objects.create(
        course=course,
        starts_at=starts,
        ends_at=starts + datetime.timedelta(hours=6),
        venue=Session.objects.exclude(venue=None).first().venue,
        capacity=12,
        joining_instructions="Sign in at reception.",
    )
    session.sessiontrainer_set.create(trainer=trainer, agency=trainer.memberships.first().agency)
    people = (
        User.objects.filter(memberships__role_grants__role="practitioner")
        .exclude(pk__in=[trainer.pk, admin.pk])
        .order_by("email")[:5]
    )
    for person in people:
        Booking.objects.create(
            session=session,
            person=person,
            agency=person.memberships.first().agency,
            booked_by=person,
            status=Booking.Status.CONFIRMED,
        )
    return session


def test_public_pages(page, demo):
    tour = Tour(page)
    tour.visit("/training/", "programme")
    assert page.get_by_role("heading", level=1).inner_text() == "Training programme"
    assert page.locator("table caption").count() >= 2  # sessions grouped by month
    # Filtering by level keeps the page accessible.
    page.get_by_label("Level").select_option(index=2)
    page.get_by_role("button", name="Show sessions").click()
    tour.check("programme-filtered")

    session = _bookable(demo["practitioner_a"], approval=False)
    tour.visit(f"/training/courses/{session.course.pk}/", "course")
    assert page.get_by_role("heading", level=1).inner_text() == session.course.title
    tour.visit(f"/training/sessions/{session.pk}/", "session")
    assert page.get_by_role("link", name="Sign in to book a place").is_visible()

    feed = page.request.get("/training/calendar.ics")
    assert feed.status == 200
    assert feed.headers["content-type"].startswith("text/calendar")
    assert "BEGIN:VEVENT" in feed.text()

    certificate = Certificate.objects.select_related("booking__person").first()
    tour.visit(f"/certificates/verify/{certificate.code}/", "verify-valid")
    assert certificate.booking.session.course.title in page.locator("main").inner_text()
    tour.visit("/certificates/verify/NOT-A-REAL-CODE/", "verify-unknown", status=404)
    assert page.get_by_role("heading", level=1).inner_text() == "No certificate has this code"
    tour.done()


def test_practitioner_books_joins_and_leaves_a_waiting_list(page, live_server, demo):
    person = demo["practitioner_a"]
    _sign_in(page, live_server, person)
    tour = Tour(page)
    tour.visit("/training/my/", "my-training-empty")

    session = _bookable(person, approval=False)
    tour.visit(f"/training/sessions/{session.pk}/", "session-signed-in")
    page.get_by_role("button", name="Book a place").click()
    assert page.locator(".govuk-notification-banner--success").is_visible()
    tour.check("booked")
    booking = Booking.objects.get(session=session, person=person)
    assert booking.status == Booking.Status.CONFIRMED

    # A full session: the demo's other bookings take every place.
    full = _bookable(person, approval=False)
    Session.objects.filter(pk=full.pk).update(capacity=place_selectors.places_taken(full))
    page.goto(f"/training/sessions/{full.pk}/")
    tour.check("session-full")
    page.get_by_role("button", name="Join the waiting list").click()
    assert page.locator(".govuk-notification-banner--success").is_visible()
    tour.check("waiting-list-joined")
    entry = WaitingListEntry.objects.get(session=full, person=person)

    page.goto("/training/")
    page.get_by_role("link", name="My bookings and waiting lists").click()
    tour.check("my-training")
    assert page.get_by_role("link", name=session.course.title).first.is_visible()
    page.get_by_role("button", name=re.compile("^Leave the waiting list")).click()
    assert page.locator(".govuk-notification-banner--success").is_visible()
    tour.check("waiting-list-left")
    entry.refresh_from_db()
    assert entry.status != WaitingListEntry.Status.WAITING
    tour.done()


def test_line_manager_approves_a_booking(page, live_server, demo):
    person, manager = demo["practitioner_a"], demo["line_manager"]
    assert person.memberships.first().line_manager == manager
    session = _bookable(person, approval=True)
    booking = booking_services.booking_create(session=session, person=person, actor=person)
    assert booking.status == Booking.Status.AWAITING_APPROVAL

    _sign_in(page, live_server, manager)
    tour = Tour(page)
    tour.visit("/training/approvals/", "approvals")
    page.get_by_role("link", name=re.compile(f"Approve or decline {person}")).click()
    tour.check("approval-decide")
    page.get_by_label("Approve").check()
    page.get_by_role("button", name="Save decision").click()
    assert page.locator(".govuk-notification-banner--success").is_visible()
    tour.check("approvals-after")
    booking.refresh_from_db()
    assert booking.status == Booking.Status.CONFIRMED

    tour.visit("/training/team/", "team-training")
    assert page.get_by_role("cell", name=re.compile(session.course.title)).first.is_visible()
    tour.done()


def test_register_on_a_phone(browser, live_server, demo):
    session = _today_session(demo)
    context = browser.new_context(base_url=live_server.url, viewport=PHONE, is_mobile=True)
    page = context.new_page()
    page.console_errors = []
    page.on("console", lambda m: page.console_errors.append(m.text) if m.type == "error" else None)
    _sign_in(page, live_server, demo["trainer"])
    tour = Tour(page)
    tour.visit(f"/training/sessions/{session.pk}/register/", "register-phone")
    # Nothing sticks out sideways on a phone.
    assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]

    bookings = list(session.bookings.order_by("pk").select_related("person"))
    for n, booking in enumerate(bookings):
        group = page.get_by_role("group", name=str(booking.person))
        group.get_by_label("Did not attend" if n == 0 else "Attended").check()
    page.get_by_role("button", name="Save the register").click()
    assert "4 attended, 1 did not attend" in page.locator(".govuk-notification-banner").inner_text()
    tour.check("register-saved")

    walk_in = (
        User.objects.filter(memberships__role_grants__role="practitioner")
        .exclude(bookings__session=session)
        .order_by("-email")
        .first()
    )
    page.get_by_label("Work e-mail address").fill("nobody@nowhere.example")
    page.get_by_role("button", name="Add walk-in").click()
    page.locator(".govuk-error-summary").wait_for(state="visible")
    tour.check("register-walk-in-error")
    page.get_by_label("Work e-mail address").fill(walk_in.email)
    page.get_by_role("button", name="Add walk-in").click()
    assert "added as a walk-in" in page.locator(".govuk-notification-banner").inner_text()
    tour.check("register-walk-in")
    assert session.bookings.get(person=walk_in).is_walk_in
    assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]

    tour.visit(f"/training/sessions/{session.pk}/register/print/", "register-print-phone")
    assert walk_in.full_name in page.locator("main").inner_text()

    # Someone who neither trains the session nor works in the business unit cannot open it.
    _sign_in(page, live_server, demo["practitioner_b"])
    response = page.goto(f"/training/sessions/{session.pk}/register/")
    assert response.status in (403, 404)
    assert "Save the register" not in page.content()
    tour.done()
    context.close()


def test_printed_register(page, live_server, demo):
    session = _today_session(demo)
    _sign_in(page, live_server, demo["trainer"])
    tour = Tour(page)
    tour.visit(f"/training/sessions/{session.pk}/register/print/", "register-print")
    page.emulate_media(media="print")
    page.set_viewport_size({"width": 794, "height": 1123})  # A4 at 96 dpi
    screenshot(page, "training-register-print-paper")
    # On paper: no header, navigation, instructions or footer; a row for each person and
    # blank rows for walk-ins.
    for hidden in [
        ".app-header__account",
        ".govuk-service-navigation",
        ".govuk-back-link",
        ".govuk-inset-text",
        ".govuk-footer",
    ]:
        assert not page.locator(hidden).is_visible(), hidden
    rows = page.locator("main tbody tr")
    assert rows.count() == session.bookings.count() + 5
    tour.done()


def test_training_record_and_evaluation(page, live_server, demo):
    person = demo["practitioner_a"]
    course = Course.objects.filter(kind=Course.Kind.COURSE).order_by("pk").first()
    start = timezone.now() - datetime.timedelta(days=1, hours=6)
    session = Session.objects.create(
        course=course,
        starts_at=start,
        ends_at=start + datetime.timedelta(hours=6),
        venue=Session.objects.exclude(venue=None).first().venue,
        capacity=16,
    )
    booking = Booking.objects.create(
        session=session,
        person=person,
        agency=person.memberships.first().agency,
        booked_by=person,
        status=Booking.Status.CONFIRMED,
        attendance=Booking.Attendance.ATTENDED,
    )
    _sign_in(page, live_server, person)
    tour = Tour(page)
    tour.visit("/training/record/", "training-record")

    tour.visit(f"/training/evaluations/{booking.pk}/immediate/", "evaluation-form")
    page.get_by_role("button", name="Send evaluation").click()
    summary = page.locator(".govuk-error-summary")
    assert summary.is_visible()
    # GOV.UK Frontend moves focus to the summary so screen readers announce it.
    assert page.evaluate("document.activeElement.classList.contains('govuk-error-summary')")
    tour.check("evaluation-errors")
    # Each message in the summary leads to its question's first answer.
    summary.get_by_role("link").first.click()
    assert page.evaluate("document.activeElement.type") == "radio"
    for group in page.locator("fieldset:has(.govuk-radios)").all():
        group.locator(".govuk-radios__input").nth(3).check()
    for box in page.locator("textarea").all():
        box.fill("The case studies were useful.")
    page.get_by_role("button", name="Send evaluation").click()
    assert page.locator(".govuk-notification-banner--success").is_visible()
    tour.check("evaluation-sent")
    assert booking.evaluations.count() == 1
    tour.done()


def test_business_unit_catalogue_and_events(page, live_server, demo):
    _sign_in(page, live_server, demo["admin"])
    tour = Tour(page)
    tour.visit("/training/manage/courses/", "course-admin-list")
    course = Course.objects.filter(kind=Course.Kind.COURSE).order_by("pk").first()
    tour.visit(f"/training/manage/courses/{course.pk}/edit/", "course-edit")
    tour.visit("/training/manage/courses/new/", "course-new")
    page.get_by_role("button", name="Add course").click()
    page.locator(".govuk-error-summary").wait_for(state="visible")
    tour.check("course-new-errors")

    tour.visit("/training/manage/sessions/new/", "session-new")
    page.get_by_label("Course").select_option(label=course.title)
    page.get_by_label("Places").fill("0")
    page.get_by_role("button", name=re.compile("^Add")).click()
    page.locator(".govuk-error-summary").wait_for(state="visible")
    tour.check("session-new-errors")

    tour.visit("/training/manage/pool/", "training-pool")
    tour.visit("/practice-groups/", "practice-groups")
    meeting = PracticeGroupMeeting.objects.filter(starts_at__lt=timezone.now()).first()
    tour.visit(f"/practice-groups/meetings/{meeting.pk}/", "practice-group-meeting")
    tour.visit("/conference/", "conference-list")
    conference = Conference.objects.get()
    tour.visit(f"/conference/{conference.pk}/", "conference")
    tour.done()


def test_business_unit_reports(page, live_server, demo):
    _sign_in(page, live_server, demo["admin"])
    tour = Tour(page)
    tour.visit("/training/", "programme-business-unit")
    page.get_by_role("link", name="Training charges").click()
    assert page.get_by_role("heading", level=1).inner_text() == "Training charges"
    page.get_by_role("link", name="2013/14").click()  # the demo's year, April 2013 to March 2014
    tour.check("charges")

    for kind, mime in [
        ("csv", "text/csv"),
        ("xlsx", "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"),
    ]:
        link = page.locator(f"a[href*='format={kind}']").first
        response = page.request.get(urljoin(page.url, link.get_attribute("href")))
        assert response.status == 200
        assert response.headers["content-type"].startswith(mime)

    year = "?date_from=01/04/2013&date_to=31/03/2014"
    tour.visit("/training/manage/statistics/" + year.replace("/", "%2F"), "statistics")
    assert page.locator("svg.app-chart").count() >= 3
    # Long labels wrap inside the chart instead of being cut short, and charts keep to a
    # readable width on a wide screen.
    chart = page.locator("#chart-courses-title").locator("..")
    # matplotlib writes a category label as one <text> per line inside the tick's group.
    ticks = chart.locator("g[id^='chart-courses-ytick_']")
    labels = ticks.evaluate_all(
        "ticks => ticks.map(g => [...g.querySelectorAll('text')].map(t => t.textContent).join(' '))"
    )
    figures = training_statistics(
        partnership=demo["admin"].memberships.first().agency.partnership,
        start=datetime.date(2013, 4, 1),
        end=datetime.date(2014, 3, 31),
    )
    assert labels == [row["title"] for row in figures["by_course"]]
    assert max(map(len, labels)) > 40  # the demo has titles that used to be cut short
    assert "…" not in chart.inner_html()
    for svg in page.locator("svg.app-chart").all():
        assert svg.bounding_box()["width"] <= 640
    frame = chart.bounding_box()
    for line in ticks.locator("text").all():
        box = line.bounding_box()
        assert box["x"] >= frame["x"] - 1, "a label runs off the chart"
        assert box["x"] + box["width"] <= frame["x"] + frame["width"] + 1
        assert box["y"] >= frame["y"] - 1
        assert box["y"] + box["height"] <= frame["y"] + frame["height"] + 1
    tour.visit("/training/manage/evaluations/?year=2013", "evaluation-results")
    assert page.locator("svg.app-chart").count() >= 3
    # Hundreds of written answers: the newest ten show, the rest open on request.
    more = page.locator("details").filter(has_text="Show the other").first
    assert not more.locator("li").first.is_visible()
    more.locator("summary").click()
    assert more.locator("li").first.is_visible()
    tour.check("evaluation-results-all-answers")
    tour.done()
