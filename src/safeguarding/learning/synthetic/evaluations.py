"""Synthetic evaluations, and the invitations to give them."""

from __future__ import annotations

import datetime

from safeguarding.learning.models import (
    Booking,
    EvaluationResponse,
    Questionnaire,
    Session,
)
from safeguarding.learning.synthetic.plan import (
    COMMENTS,
    P_FOLLOW_UP_EVALUATION,
    P_IMMEDIATE_EVALUATION,
)
from safeguarding.learning.synthetic.sessions import Context


def write_evaluations(ctx: Context, sessions: list[Session], bookings: list[Booking]) -> None:
    rng = ctx.rng
    by_session = {s.pk: s for s in sessions}
    responses = []
    for b in bookings:
        if b.attendance != Booking.Attendance.ATTENDED:
            continue
        session = by_session[b.session_id]
        if rng.random() >= P_IMMEDIATE_EVALUATION:
            continue
        centre = ctx.quality.setdefault(session.course_id, rng.uniform(3.6, 4.5))

        def rating(shift: float = 0.0, centre=centre) -> int:
            return max(1, min(5, round(rng.gauss(centre + shift, 0.8))))

        submitted = session.ends_at + datetime.timedelta(hours=rng.uniform(0.2, 120))
        if submitted <= ctx.now:
            answers = {
                "overall": rating(),
                "trainer": rating(0.2),
                "relevance": rating(-0.1),
                "change": rng.choice(COMMENTS),
            }
            responses.append(
                EvaluationResponse(
                    booking_id=b.pk,
                    questionnaire=ctx.immediate,
                    stage=Questionnaire.Stage.IMMEDIATE,
                    answers=answers,
                    submitted_at=submitted,
                )
            )
        later = session.ends_at + datetime.timedelta(days=rng.uniform(42, 56))
        if later <= ctx.now and rng.random() < P_FOLLOW_UP_EVALUATION:
            responses.append(
                EvaluationResponse(
                    booking_id=b.pk,
                    questionnaire=ctx.follow_up,
                    stage=Questionnaire.Stage.FOLLOW_UP,
                    answers={"used": rating(-0.4), "example": rng.choice(COMMENTS)},
                    submitted_at=later,
                )
            )
    ctx.out.write(EvaluationResponse, responses)


def mark_invitations(ctx: Context, sessions: list[Session], bookings: list[Booking]) -> None:
    """Record that evaluation invitations went out for past sessions with attendees, so that
    send_evaluations never sends them again."""
    attended = {b.session_id for b in bookings if b.attendance == Booking.Attendance.ATTENDED}
    changed = []
    for session in sessions:
        if session.pk not in attended or session.ends_at > ctx.now:
            continue
        session.evaluation_sent_at = session.ends_at + datetime.timedelta(hours=1)
        follow_up = session.ends_at + datetime.timedelta(days=42)
        session.follow_up_sent_at = follow_up if follow_up <= ctx.now else None
        changed.append(session)
    Session.objects.bulk_update(
        changed, ["evaluation_sent_at", "follow_up_sent_at"], batch_size=ctx.out.batch_size
    )
