"""People's links and home-page cards: agencies, people, your account, account requests, imports,
the audit trail and the Django admin (see core.navigation)."""

from __future__ import annotations

from django.urls import reverse

from safeguarding.core import navigation
from safeguarding.core.navigation import Card, Link
from safeguarding.people.permissions import VIEW_AUDIT, can, is_business_unit

YOUR_WORK = "Your work"
BUSINESS_UNIT = "Business unit"


@navigation.links
def links(request) -> list[Link]:
    agencies, people = reverse("people:agency-list"), reverse("people:person-list")
    found = [
        Link("Agencies", agencies, order=10, prefix=agencies),
        Link("People", people, order=30, prefix=people),
    ]
    if can(request.user, VIEW_AUDIT):
        audit = reverse("people:audit")
        found.append(Link("Audit trail", audit, order=60, prefix=audit))
    return found


@navigation.cards
def cards(request) -> list[Card]:
    user = request.user
    found = [
        Card(
            YOUR_WORK,
            "Agencies",
            reverse("people:agency-list"),
            "The partner agencies in the partnership and their contact details.",
            order=10,
        ),
        Card(
            YOUR_WORK,
            "People",
            reverse("people:person-list"),
            "The directory of practitioners and staff in partner agencies.",
            order=20,
        ),
        Card(
            YOUR_WORK,
            "Your account",
            reverse("people:account"),
            "Your details, your password and two-factor authentication.",
            order=30,
        ),
    ]
    if can(user, VIEW_AUDIT):
        found.append(
            Card(
                YOUR_WORK,
                "Audit trail",
                reverse("people:audit"),
                "Who viewed or changed which record, when, and from where.",
                order=40,
            )
        )
    if is_business_unit(user):
        found += [
            Card(
                BUSINESS_UNIT,
                "Account requests",
                reverse("people:registration-list"),
                "Approve or decline requests for an account from people in partner agencies.",
                order=10,
            ),
            Card(
                BUSINESS_UNIT,
                "Import agencies",
                reverse("people:agency-import"),
                "Add or update partner agencies from a spreadsheet (CSV file).",
                order=20,
            ),
            Card(
                BUSINESS_UNIT,
                "Import people",
                reverse("people:person-import"),
                "Add or update people from a spreadsheet (CSV file).",
                order=30,
            ),
        ]
    if user.is_active and user.is_staff:  # the Django admin lets staff accounts in, no others
        found.append(
            Card(
                BUSINESS_UNIT,
                "Django admin",
                reverse("admin:index"),
                "Reference data and settings that have no page of their own yet.",
                order=1000,
            )
        )
    return found
