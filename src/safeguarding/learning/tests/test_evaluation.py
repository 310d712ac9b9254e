"""Evaluations: default questionnaires, the attendee's form straight after the session and 6 weeks
on, the results page with its charts, and the command that sends the invitations."""

from __future__ import annotations

import datetime

import pytest
from django.core import mail
from django.core.exceptions import ValidationError
from django.core.management import call_command
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from safeguarding.conftest import signed_in
from safeguarding.core import charts
from safeguarding.core.models import AuditEntry
from safeguarding.learning.models import (
    Accreditation,
    Booking,
    Certificate,
    Course,
    EvaluationResponse,
    Questionnaire,
    Session,
)
from safeguarding.learning.selectors import evaluation as selectors
from safeguarding.learning.services import evaluation as services
from safeguarding.learning.services import sessions as session_services

GOOD_IMMEDIATE = {
    "overall": "5",
    "trainer_knowledge": "4",
    "relevance": "5",
    "confidence_before": "2",
    "confidence_after": "4",
    "will_do_differently": "Ask the police about previous call-outs before a visit.",
    "improve": "",
}
GOOD_FOLLOW_UP = {
    "used_learning": "4",
    "practice_example": "I now check for domestic abuse at every first visit.",
    "multi_agency": "3",
    "barriers": "",
}


def _past_session(course, trainer, admin, *, days_ago: int, hour: int = 9) -> Session:
    """A session that ended `days_ago` days ago (counted in calendar days)."""
    today = timezone.localdate()
    Accreditation.objects.get_or_create(
        trainer=trainer,
        course=course,
        defaults={
            "accredited_on": today - datetime.timedelta(days=400),
            "expires_on": today + datetime.timedelta(days=400),
        },
    )
    start = timezone.make_aware(
        datetime.datetime.combine(
            today - datetime.timedelta(days=days_ago), datetime.time(hour, 30)
        )
    )
    return session_services.session_create(
        course=course,
        starts_at=start,
        ends_at=start + datetime.timedelta(hours=3),
        capacity=20,
        trainers=[trainer],
        online_url="https://meet.example/training",
        actor=admin,
    )


def _booking(session, person, attendance=Booking.Attendance.ATTENDED) -> Booking:
    return Booking.objects.create(
        session=session,
        person=person,
        agency=person.memberships.first().agency,
        booked_by=person,
        status=Booking.Status.CONFIRMED,
        attendance=attendance,
    )


@pytest.fixture
def evaluation_session(course, trainer_a, admin):
    """A session that ended yesterday."""
    return _past_session(course, trainer_a, admin, days_ago=1)


@pytest.fixture
def evaluation_booking(evaluation_session, practitioner_a):
    return _booking(evaluation_session, practitioner_a)


def _url(booking, stage="immediate"):
    return reverse("learning:evaluate", args=[booking.pk, stage])


# Questionnaires -------------------------------------------------------------------------------


def test_default_questionnaires_are_created_once(partnership):
    first = services.ensure_default_questionnaires(partnership)
    second = services.ensure_default_questionnaires(partnership)
    assert first == second
    assert Questionnaire.objects.filter(partnership=partnership, is_default=True).count() == 2
    immediate = first["immediate"]
    assert immediate.stage == Questionnaire.Stage.IMMEDIATE
    codes = [q["code"] for q in immediate.questions]
    assert codes[:5] == [
        "overall",
        "trainer_knowledge",
        "relevance",
        "confidence_before",
        "confidence_after",
    ]
    assert [q["kind"] for q in first["follow_up"].questions] == ["rating", "text", "rating", "text"]
    assert AuditEntry.objects.filter(action="learning.questionnaire.created").count() == 2


def test_an_existing_default_questionnaire_is_kept(partnership):
    own = Questionnaire.objects.create(
        partnership=partnership,
        name="Our own",
        stage=Questionnaire.Stage.FOLLOW_UP,
        questions=[{"code": "impact", "text": "Impact?", "kind": "rating", "required": True}],
        is_default=True,
    )
    defaults = services.ensure_default_questionnaires(partnership)
    assert defaults["follow_up"] == own
    assert Questionnaire.objects.filter(partnership=partnership).count() == 2


