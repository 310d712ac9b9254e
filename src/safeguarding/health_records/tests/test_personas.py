"""Only the right people see named children: the analysts of the agency that ran the linkage,
and the team a child is allocated to. Not the business unit, a practitioner, a board member or
another agency's analyst; the board and business unit see counts with small numbers suppressed."""

from __future__ import annotations

import pytest
from django.test import Client
from django.urls import reverse

from safeguarding.conftest import signed_in
from safeguarding.core.models import AuditEntry
from safeguarding.health_records.models import ReviewPair, WorklistItem

pytestmark = pytest.mark.django_db


def _named_urls(run):
    pair = ReviewPair.objects.get(run=run)
    item = WorklistItem.objects.get(record_id="G3")
    return {
        "run": reverse("health_records:run_detail", args=[run.pk]),
        "import": reverse("health_records:import_report", args=[run.pk, "gp"]),
        "review_pair": reverse("health_records:review_pair", args=[pair.pk]),
        "worklist_item": reverse("health_records:worklist_item", args=[item.pk]),
    }


NAMED_PAGES = [
    reverse("health_records:review_list"),
    reverse("health_records:worklist"),
    reverse("health_records:run_new"),
]


def test_analyst_of_the_running_agency_sees_the_named_children(hr_saved_run, hr_analyst):
    client = signed_in(Client(), hr_analyst)
    for url in [*_named_urls(hr_saved_run).values(), *NAMED_PAGES]:
        assert client.get(url).status_code == 200, url
    assert "Cleo Cole" in client.get(reverse("health_records:worklist")).content.decode()


@pytest.mark.parametrize("persona", ["hr_other_analyst", "admin", "practitioner_b", "board_member"])
def test_others_cannot_see_the_named_children(request, hr_saved_run, persona):
    user = request.getfixturevalue(persona)
    client = signed_in(Client(), user)
    for name, url in _named_urls(hr_saved_run).items():
        assert client.get(url).status_code == 404, name
    for url in NAMED_PAGES:
        response = client.get(url)
        if persona == "hr_other_analyst":
            # Their own agency's (empty) lists: none of agency B's children.
            assert response.status_code == 200, url
            text = response.content.decode()
            assert "Cleo" not in text and "Benjamin" not in text, url
        else:
            assert response.status_code == 403, url
    if persona == "hr_other_analyst":
        text = client.get(reverse("health_records:index")).content.decode()
        assert reverse("health_records:run_detail", args=[hr_saved_run.pk]) not in text


def test_practitioner_in_other_agency_gets_404(hr_saved_run, practitioner_a):
    client = signed_in(Client(), practitioner_a)
    for url in _named_urls(hr_saved_run).values():
        assert client.get(url).status_code == 404


def test_team_sees_only_its_own_allocated_children(
    hr_saved_run, hr_health_visitor, hr_south_visitor
):
    north = signed_in(Client(), hr_health_visitor)
    text = north.get(reverse("health_records:worklist")).content.decode()
    assert "Cleo Cole" in text and "Eve East" in text  # both allocated to the North team
    assert "Dan Dale" not in text  # not allocated: the analysts' to place
    urls = _named_urls(hr_saved_run)
    assert north.get(urls["worklist_item"]).status_code == 200
    assert north.get(urls["run"]).status_code == 404
    assert north.get(urls["review_pair"]).status_code == 404
    assert north.get(reverse("health_records:index")).status_code == 403

    south = signed_in(Client(), hr_south_visitor)
    assert south.get(reverse("health_records:worklist")).status_code == 403
    assert south.get(urls["worklist_item"]).status_code == 404


def test_board_and_business_unit_see_counts_with_small_numbers_suppressed(
    hr_saved_run, board_member, admin, hr_analyst
):
    for user in (board_member, admin):
        client = signed_in(Client(), user)
        index = client.get(reverse("health_records:index")).content.decode()
        assert "fewer than 5" in index
        assert "Cleo" not in index
        breakdown = client.get(reverse("health_records:breakdowns")).content.decode()
        assert "fewer than 5" in breakdown and "Cleo" not in breakdown
    analyst = signed_in(Client(), hr_analyst).get(reverse("health_records:breakdowns"))
    assert "fewer than 5" not in analyst.content.decode()


def test_every_view_of_a_named_child_is_audited(hr_saved_run, hr_analyst):
    client = signed_in(Client(), hr_analyst)
    before = AuditEntry.objects.count()
    urls = _named_urls(hr_saved_run)
    client.get(urls["review_pair"])
    client.get(urls["worklist_item"])
    client.get(reverse("health_records:review_list"))
    actions = list(AuditEntry.objects.order_by("pk")[before:].values_list("action", "actor_email"))
    assert ("health_records.reviewpair.viewed", hr_analyst.email) in actions
    assert ("health_records.worklistitem.viewed", hr_analyst.email) in actions
    assert actions.count(("health_records.reviewpair.viewed", hr_analyst.email)) == 2
