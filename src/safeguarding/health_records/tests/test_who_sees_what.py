"""The privacy notice, the README and the health records page say exactly who sees named children
from the health records check (health_records/access.py decides it; the persona tests prove it):
the analysts of the agency that ran the check see them all, a health visiting team sees only the
children allocated to it, the business unit and board members see figures only."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from django.urls import reverse

from safeguarding.conftest import signed_in

REPO = Path(__file__).resolve().parents[4]


def _words(html: str) -> str:
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", html)).strip()


PRIVACY_STATEMENT = [
    "Named children from the health records check (the children found on one list and not the "
    "other, the pairs to review and the files of each run) are seen only by the health records "
    "analysts of the agency that ran the check, not by the business unit, the platform’s "
    "administrators or analysts in other agencies.",
    "A child allocated to a health visiting team to follow up is also seen by the members of "
    "that team, who see only the children allocated to their team.",
    "The business unit and board members see the check’s figures only, with numbers under 5 "
    "hidden so that no child can be identified. Nobody else sees the check.",
]


@pytest.mark.parametrize("sentence", PRIVACY_STATEMENT)
def test_privacy_notice_says_who_sees_named_children(client, sentence):
    text = _words(client.get(reverse("core:privacy")).content.decode())
    assert sentence in text


def test_readme_says_who_sees_named_children():
    text = " ".join((REPO / "README.md").read_text(encoding="utf-8").split())
    assert "Only health records analysts see named children; everyone else sees counts." not in text
    assert (
        "Named children (the runs and their files, the pairs to review, the whole worklist) are "
        "seen only by the health records analysts of the agency that ran the linkage: not the "
        "business unit, not a superuser, not an analyst in another agency. The members of a "
        "health visiting team see the worklist entries allocated to their team and record what "
        "they did; the business unit and board members see the counts only, with numbers under 5 "
        "suppressed; nobody else sees the check." in text
    )


def test_index_page_says_who_sees_what(client, hr_analyst):
    signed_in(client, hr_analyst)
    text = _words(client.get(reverse("health_records:index")).content.decode())
    assert "everyone else sees the numbers only" not in text
    assert (
        "Health records analysts see each child found and allocate them to health visiting "
        "teams, whose members see only the children allocated to their team. The business unit "
        "and board members see the numbers only." in text
    )