def test_questionnaire_validation_names_each_problem():
    with pytest.raises(ValidationError) as caught:
        services.questionnaire_validate(
            [
                {"code": "overall", "text": "Overall?", "kind": "rating", "required": True},
                {"code": "overall", "text": "Again?", "kind": "rating"},
                {"code": "why", "text": "Why?", "kind": "essay"},
                {"code": "Bad Code", "text": "", "kind": "text"},
                {"code": "scale", "text": "Scale?", "kind": "text", "scale": "quality"},
                {"code": "req", "text": "Req?", "kind": "text", "required": "yes"},
                "not a question",
            ]
        )
    messages = caught.value.messages
    assert "Question 2 uses the code “overall” again: each code must be unique." in messages
    assert "Question 3 has kind “essay”: it must be “rating” or “text”." in messages
    assert any(m.startswith("Question 4 needs a code of lower-case letters") for m in messages)
    assert "Question 4 needs the question's wording as text." in messages
    assert any(m.startswith("Question 5: “scale” is for rating questions") for m in messages)
    assert "Question 6: “required” must be true or false." in messages
    assert "Question 7 must be an object with a code, text and kind." in messages


def test_questionnaire_validation_rejects_an_empty_list_and_tidies_a_good_one():
    with pytest.raises(ValidationError, match="at least one question"):
        services.questionnaire_validate([])
    tidy = services.questionnaire_validate([{"code": "q1", "text": " Useful? ", "kind": "rating"}])
    assert tidy == [{"code": "q1", "text": "Useful?", "kind": "rating", "required": True}]


# Answering ------------------------------------------------------------------------------------


def test_attendee_sees_errors_and_nothing_is_saved_then_sends(evaluation_booking, practitioner_a):
    client = signed_in(Client(), practitioner_a)
    page = client.get(_url(evaluation_booking))
    assert page.status_code == 200
    html = page.content.decode()
    assert 'class="govuk-radios__input"' in html
    assert "1 – Poor" in html and "5 – Excellent" in html and "A great deal" in html
    assert "<textarea" in html

    bad = client.post(_url(evaluation_booking), {**GOOD_IMMEDIATE, "overall": "", "relevance": "9"})
    assert bad.status_code == 200
    html = bad.content.decode()
    assert "There is a problem" in html
    assert 'href="#id_overall_0"' in html
    assert "Select an answer to “Overall, how would you rate the session?”" in html
    assert "Select a rating from 1 to 5 for “How relevant was the session to your role?”" in html
    assert "govuk-form-group--error" in html
    assert not EvaluationResponse.objects.exists()

    good = client.post(_url(evaluation_booking), GOOD_IMMEDIATE)
    assert good.status_code == 302
    assert good["Location"] == _url(evaluation_booking)
    response = EvaluationResponse.objects.get()
    assert response.stage == "immediate"
    assert response.answers["overall"] == 5
    assert response.answers["confidence_after"] == 4
    assert "improve" not in response.answers
    entry = AuditEntry.objects.get(action="learning.evaluation.submitted")
    assert entry.actor == practitioner_a
    after = client.get(_url(evaluation_booking)).content.decode()
    assert "Thank you: your evaluation has been sent." in after
    assert "You have already sent this evaluation" in after
    assert "5 – Excellent" in after
    assert "Ask the police about previous call-outs" in after


def test_attendee_cannot_send_twice(evaluation_booking, practitioner_a):
    services.evaluation_submit(
        booking=evaluation_booking, stage="immediate", answers=GOOD_IMMEDIATE, actor=practitioner_a
    )
    client = signed_in(Client(), practitioner_a)
    again = client.post(_url(evaluation_booking), GOOD_IMMEDIATE)
    assert again.status_code == 200
    assert "You have already sent this evaluation" in again.content.decode()
    assert EvaluationResponse.objects.count() == 1
    with pytest.raises(ValidationError, match="already sent"):
        services.evaluation_submit(
            booking=evaluation_booking,
            stage="immediate",
            answers=GOOD_IMMEDIATE,
            actor=practitioner_a,
        )


@pytest.mark.parametrize("persona", ["practitioner_b", "line_manager_a", "admin", "trainer_a"])
def test_anyone_but_the_attendee_gets_404(evaluation_booking, persona, request):
    client = signed_in(Client(), request.getfixturevalue(persona))
    assert client.get(_url(evaluation_booking)).status_code == 404
    assert client.post(_url(evaluation_booking), GOOD_IMMEDIATE).status_code == 404
    assert not EvaluationResponse.objects.exists()


def test_someone_else_cannot_submit_through_the_service(evaluation_booking, practitioner_b):
    from django.core.exceptions import PermissionDenied

    with pytest.raises(PermissionDenied):
        services.evaluation_submit(
            booking=evaluation_booking,
            stage="immediate",
            answers=GOOD_IMMEDIATE,
            actor=practitioner_b,
        )


def test_unknown_stage_gets_404(evaluation_booking, practitioner_a):
    client = signed_in(Client(), practitioner_a)
    assert client.get(_url(evaluation_booking, "before")).status_code == 404


