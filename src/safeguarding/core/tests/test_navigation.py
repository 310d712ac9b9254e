"""One registry of navigation: each persona's header and home page offer exactly what that
persona may open, whichever app contributes it, and an app that contributes nothing breaks
nothing."""

from __future__ import annotations

import re

import pytest
from django.test import Client, RequestFactory
from django.urls import reverse

from safeguarding.conftest import signed_in
from safeguarding.core import navigation
from safeguarding.people import services
from safeguarding.people.models import Role

pytestmark = pytest.mark.django_db

EVERYONE = [
    ("Home", "/"),
    ("Agencies", reverse("people:agency-list")),
    ("Training", reverse("learning:programme")),
    ("People", reverse("people:person-list")),
]
HEALTH_RECORDS = ("Health records", reverse("health_records:index"))
RISK_TOOL = ("Risk tool", reverse("risk:home"))
RISK_FIGURES = ("Risk tool", reverse("risk:insight"))
AUDIT = ("Audit trail", reverse("people:audit"))

YOUR_WORK = ["Agencies", "People", "Your account"]
BUSINESS_UNIT = [
    "Account requests",
    "Import agencies",
    "Import people",
    "Courses and sessions",
    "Training pool",
    "Training charges",
    "Training statistics",
    "Evaluation results",
]


def _header(page: str) -> list[tuple[str, str]]:
    menu = page.split('id="navigation">')[1].split("</ul>")[0]
    return [(label, url) for url, label in re.findall(r'href="([^"]*)"[^>]*>([^<]*)</a>', menu)]


def _cards(page: str) -> dict[str, list[str]]:
    sections: dict[str, list[str]] = {}
    for part in page.split('<h2 class="govuk-heading-l">')[1:]:
        name = part.split("</h2>")[0]
        sections[name] = re.findall(r'class="app-card__title"><a [^>]*>([^<]*)</a>', part)
    return sections


def _home(user) -> str:
    return signed_in(Client(), user).get("/").content.decode()


@pytest.fixture
def analyst(agency_b):
    return services.person_create(
        email="cara.analyst@health.example",
        given_name="Cara",
        family_name="Analyst",
        agency=agency_b,
        roles=[Role.HEALTH_RECORDS_ANALYST],
        password="correct horse battery staple",
    )


@pytest.mark.parametrize(
    ("persona", "links", "cards"),
    [
        (
            "admin",
            [*EVERYONE, HEALTH_RECORDS, RISK_FIGURES],
            {"Your work": YOUR_WORK, "Business unit": BUSINESS_UNIT},
        ),
        ("auditor", [*EVERYONE, AUDIT], {"Your work": [*YOUR_WORK, "Audit trail"]}),
        ("practitioner_a", [*EVERYONE, RISK_TOOL], {"Your work": YOUR_WORK}),
        ("practitioner_b", [*EVERYONE, RISK_TOOL], {"Your work": YOUR_WORK}),
        ("line_manager_a", [*EVERYONE, RISK_TOOL], {"Your work": YOUR_WORK}),
        ("board_member", [*EVERYONE, HEALTH_RECORDS, RISK_FIGURES], {"Your work": YOUR_WORK}),
        ("analyst", [*EVERYONE, HEALTH_RECORDS], {"Your work": YOUR_WORK}),
    ],
)
def test_each_persona_sees_exactly_the_links_and_cards_they_may_open(
    request, persona, links, cards
):
    user = request.getfixturevalue(persona)
    page = _home(user)
    assert _header(page) == links
    assert _cards(page) == cards
    client = signed_in(Client(), user)
    for _label, url in links:
        assert client.get(url).status_code == 200, url


def test_the_business_unit_can_open_every_card_it_is_offered(admin):
    client = signed_in(Client(), admin)
    urls = re.findall(r'class="app-card__title"><a [^>]*href="([^"]*)"', _home(admin))
    assert len(urls) == len(YOUR_WORK) + len(BUSINESS_UNIT)
    for url in urls:
        assert client.get(url).status_code == 200, url


def test_the_django_admin_card_is_offered_only_to_staff_who_can_open_it(admin):
    assert "Django admin" not in _home(admin)  # the business unit is not Django staff
    admin.is_staff = True
    admin.save(update_fields=["is_staff"])
    page = _home(admin)
    assert _cards(page)["Business unit"][-1] == "Django admin"
    assert signed_in(Client(), admin).get("/admin/").status_code == 200


def test_the_current_link_is_marked_and_home_is_the_current_page(practitioner_a):
    client = signed_in(Client(), practitioner_a)
    home = client.get("/").content.decode()
    assert home.count('aria-current="page"') == 1
    assert 'href="/" aria-current="page">Home</a>' in home
    people = client.get(reverse("people:person-list")).content.decode()
    menu = people.split('id="navigation">')[1].split("</ul>")[0]
    assert re.findall(r"item--active\">\s*<a [^>]*>([^<]*)</a>", menu) == ["People"]
    assert 'aria-current="page"' not in menu


def test_signed_out_visitors_get_no_navigation_and_no_cards(client):
    page = client.get("/").content.decode()
    assert 'id="navigation"' not in page
    assert "app-card" not in page


def test_an_app_that_registers_nothing_breaks_nothing(monkeypatch, practitioner_a):
    before = _home(practitioner_a)
    monkeypatch.setattr(navigation, "_links", [*navigation._links, lambda request: []])
    monkeypatch.setattr(navigation, "_cards", [*navigation._cards, lambda request: ()])
    after = _home(practitioner_a)
    assert _header(after) == _header(before) and _cards(after) == _cards(before)


def test_apps_without_a_navigation_module_are_skipped(monkeypatch, practitioner_a):
    # safeguarding.api has no navigation module; discovery must pass over it (and core's own).
    monkeypatch.setattr(navigation, "_discovered", False)
    navigation.discover()
    request = RequestFactory().get("/")
    request.user = practitioner_a
    assert [item.label for item in navigation.navigation_for(request)] == [
        label for label, _ in [*EVERYONE, RISK_TOOL]
    ]
