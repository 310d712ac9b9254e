"""Reads for evaluations: which questionnaire applies, when the follow-up opens, which sessions are
due an invitation, and the figures the results and statistics pages show.

The timing rules live here (not in the services) so that views, services and the
`send_evaluations` command all use the same dates.
"""

from __future__ import annotations

import datetime
from collections.abc import Iterable

from django.db.models import Exists, OuterRef, QuerySet
from django.http import Http404
from django.utils import timezone

from safeguarding.learning.models import (
    Booking,
    Course,
    EvaluationResponse,
    Questionnaire,
    Session,
)

STAGES = tuple(Questionnaire.Stage.values)  # ("immediate", "follow_up")

# The follow-up asks about impact on practice 6 to 8 weeks after the session.
FOLLOW_UP_OPENS_AFTER_DAYS = 42
FOLLOW_UP_INVITE_UNTIL_DAYS = 56

RATING_SCALES: dict[str, tuple[str, ...]] = {
    "quality": ("Poor", "Fair", "Good", "Very good", "Excellent"),
    "extent": ("Not at all", "A little", "Somewhat", "A lot", "A great deal"),
    "confidence": (
        "Not at all confident",
        "Slightly confident",
        "Fairly confident",
        "Confident",
        "Very confident",
    ),
}
DEFAULT_SCALE = "quality"


def rating_labels(question: dict) -> list[str]:
    """["1 – Poor", …, "5 – Excellent"] for a rating question (its "scale", or quality)."""
    words = RATING_SCALES.get(question.get("scale") or DEFAULT_SCALE, RATING_SCALES[DEFAULT_SCALE])
    return [f"{number} – {word}" for number, word in enumerate(words, start=1)]


# Timing ---------------------------------------------------------------------------------------


def _midnight(day: datetime.date) -> datetime.datetime:
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time.min))


def _session_day(session: Session) -> datetime.date:
    return timezone.localtime(session.ends_at).date()


def follow_up_opens_at(session: Session) -> datetime.datetime:
    """The start of the day 42 days (6 weeks) after the day the session ended."""
    return _midnight(_session_day(session) + datetime.timedelta(days=FOLLOW_UP_OPENS_AFTER_DAYS))


def follow_up_is_open(session: Session, now: datetime.datetime | None = None) -> bool:
    return (now or timezone.now()) >= follow_up_opens_at(session)


# One person's evaluation ----------------------------------------------------------------------


def booking_for_evaluation(user, pk) -> Booking:
    """The booking being evaluated: its own person only; anyone else gets 404."""
    if not getattr(user, "is_authenticated", False):
        raise Http404("No such booking")
    try:
        return Booking.objects.select_related("session__course__partnership", "person").get(
            pk=pk, person=user
        )
    except (Booking.DoesNotExist, ValueError, TypeError):
        raise Http404("No such booking") from None


def default_questionnaire(partnership, stage: str) -> Questionnaire | None:
    """The partnership's default questionnaire for a stage (the newest, if several are marked)."""
    return (
        Questionnaire.objects.filter(partnership=partnership, stage=stage, is_default=True)
        .order_by("-pk")
        .first()
    )


def evaluation_for(booking: Booking, stage: str) -> EvaluationResponse | None:
    return (
        EvaluationResponse.objects.select_related("questionnaire")
        .filter(booking=booking, stage=stage)
        .first()
    )


def answered_questions(response: EvaluationResponse) -> list[dict]:
    """The response's questions in order with the answer given, for a summary."""
    rows = []
    for question in response.questionnaire.questions:
        value = response.answers.get(question["code"])
        if question["kind"] == "rating" and value is not None:
            labels = rating_labels(question)
            shown = labels[value - 1] if isinstance(value, int) and 1 <= value <= 5 else str(value)
        else:
            shown = value or ""
        rows.append({"text": question["text"], "kind": question["kind"], "answer": shown})
    return rows


# Invitations ----------------------------------------------------------------------------------


