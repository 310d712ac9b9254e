"""Fixtures and builders for the calibration tests (imported by risk/tests/conftest.py).

Two published vignettes on the children's matrix, with the expert's answers:
- "The Ashdown family": violence getting worse, the children have seen it, a child under 7
  (scale 2 raised to 3). Expert level 3.
- "The Brook family": a few minor incidents, a parent who recognises the effect (scale 1).
  Expert level 1.
"""

from __future__ import annotations

import datetime

import pytest

MATRIX = "children-da-matrix"
BASE_ANSWERS = {"pregnancy_or_baby_under_1": "no", "child_under_7": "no", "special_needs": "no"}
ASHDOWN = {**BASE_ANSWERS, "ev_increasing": "yes", "ch_witnessed": "yes", "child_under_7": "yes"}
BROOK = {**BASE_ANSWERS, "ev_minor_incidents": "yes", "np_seeks_help": "yes"}


def make_vignette(partnership, author, title, answers, level, rationale="The expert's reasons."):
    from safeguarding.risk.calibration import services
    from safeguarding.risk.instruments import get_instrument

    inst = get_instrument(MATRIX)
    vignette = services.vignette_create(
        partnership=partnership,
        instrument_code=MATRIX,
        instrument_version=inst.version,
        title=title,
        story=f"{title}: a fictional family known to several agencies.",
        actor=author,
    )
    services.vignette_set_expert(
        vignette=vignette, answers=answers, level=level, rationale=rationale, actor=author
    )
    return services.vignette_publish(vignette=vignette, actor=author)


def make_exercise(
    partnership,
    admin,
    vignettes,
    participants,
    *,
    title="Spring calibration",
    held_on=None,
    open_it=True,
):
    from safeguarding.risk.calibration import services

    exercise = services.exercise_create(
        partnership=partnership,
        title=title,
        held_on=held_on or datetime.date(2014, 3, 12),
        instrument_code=MATRIX,
        vignettes=vignettes,
        actor=admin,
    )
    if participants:
        services.exercise_participants_add(exercise=exercise, people=participants, actor=admin)
    if open_it:
        services.exercise_open(exercise=exercise, actor=admin)
    return exercise


def calibration_world(world: dict) -> dict:
    """Objects for the persona tables, made once per test on first use: an open exercise with
    practitioner_a taking part (and a rating of Ashdown), a closed one, and a draft vignette."""
    if "calibration_exercise" in world:
        return world
    from safeguarding.people.models import Role, User
    from safeguarding.risk.calibration import services

    partnership = world["agency_a"].partnership
    admin = User.objects.filter(memberships__role_grants__role=Role.ADMIN).first()
    ashdown = make_vignette(partnership, admin, "The Ashdown family", ASHDOWN, 3)
    brook = make_vignette(partnership, admin, "The Brook family", BROOK, 1)
    exercise = make_exercise(partnership, admin, [ashdown, brook], [world["practitioner_a"]])
    rating = services.rating_submit(
        exercise=exercise,
        vignette=ashdown,
        rater=world["practitioner_a"],
        answers=ASHDOWN,
        chosen_level=3,
        actor=world["practitioner_a"],
    )
    draft = services.vignette_create(
        partnership=partnership,
        instrument_code=MATRIX,
        instrument_version=ashdown.instrument_version,
        title="The Carter family",
        story="Not finished.",
        actor=admin,
    )
    world.update(
        calibration_exercise=exercise,
        calibration_ashdown=ashdown,
        calibration_brook=brook,
        calibration_rating=rating,
        calibration_draft=draft,
    )
    return world


@pytest.fixture
def calibration_vignettes(partnership, admin):
    return (
        make_vignette(partnership, admin, "The Ashdown family", ASHDOWN, 3),
        make_vignette(partnership, admin, "The Brook family", BROOK, 1),
    )


@pytest.fixture
def calibration_exercise(partnership, admin, calibration_vignettes, practitioner_a):
    """An open exercise with both vignettes; practitioner_a takes part."""
    return make_exercise(partnership, admin, list(calibration_vignettes), [practitioner_a])
