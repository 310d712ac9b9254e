"""Learning's links and home-page cards: the training programme for everyone, and the business
unit's courses, training pool, charges, statistics and evaluation results (see core.navigation)."""

from __future__ import annotations

from django.urls import reverse

from safeguarding.core import navigation
from safeguarding.core.navigation import Card, Link
from safeguarding.people.permissions import is_business_unit

BUSINESS_UNIT = "Business unit"


@navigation.links
def links(request) -> list[Link]:
    programme = reverse("learning:programme")
    return [Link("Training", programme, order=20, prefix=programme)]


@navigation.cards
def cards(request) -> list[Card]:
    if not is_business_unit(request.user):
        return []
    return [
        Card(
            BUSINESS_UNIT,
            "Courses and sessions",
            reverse("learning:course-admin-list"),
            "Publish courses, schedule sessions and cancel them.",
            order=100,
        ),
        Card(
            BUSINESS_UNIT,
            "Training pool",
            reverse("learning:training-pool"),
            "Trainers' accreditations, trainer-days and free places.",
            order=110,
        ),
        Card(
            BUSINESS_UNIT,
            "Training charges",
            reverse("learning:charges"),
            "Lines to invoice per agency, as CSV or XLSX.",
            order=120,
        ),
        Card(
            BUSINESS_UNIT,
            "Training statistics",
            reverse("learning:statistics"),
            "Courses, attendances and evaluations for any period.",
            order=130,
        ),
        Card(
            BUSINESS_UNIT,
            "Evaluation results",
            reverse("learning:evaluation-results"),
            "What attendees said, per course, session and trainer.",
            order=140,
        ),
    ]
