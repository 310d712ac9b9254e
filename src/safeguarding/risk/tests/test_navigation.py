"""Nobody has to know an address: the risk tool's landing pages link to the pages each person may
use (identifications, the board's figures, calibration), and pages offer only actions the person
may take."""

from __future__ import annotations

import pytest
from django.test import Client
from django.urls import reverse

from safeguarding.conftest import signed_in
from safeguarding.risk.tests.journey_fixtures import journey_household

pytestmark = pytest.mark.django_db

HOME = reverse("risk:home")
INSIGHT = reverse("risk:insight")
CALIBRATION = reverse("risk:calibration-home")
RESULTS = reverse("risk:calibration-results")


def _links(user, url) -> set[str]:
    page = signed_in(Client(), user).get(url).content.decode()
    nav = page.split('aria-label="Risk tool"')[1].split("</nav>")[0] if 'Risk tool"' in page else ""
    return {target for target in (HOME, INSIGHT, CALIBRATION, RESULTS) if f'href="{target}"' in nav}


def test_business_unit_reaches_calibration_and_its_results_from_the_figures(admin):
    assert _links(admin, INSIGHT) == {INSIGHT, CALIBRATION, RESULTS}
    assert _links(admin, CALIBRATION) == {INSIGHT, CALIBRATION, RESULTS}
    page = signed_in(Client(), admin).get(CALIBRATION).content.decode()
    assert "Create an exercise" in page and "Vignettes (" in page


def test_board_member_reaches_calibration_results_from_the_figures(board_member):
    assert _links(board_member, INSIGHT) == {INSIGHT, RESULTS}
    page = signed_in(Client(), board_member).get(CALIBRATION).content.decode()
    assert "You are not taking part" not in page


def test_practitioner_taking_part_is_sent_to_the_vignettes_to_rate(
    practitioner_a, calibration_exercise
):
    assert _links(practitioner_a, HOME) == {HOME, CALIBRATION}
    page = signed_in(Client(), practitioner_a).get(HOME).content.decode()
    assert "Calibration vignettes to rate" in page
    assert reverse("risk:calibration-exercise", args=[calibration_exercise.pk]) in page
    assert "you have rated 0 of 2" in page


def test_practitioner_not_taking_part_sees_no_calibration_or_board_links(practitioner_b):
    assert _links(practitioner_b, HOME) == set()  # one page only: no navigation needed
    page = signed_in(Client(), practitioner_b).get(HOME).content.decode()
    assert CALIBRATION not in page and INSIGHT not in page


def test_line_manager_sees_a_team_household_without_actions_they_cannot_take(
    practitioner_a, line_manager_a
):
    from safeguarding.risk.tests.journey_fixtures import journey_matrix

    identification = journey_matrix(practitioner_a)
    household = identification.household
    client = signed_in(Client(), line_manager_a)
    page = client.get(reverse("risk:household-detail", args=[household.pk])).content.decode()
    assert reverse("risk:member-add", args=[household.pk]) not in page
    assert reverse("risk:start", args=[household.pk]) not in page
    assert "Only they, or a safeguarding lead in Testshire Police, can add people" in page
    assert client.get(reverse("risk:member-add", args=[household.pk])).status_code == 403
    assert client.get(reverse("risk:start", args=[household.pk])).status_code == 403
    # What the line manager does do is offered: record the outcome, a review, a share.
    page = client.get(
        reverse("risk:identification-detail", args=[identification.pk])
    ).content.decode()
    assert reverse("risk:outcome", args=[identification.pk]) in page
    assert client.get(reverse("risk:outcome", args=[identification.pk])).status_code == 200


def test_practitioner_who_recorded_the_household_is_offered_its_actions(practitioner_a):
    household = journey_household(practitioner_a)
    page = (
        signed_in(Client(), practitioner_a)
        .get(reverse("risk:household-detail", args=[household.pk]))
        .content.decode()
    )
    assert reverse("risk:member-add", args=[household.pk]) in page
    assert reverse("risk:start", args=[household.pk]) in page


def test_a_safeguarding_lead_may_act_in_a_household_of_their_agency(
    practitioner_a, safeguarding_lead_a
):
    household = journey_household(practitioner_a)
    client = signed_in(Client(), safeguarding_lead_a)
    page = client.get(reverse("risk:household-detail", args=[household.pk])).content.decode()
    assert reverse("risk:start", args=[household.pk]) in page
    assert client.get(reverse("risk:start", args=[household.pk])).status_code == 200