def test_evaluation_opens_only_after_attendance_is_recorded(
    evaluation_session, practitioner_a, practitioner_b
):
    unmarked = _booking(evaluation_session, practitioner_a, attendance=Booking.Attendance.UNMARKED)
    client = signed_in(Client(), practitioner_a)
    page = client.get(_url(unmarked))
    assert page.status_code == 200
    assert "This evaluation opens after your attendance is recorded" in page.content.decode()
    assert client.post(_url(unmarked), GOOD_IMMEDIATE).status_code == 200
    assert not EvaluationResponse.objects.exists()
    no_show = _booking(evaluation_session, practitioner_b, attendance=Booking.Attendance.NO_SHOW)
    with pytest.raises(ValidationError, match="attendance has been recorded"):
        services.evaluation_submit(
            booking=no_show, stage="immediate", answers=GOOD_IMMEDIATE, actor=practitioner_b
        )


def test_follow_up_is_not_open_before_six_weeks(evaluation_booking, practitioner_a):
    client = signed_in(Client(), practitioner_a)
    page = client.get(_url(evaluation_booking, "follow_up"))
    opens = timezone.localdate() + datetime.timedelta(days=41)
    html = page.content.decode()
    assert page.status_code == 200
    assert f"The follow-up evaluation opens on {opens:%A} {opens.day} {opens:%B %Y}" in html
    assert '<form method="post" novalidate>' not in html
    with pytest.raises(ValidationError, match="follow-up evaluation opens on"):
        services.evaluation_submit(
            booking=evaluation_booking,
            stage="follow_up",
            answers=GOOD_FOLLOW_UP,
            actor=practitioner_a,
        )


def test_follow_up_opens_42_days_after_the_session(course, trainer_a, admin, practitioner_a):
    session = _past_session(course, trainer_a, admin, days_ago=42)
    booking = _booking(session, practitioner_a)
    client = signed_in(Client(), practitioner_a)
    page = client.get(_url(booking, "follow_up"))
    assert "How much have you used what you learnt" in page.content.decode()
    assert client.post(_url(booking, "follow_up"), GOOD_FOLLOW_UP).status_code == 302
    response = EvaluationResponse.objects.get(stage="follow_up")
    assert response.answers == {
        "used_learning": 4,
        "practice_example": GOOD_FOLLOW_UP["practice_example"],
        "multi_agency": 3,
    }


def test_immediate_evaluation_issues_the_certificate_the_course_waits_for(
    evaluation_booking, practitioner_a, course
):
    course.requires_evaluation_for_certificate = True
    course.save()
    assert not Certificate.objects.filter(booking=evaluation_booking).exists()
    services.evaluation_submit(
        booking=evaluation_booking, stage="immediate", answers=GOOD_IMMEDIATE, actor=practitioner_a
    )
    assert Certificate.objects.filter(booking=evaluation_booking).exists()


def test_certificate_is_issued_after_the_immediate_evaluation_only(
    course, trainer_a, admin, practitioner_a
):
    booking = _booking(_past_session(course, trainer_a, admin, days_ago=50), practitioner_a)
    services.evaluation_submit(
        booking=booking, stage="follow_up", answers=GOOD_FOLLOW_UP, actor=practitioner_a
    )
    assert not Certificate.objects.filter(booking=booking).exists()
    services.evaluation_submit(
        booking=booking, stage="immediate", answers=GOOD_IMMEDIATE, actor=practitioner_a
    )
    certificate = Certificate.objects.get(booking=booking)
    entry = AuditEntry.objects.get(action="learning.certificate.issued")
    assert entry.actor == practitioner_a
    assert entry.object_id == str(certificate.pk)


# Results --------------------------------------------------------------------------------------


@pytest.fixture
def evaluation_results(evaluation_session, practitioner_a, practitioner_b, line_manager_a, admin):
    """Three attendees and one no-show; two of the attendees evaluated."""
    first = _booking(evaluation_session, practitioner_a)
    second = _booking(evaluation_session, practitioner_b)
    _booking(evaluation_session, line_manager_a)
    _booking(evaluation_session, admin, attendance=Booking.Attendance.NO_SHOW)
    services.evaluation_submit(
        booking=first, stage="immediate", answers=GOOD_IMMEDIATE, actor=practitioner_a
    )
    services.evaluation_submit(
        booking=second,
        stage="immediate",
        answers={
            **GOOD_IMMEDIATE,
            "overall": "2",
            "trainer_knowledge": "5",
            "will_do_differently": "",
            "improve": "More time on <case studies>, please.",
        },
        actor=practitioner_b,
    )
    return evaluation_session


