"""The subtraction attack on the risk tool's board page: the tables by month, agency, sector and
level each add up to the one total shown above them, and the reviews to the number due. The data
is built to leak: one adult checklist (1) beside five children's matrices (5), a total of 6.
Before issue 9 the page showed "fewer than 5", "withheld" and the total 6: "withheld" is 0 or 5
and over, so the pair could only be 1 + 5 (core/tests/test_suppression.py
`test_attacker_uses_what_withheld_means` shows the attacker finding it)."""

from __future__ import annotations

import re

import pytest
from django.test import Client
from django.urls import reverse

from safeguarding.conftest import signed_in
from safeguarding.core.tests.suppression_attack import attack, html_tables
from safeguarding.risk.tests.journey_fixtures import journey_dash, journey_household, journey_matrix

pytestmark = pytest.mark.django_db

TABLES = ["By month", "By agency", "By sector", "By level, with referral rates"]


def test_no_hidden_count_can_be_worked_out_from_the_board_page(practitioner_a, admin):
    household = journey_household(practitioner_a)
    for _ in range(5):
        journey_matrix(practitioner_a, household=household)
    journey_dash(practitioner_a, yes=15, confirm=True)
    page = signed_in(Client(), admin).get(reverse("risk:insight")).content.decode()
    total = re.search(r"Identifications completed: ([^<]+)<", page).group(1).strip()
    shown: dict = {"total": total}
    equations = []
    tables = {table.caption: table for table in html_tables(page)}
    for caption in TABLES:
        keys = []
        for i, (_, cells) in enumerate(tables[caption].rows):
            shown[(caption, i)] = cells[0]
            keys.append((caption, i))
        equations.append((keys, "total"))
    reviews = tables["Reviews due in the period"]
    for name in ("Due", "Done on time", "Done late", "Not done"):
        shown[name] = reviews.row(name)[0]
    equations.append((["Done on time", "Done late", "Not done"], "Due"))
    assert "fewer than 5" in shown.values()
    assert attack(shown, equations) == []
