"""Fixtures and builders for the journey tests (imported by risk/tests/conftest.py)."""

from __future__ import annotations

import pytest

# Journey: households and identifications ----------------------------------------------------


def journey_household(practitioner, *, children=(("Ava", "2010-05-01"),)):
    """A household recorded by `practitioner`, with an adult victim, an abuser and children."""
    import datetime

    from safeguarding.risk.models import HouseholdMember
    from safeguarding.risk.services.households import household_create, household_member_add

    agency = practitioner.memberships.first().agency
    household = household_create(
        agency=agency, address="1 Synthetic Row\nTestford", postcode="te1 2ab", actor=practitioner
    )
    household_member_add(
        household=household,
        role=HouseholdMember.Role.ADULT_VICTIM,
        given_name="Sam",
        family_name="Example",
        date_of_birth=datetime.date(1985, 1, 2),
        actor=practitioner,
    )
    household_member_add(
        household=household,
        role=HouseholdMember.Role.ADULT_ABUSER,
        given_name="Alex",
        family_name="Example",
        date_of_birth=datetime.date(1983, 3, 4),
        actor=practitioner,
    )
    for name, dob in children:
        household_member_add(
            household=household,
            role=HouseholdMember.Role.CHILD,
            given_name=name,
            family_name="Example",
            date_of_birth=datetime.date.fromisoformat(dob),
            actor=practitioner,
        )
    return household


MATRIX_SCALE_2 = {
    "child_under_7": "no",
    "special_needs": "no",
    "pregnancy_or_baby_under_1": "no",
    "ch_witnessed": "yes",
    "pf_safe_adult": "yes",
}


def journey_dash_answers(yes: int, **extra) -> dict:
    from safeguarding.risk.instruments import get_instrument

    codes = [q.code for q in get_instrument("dash-2009").questions if q.kind == "indicator"]
    answers = {code: "yes" if n < yes else "no" for n, code in enumerate(codes)}
    answers["children_in_household"] = "yes"
    answers.update(extra)
    return answers


def journey_matrix(practitioner, answers=None, *, confirm=True, household=None):
    """A children's matrix identification by `practitioner`, answered (scale 2 by default) and,
    unless confirm=False, confirmed at the suggested level."""
    from safeguarding.risk.selectors.identifications import evaluate
    from safeguarding.risk.services.identifications import (
        identification_answers_save,
        identification_confirm,
        identification_start,
    )

    household = household or journey_household(practitioner)
    children = [m for m in household.members.all() if m.is_child]
    identification = identification_start(
        household=household,
        instrument_code="children-da-matrix",
        children=children,
        actor=practitioner,
    )
    identification = identification_answers_save(
        identification=identification, answers=answers or MATRIX_SCALE_2, actor=practitioner
    )
    if confirm:
        suggested = evaluate(identification).level.value
        identification = identification_confirm(
            identification=identification, level=suggested, rationale="", actor=practitioner
        )
    return identification


def journey_dash(practitioner, yes=5, *, confirm=False, **extra):
    from safeguarding.risk.selectors.identifications import evaluate
    from safeguarding.risk.services.identifications import (
        identification_answers_save,
        identification_confirm,
        identification_start,
    )

    household = journey_household(practitioner)
    subject = household.members.get(role="adult_victim")
    identification = identification_start(
        household=household, instrument_code="dash-2009", subject=subject, actor=practitioner
    )
    identification = identification_answers_save(
        identification=identification,
        answers=journey_dash_answers(yes, **extra),
        actor=practitioner,
    )
    if confirm:
        suggested = evaluate(identification).level.value
        identification = identification_confirm(
            identification=identification, level=suggested, rationale="", actor=practitioner
        )
    return identification


@pytest.fixture
def journey_done(practitioner_a):
    return journey_matrix(practitioner_a)


@pytest.fixture
def safeguarding_lead_a(agency_a):
    from safeguarding.people import services
    from safeguarding.people.models import Role

    return services.person_create(
        email="sal.lead@police.example",
        given_name="Sal",
        family_name="Lead",
        agency=agency_a,
        roles=[Role.PRACTITIONER, Role.SAFEGUARDING_LEAD],
        password="correct horse battery staple",
        job_title="Safeguarding lead",
    )