def _period():
    today = timezone.localdate()
    return today - datetime.timedelta(days=30), today


def test_summary_gives_response_rate_and_averages(evaluation_results, partnership):
    start, end = _period()
    summary = selectors.evaluation_summary(partnership=partnership, start=start, end=end)
    assert summary["attended"] == 3
    assert summary["sessions"] == 1
    immediate = summary["immediate"]
    assert immediate["responses"] == 2
    assert immediate["response_rate_percent"] == 66.7
    ratings = {r["code"]: r for r in immediate["ratings"]}
    assert ratings["overall"]["average"] == 3.5
    assert ratings["overall"]["counts"] == [0, 1, 0, 0, 1]
    assert ratings["trainer_knowledge"]["average"] == 4.5
    assert ratings["confidence_before"]["average"] == 2.0
    assert "will_do_differently" not in ratings
    follow_up = summary["follow_up"]
    assert follow_up["eligible"] == 0  # the follow-up has not opened yet
    assert follow_up["response_rate_percent"] is None
    assert {r["average"] for r in follow_up["ratings"]} == {None}


def test_summary_filters_by_course_trainer_and_session(
    evaluation_results, partnership, admin, practitioner_a
):
    start, end = _period()
    other_course = Course.objects.create(
        partnership=partnership,
        title="Neglect",
        slug="neglect",
        summary="s",
        learning_outcomes="o",
        status=Course.Status.PUBLISHED,
    )
    assert (
        selectors.evaluation_summary(
            partnership=partnership, start=start, end=end, course=other_course
        )["immediate"]["responses"]
        == 0
    )
    trainer = evaluation_results.trainers.get()
    by_trainer = selectors.evaluation_summary(
        partnership=partnership, start=start, end=end, trainer=trainer
    )
    assert by_trainer["immediate"]["responses"] == 2
    assert (
        selectors.evaluation_summary(
            partnership=partnership, start=start, end=end, trainer=practitioner_a
        )["attended"]
        == 0
    )
    by_session = selectors.evaluation_summary(
        partnership=partnership, start=start, end=end, session=evaluation_results
    )
    assert by_session["immediate"]["responses"] == 2


def test_results_page_shows_figures_charts_and_written_answers(evaluation_results, admin):
    start, end = _period()
    client = signed_in(Client(), admin)
    page = client.get(
        reverse("learning:evaluation-results"),
        {"date_from": start.isoformat(), "date_to": end.isoformat()},
    )
    assert page.status_code == 200
    html = page.content.decode()
    assert "66.7%" in html
    assert "3.50" in html and "4.50" in html
    assert html.count('role="img"') == 5  # one chart per rating question straight after
    assert '<title id="chart-immediate-overall-title">' in html
    assert "<desc" in html
    assert "<caption" in html
    assert "Show the data in a table" not in html  # the ratings table gives the figures, once
    assert "Ask the police about previous call-outs before a visit." in html
    assert "More time on &lt;case studies&gt;, please." in html
    assert "<case studies>" not in html
    assert "style=" not in html


def test_results_default_to_the_current_financial_year(evaluation_results, admin):
    page = signed_in(Client(), admin).get(reverse("learning:evaluation-results"))
    assert page.status_code == 200
    year = selectors.financial_year_of(timezone.localdate())
    assert f"the financial year {year}/{str(year + 1)[-2:]}" in page.content.decode()


def test_results_filter_errors_are_shown(admin):
    page = signed_in(Client(), admin).get(
        reverse("learning:evaluation-results"), {"date_from": "31/03/2014", "date_to": "1/4/2013"}
    )
    assert page.status_code == 200
    assert "The end date must be the same as or after the start date." in page.content.decode()


def test_practitioner_gets_403_on_results(practitioner_a, trainer_a):
    for person in (practitioner_a, trainer_a):
        page = signed_in(Client(), person).get(reverse("learning:evaluation-results"))
        assert page.status_code == 403


# Charts ---------------------------------------------------------------------------------------


def test_bar_chart_is_accessible_and_escapes_its_text():
    chart = charts.bar_chart(
        ["1 – <b>Poor</b>", "2 – Fair"], [3, 1], title="Rating & more", chart_id="demo"
    )
    svg = str(chart.svg)
    assert svg.startswith("<svg")
    assert 'role="img"' in svg
    assert 'aria-labelledby="demo-title demo-desc"' in svg
    assert '<title id="demo-title">Rating &amp; more</title>' in svg
    assert ">1 – &lt;b&gt;Poor&lt;/b&gt;<" in svg  # the label, escaped, as text
    assert chart.table.rows == [["1 – <b>Poor</b>", "3"], ["2 – Fair", "1"]]
    assert "<b>" not in svg
    assert "style" not in svg
    axes = charts.draw(chart).axes[0]
    assert [bar.get_width() for bar in axes.patches] == [3, 1]  # bars scale to the values
    assert 3 <= axes.get_xlim()[1] < 4  # and the largest nearly fills the plot