def sessions_due_for_invitations(*, stage: str, now: datetime.datetime | None = None):
    """Sessions whose attendees should now be invited to evaluate at `stage`.

    Only sessions whose register has been kept (at least one attendance marked) are due, so a
    session whose register is marked late is still picked up on a later run. The immediate
    invitation goes once the session has ended and until the follow-up opens; the follow-up goes
    42 to 56 days after the session.
    """
    now = now or timezone.now()
    today = timezone.localdate(now)
    marked = Booking.objects.filter(session=OuterRef("pk")).exclude(
        attendance=Booking.Attendance.UNMARKED
    )
    sessions = Session.objects.filter(status=Session.Status.SCHEDULED).filter(Exists(marked))
    if stage == Questionnaire.Stage.IMMEDIATE:
        sessions = sessions.filter(
            evaluation_sent_at__isnull=True,
            ends_at__lte=now,
            ends_at__gte=_midnight(today - datetime.timedelta(days=FOLLOW_UP_OPENS_AFTER_DAYS - 1)),
        )
    elif stage == Questionnaire.Stage.FOLLOW_UP:
        sessions = sessions.filter(
            follow_up_sent_at__isnull=True,
            ends_at__lt=_midnight(today - datetime.timedelta(days=FOLLOW_UP_OPENS_AFTER_DAYS - 1)),
            ends_at__gte=_midnight(today - datetime.timedelta(days=FOLLOW_UP_INVITE_UNTIL_DAYS)),
        )
    else:
        raise ValueError(f"Unknown evaluation stage {stage!r}")
    return sessions.select_related("course").order_by("ends_at", "pk")


def attendees_to_invite(session: Session, stage: str) -> QuerySet[Booking]:
    """Attended bookings on the session whose person is active and has not yet answered."""
    answered = EvaluationResponse.objects.filter(booking=OuterRef("pk"), stage=stage)
    return (
        session.bookings.filter(
            attendance=Booking.Attendance.ATTENDED,
            status=Booking.Status.CONFIRMED,
            person__is_active=True,
        )
        .exclude(Exists(answered))
        .select_related("person")
    )


# Results --------------------------------------------------------------------------------------


def _as_start(day) -> datetime.datetime:
    return day if isinstance(day, datetime.datetime) else _midnight(day)


def _as_end(day) -> datetime.datetime:
    """Exclusive upper bound: the end date itself is included."""
    if isinstance(day, datetime.datetime):
        return day
    return _midnight(day + datetime.timedelta(days=1))


def financial_year_of(day: datetime.date) -> int:
    """2013 for any day from 1 April 2013 to 31 March 2014."""
    return day.year if day.month >= 4 else day.year - 1


def financial_year_bounds(year: int) -> tuple[datetime.date, datetime.date]:
    return datetime.date(year, 4, 1), datetime.date(year + 1, 3, 31)


def sessions_in_scope(
    *, partnership, start, end, course=None, trainer=None, session=None
) -> QuerySet[Session]:
    """Sessions of the partnership that started within [start, end] (dates are inclusive)."""
    sessions = Session.objects.filter(
        course__partnership=partnership,
        status=Session.Status.SCHEDULED,
        starts_at__gte=_as_start(start),
        starts_at__lt=_as_end(end),
    )
    if course is not None:
        sessions = sessions.filter(course=course)
    if trainer is not None:
        sessions = sessions.filter(sessiontrainer__trainer=trainer)
    if session is not None:
        sessions = sessions.filter(pk=session.pk)
    return sessions.distinct()


def _question_catalogue(partnership, stage: str, questionnaire_ids: Iterable[int]) -> list[dict]:
    """Questions in display order: the default questionnaire's, then any others' by first use."""
    default = default_questionnaire(partnership, stage)
    ordered = ([default] if default else []) + list(
        Questionnaire.objects.filter(pk__in=set(questionnaire_ids))
        .exclude(pk=getattr(default, "pk", None))
        .order_by("pk")
    )
    seen: dict[str, dict] = {}
    for questionnaire in ordered:
        for question in questionnaire.questions:
            seen.setdefault(question["code"], question)
    return list(seen.values())


