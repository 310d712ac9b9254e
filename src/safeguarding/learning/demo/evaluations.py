"""The demo's evaluations: answers straight after a session and weeks later."""

from __future__ import annotations

from safeguarding.learning.models import (
    EvaluationResponse,
    Questionnaire,
)

IMMEDIATE_QUESTIONS = [
    {
        "code": "overall",
        "text": "Overall, how would you rate this session?",
        "kind": "rating",
        "required": True,
    },
    {
        "code": "trainer",
        "text": "How well did the trainer know the subject?",
        "kind": "rating",
        "required": True,
    },
    {
        "code": "relevance",
        "text": "How relevant was it to your work?",
        "kind": "rating",
        "required": True,
    },
    {
        "code": "change",
        "text": "What will you do differently after this session?",
        "kind": "text",
        "required": False,
    },
]
FOLLOW_UP_QUESTIONS = [
    {
        "code": "used",
        "text": "How much have you used what you learnt?",
        "kind": "rating",
        "required": True,
    },
    {
        "code": "example",
        "text": "Give an example of a change in your practice.",
        "kind": "text",
        "required": False,
    },
]
COMMENTS = [
    "Check the threshold document before calling the front door.",
    "Talk to the child on their own and write down their words.",
    "Share concerns with the school nurse sooner.",
    "Use the risk matrix with families where there is domestic abuse.",
    "",
]


def write_evaluations(partnership, attended, rng) -> None:
    immediate = Questionnaire.objects.filter(partnership=partnership, stage="immediate").first()
    if immediate is None:
        immediate = Questionnaire.objects.create(
            partnership=partnership,
            name="After the session",
            stage="immediate",
            questions=IMMEDIATE_QUESTIONS,
            is_default=True,
        )
    follow_up = Questionnaire.objects.filter(partnership=partnership, stage="follow_up").first()
    if follow_up is None:
        follow_up = Questionnaire.objects.create(
            partnership=partnership,
            name="Six to eight weeks later",
            stage="follow_up",
            questions=FOLLOW_UP_QUESTIONS,
            is_default=True,
        )
    responses = []
    for booking in attended:
        if rng.random() < 0.7:
            answers = {
                q["code"]: rng.choice([3, 4, 4, 5, 5])
                for q in immediate.questions
                if q["kind"] == "rating"
            }
            answers.update(
                {
                    q["code"]: rng.choice(COMMENTS)
                    for q in immediate.questions
                    if q["kind"] == "text"
                }
            )
            responses.append(
                EvaluationResponse(
                    booking=booking, questionnaire=immediate, stage="immediate", answers=answers
                )
            )
        if rng.random() < 0.3:
            answers = {"used": rng.choice([2, 3, 4, 4, 5]), "example": rng.choice(COMMENTS)}
            answers = {
                q["code"]: answers.get(q["code"], "")
                for q in follow_up.questions
                if q["code"] in answers
            } or answers
            responses.append(
                EvaluationResponse(
                    booking=booking, questionnaire=follow_up, stage="follow_up", answers=answers
                )
            )
    EvaluationResponse.objects.bulk_create(responses, batch_size=1000)