def test_bar_chart_rejects_mismatched_or_negative_values():
    with pytest.raises(ValueError):
        charts.bar_chart(["a", "b"], [1], title="t")
    with pytest.raises(ValueError):
        charts.bar_chart(["a"], [-1], title="t")
    empty = str(charts.bar_chart([], [], title="Nothing", max_value=5).svg)
    assert "<title" in empty


# Invitations ----------------------------------------------------------------------------------


def test_send_evaluations_sends_each_email_once(
    course,
    trainer_a,
    admin,
    practitioner_a,
    practitioner_b,
    line_manager_a,
    django_capture_on_commit_callbacks,
    settings,
):
    settings.SITE_URL = "https://training.example"
    yesterday = _past_session(course, trainer_a, admin, days_ago=1)
    attended = _booking(yesterday, practitioner_a)
    _booking(yesterday, practitioner_b, attendance=Booking.Attendance.NO_SHOW)
    weeks_ago = _past_session(course, trainer_a, admin, days_ago=45)
    follow_up = _booking(weeks_ago, line_manager_a)
    already = _booking(weeks_ago, practitioner_b)
    services.evaluation_submit(
        booking=already, stage="follow_up", answers=GOOD_FOLLOW_UP, actor=practitioner_b
    )
    unmarked = _past_session(course, trainer_a, admin, days_ago=2)
    _booking(unmarked, practitioner_b, attendance=Booking.Attendance.UNMARKED)

    with django_capture_on_commit_callbacks(execute=True):
        call_command("send_evaluations", stdout=open("/dev/null", "w"))  # noqa: SIM115
    assert sorted((m.to[0], m.subject) for m in mail.outbox) == [
        (line_manager_a.email, f"Has your training made a difference? {course.title}"),
        (practitioner_a.email, f"How was your training? {course.title}"),
    ]
    immediate = next(m for m in mail.outbox if m.to == [practitioner_a.email])
    assert f"https://training.example{_url(attended)}" in immediate.body
    later = next(m for m in mail.outbox if m.to == [line_manager_a.email])
    assert f"https://training.example{_url(follow_up, 'follow_up')}" in later.body

    yesterday.refresh_from_db()
    weeks_ago.refresh_from_db()
    unmarked.refresh_from_db()
    assert yesterday.evaluation_sent_at is not None and yesterday.follow_up_sent_at is None
    assert weeks_ago.follow_up_sent_at is not None and weeks_ago.evaluation_sent_at is None
    assert unmarked.evaluation_sent_at is None  # waits for its register
    entries = AuditEntry.objects.filter(action="learning.evaluation.invitations_sent")
    assert entries.count() == 2

    with django_capture_on_commit_callbacks(execute=True):
        call_command("send_evaluations", stdout=open("/dev/null", "w"))  # noqa: SIM115
    assert len(mail.outbox) == 2
    assert entries.count() == 2


def test_sessions_past_eight_weeks_get_no_follow_up(course, trainer_a, admin, practitioner_a):
    old = _past_session(course, trainer_a, admin, days_ago=57)
    _booking(old, practitioner_a)
    edge = _past_session(course, trainer_a, admin, days_ago=56, hour=14)
    _booking(edge, practitioner_a)
    due = list(selectors.sessions_due_for_invitations(stage="follow_up"))
    assert due == [edge]
    assert list(selectors.sessions_due_for_invitations(stage="immediate")) == []


def test_send_evaluations_dry_run_sends_and_records_nothing(
    evaluation_booking, evaluation_session, django_capture_on_commit_callbacks
):
    import io

    out = io.StringIO()
    with django_capture_on_commit_callbacks(execute=True):
        call_command("send_evaluations", "--dry-run", stdout=out)
    assert f"would invite 1 to evaluate {evaluation_session}" in out.getvalue()
    assert mail.outbox == []
    evaluation_session.refresh_from_db()
    assert evaluation_session.evaluation_sent_at is None


def test_send_evaluations_has_help():
    from safeguarding.learning.management.commands.send_evaluations import Command

    parser = Command().create_parser("manage.py", "send_evaluations")
    text = parser.format_help()
    assert "42 to 56 days" in text
    assert "--dry-run" in text