def evaluation_summary(
    *, partnership, start, end, course=None, trainer=None, session=None, now=None
) -> dict:
    """Evaluation figures for sessions that started between `start` and `end` (inclusive dates).

    Plain numbers only, so any page (or export) can use them::

        {
          "attended": 40,                      # attended places on the sessions in scope
          "sessions": 4,                       # sessions in scope
          "immediate": {
            "eligible": 40,                    # attended places that could answer this stage
            "responses": 30,
            "response_rate_percent": 75.0,     # None when nobody was eligible
            "ratings": [
              {"code": "overall", "text": "…", "scale": "quality", "answered": 30,
               "average": 4.23, "counts": [0, 1, 3, 14, 12]},   # counts of ratings 1..5
              …
            ],
          },
          "follow_up": {…},                    # eligible: attended places whose follow-up opened
        }

    Averages are rounded to 2 decimal places and are None when nobody answered.
    """
    now = now or timezone.now()
    sessions = sessions_in_scope(
        partnership=partnership,
        start=start,
        end=end,
        course=course,
        trainer=trainer,
        session=session,
    )
    attended = Booking.objects.filter(session__in=sessions, attendance=Booking.Attendance.ATTENDED)
    today = timezone.localdate(now)
    follow_up_open = attended.filter(
        session__ends_at__lt=_midnight(
            today - datetime.timedelta(days=FOLLOW_UP_OPENS_AFTER_DAYS - 1)
        )
    )
    result: dict = {"attended": attended.count(), "sessions": sessions.count()}
    for stage, eligible in (
        (Questionnaire.Stage.IMMEDIATE, result["attended"]),
        (Questionnaire.Stage.FOLLOW_UP, follow_up_open.count()),
    ):
        rows = list(
            EvaluationResponse.objects.filter(booking__in=attended, stage=stage).values_list(
                "questionnaire_id", "answers"
            )
        )
        questions = _question_catalogue(partnership, stage, (q for q, _ in rows))
        ratings = []
        for question in questions:
            if question["kind"] != "rating":
                continue
            counts = [0, 0, 0, 0, 0]
            for _, answers in rows:
                value = answers.get(question["code"])
                if isinstance(value, int) and 1 <= value <= 5:
                    counts[value - 1] += 1
            answered = sum(counts)
            total = sum(number * count for number, count in enumerate(counts, start=1))
            ratings.append(
                {
                    "code": question["code"],
                    "text": question["text"],
                    "scale": question.get("scale") or DEFAULT_SCALE,
                    "answered": answered,
                    "average": round(total / answered, 2) if answered else None,
                    "counts": counts,
                }
            )
        responses = len(rows)
        result[str(stage)] = {
            "eligible": eligible,
            "responses": responses,
            "response_rate_percent": round(100 * responses / eligible, 1) if eligible else None,
            "ratings": ratings,
        }
    return result


def evaluation_comments(
    *, partnership, start, end, course=None, trainer=None, session=None
) -> dict[str, list[dict]]:
    """The free-text answers, by stage then question, newest first, without names:
    {"immediate": [{"code", "text", "answers": [{"answer", "course", "session_starts_at"}]}]}.
    """
    sessions = sessions_in_scope(
        partnership=partnership,
        start=start,
        end=end,
        course=course,
        trainer=trainer,
        session=session,
    )
    result: dict[str, list[dict]] = {}
    for stage in STAGES:
        responses = list(
            EvaluationResponse.objects.filter(
                booking__session__in=sessions,
                booking__attendance=Booking.Attendance.ATTENDED,
                stage=stage,
            )
            .select_related("booking__session__course")
            .order_by("-submitted_at", "-pk")
        )
        questions = _question_catalogue(partnership, stage, (r.questionnaire_id for r in responses))
        listed = []
        for question in questions:
            if question["kind"] != "text":
                continue
            answers = [
                {
                    "answer": response.answers[question["code"]],
                    "course": response.booking.session.course.title,
                    "session_starts_at": response.booking.session.starts_at,
                }
                for response in responses
                if str(response.answers.get(question["code"]) or "").strip()
            ]
            listed.append({"code": question["code"], "text": question["text"], "answers": answers})
        result[stage] = listed
    return result


def courses_with_sessions(partnership) -> QuerySet[Course]:
    return Course.objects.filter(partnership=partnership).order_by("title")


def trainers_of(partnership):
    from safeguarding.people.models import User

    return (
        User.objects.filter(session_assignments__session__course__partnership=partnership)
        .distinct()
        .order_by("family_name", "given_name", "email")
    )


def sessions_of(partnership) -> QuerySet[Session]:
    return (
        Session.objects.filter(course__partnership=partnership, status=Session.Status.SCHEDULED)
        .select_related("course")
        .order_by("-starts_at")
    )
