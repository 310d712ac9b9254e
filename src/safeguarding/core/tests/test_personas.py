"""Every URL, visited by every persona, answers as its app's persona table says.

Each app describes its URLs in `<app>/tests/persona_urls.py` as `ROUTES = {url name: Route(...)}`.
`test_every_url_has_a_persona_expectation` fails when a URL is added without one, so a new module
cannot forget to say who may see its pages.
"""

from __future__ import annotations

import importlib

import pytest
from django.apps import apps
from django.urls import URLPattern, URLResolver, get_resolver, reverse

from safeguarding.core.tests.personas import PERSONAS, Route

SKIPPED_NAMESPACES = {"admin"}  # the Django admin: staff only, covered by test_admin_is_staff_only


def _named_urls(resolver=None, namespace="") -> set[str]:
    names = set()
    for pattern in (resolver or get_resolver()).url_patterns:
        if isinstance(pattern, URLResolver):
            inner = f"{namespace}{pattern.namespace}:" if pattern.namespace else namespace
            if pattern.namespace not in SKIPPED_NAMESPACES:
                names |= _named_urls(pattern, inner)
        elif isinstance(pattern, URLPattern) and pattern.name:
            names.add(f"{namespace}{pattern.name}")
    return names


def _all_routes() -> dict[str, Route]:
    routes: dict[str, Route] = {}
    for config in apps.get_app_configs():
        if not config.name.startswith("safeguarding."):
            continue
        try:
            module = importlib.import_module(f"{config.name}.tests.persona_urls")
        except ModuleNotFoundError:
            continue
        routes.update(module.ROUTES)
    return routes


ROUTES = _all_routes()


def test_every_url_has_a_persona_expectation():
    missing = _named_urls() - set(ROUTES)
    assert not missing, f"URLs without persona expectations: {sorted(missing)}"


def test_every_expectation_names_every_persona():
    for name, route in ROUTES.items():
        assert set(route.expect) == set(PERSONAS), name


@pytest.mark.django_db
@pytest.mark.parametrize("name", sorted(ROUTES))
def test_url_answers_each_persona_as_expected(name, personas, world):
    route = ROUTES[name]
    url = reverse(name, args=route.args(world)) + route.query
    seen = {}
    for persona in PERSONAS:
        response = personas[persona].get(url)
        seen[persona] = response.status_code
        if persona == "anonymous" and route.expect[persona] == 302 and not route.public:
            assert response["Location"].startswith("/sign-in/?next="), name
    assert seen == route.expect, f"{name} {url}"


POST_ROUTES = sorted(name for name, route in ROUTES.items() if route.post)


@pytest.mark.django_db
@pytest.mark.parametrize("name", POST_ROUTES)
def test_post_only_url_lets_only_the_right_personas_act(name, personas, world):
    route = ROUTES[name]
    url = reverse(name, args=route.args(world)) + route.query
    seen = {}
    for persona in PERSONAS:
        seen[persona] = personas[persona].post(url).status_code
    assert seen == route.post, f"{name} {url}"


def test_every_post_only_url_says_who_may_post():
    for name, route in ROUTES.items():
        if set(route.expect.values()) - {302} == {405}:
            assert route.post is not None, f"{name} is POST-only: give its post expectations"


@pytest.mark.django_db
def test_admin_is_staff_only(personas):
    chain = personas["anonymous"].get("/admin/", follow=True).redirect_chain
    assert chain[-1][0].startswith("/sign-in/?next=")
    response = personas["practitioner_a"].get("/admin/", follow=True)
    assert response.status_code == 403
