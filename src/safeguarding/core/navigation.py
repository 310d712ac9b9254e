"""One registry of navigation: each app contributes the service-navigation links (the header) and
the home-page cards its users may open.

An app declares them in its own `navigation.py`, as functions of the request that return only what
this user may open:

    from safeguarding.core import navigation

    @navigation.links
    def links(request):
        return [navigation.Link("Training", reverse("learning:programme"), order=20)]

    @navigation.cards
    def cards(request):
        return [navigation.Card("Your work", "Agencies", url, "The partner agencies...", order=10)]

The registry imports each installed app's `navigation` module through the app registry the first
time it is read, so core imports no app. An app with no `navigation` module, or whose functions
return nothing, adds nothing.
"""

from __future__ import annotations

import importlib
from collections.abc import Callable, Iterable
from dataclasses import dataclass

from django.apps import apps
from django.urls import reverse

# The home page's sections, in this order; a section no app has cards for is not shown. A section
# not named here comes after these.
SECTIONS = ("Your work", "Business unit")


@dataclass(frozen=True)
class Link:
    """A link in the service navigation. It is shown as the current one when the page's path
    starts with `prefix`, or, without a prefix, when the page is the link's own (and then it is
    marked aria-current="page")."""

    label: str
    url: str
    order: int = 100
    prefix: str = ""

    def is_active(self, path: str) -> bool:
        return path.startswith(self.prefix) if self.prefix else path == self.url

    def is_page(self, path: str) -> bool:
        return not self.prefix and path == self.url


@dataclass(frozen=True)
class Card:
    """A card on the signed-in home page."""

    section: str
    title: str
    url: str
    description: str
    order: int = 100


@dataclass(frozen=True)
class NavigationItem:
    """A link as the template shows it."""

    label: str
    url: str
    active: bool
    current_page: bool


LinksFunction = Callable[[object], Iterable[Link]]
CardsFunction = Callable[[object], Iterable[Card]]

_links: list[LinksFunction] = []
_cards: list[CardsFunction] = []
_discovered = False


def links(function: LinksFunction) -> LinksFunction:
    """Register `function(request)`, which returns the links this user may open."""
    if function not in _links:
        _links.append(function)
    return function


def cards(function: CardsFunction) -> CardsFunction:
    """Register `function(request)`, which returns the home-page cards this user may open."""
    if function not in _cards:
        _cards.append(function)
    return function


def discover() -> None:
    """Import every installed app's `navigation` module once (they register themselves)."""
    global _discovered
    if _discovered:
        return
    for config in apps.get_app_configs():
        name = f"{config.name}.navigation"
        if name == __name__:
            continue
        try:
            importlib.import_module(name)
        except ModuleNotFoundError as error:
            if error.name != name:
                raise
    _discovered = True


@links
def _home(request) -> list[Link]:
    return [Link("Home", reverse("core:home"), order=0)]


def navigation_for(request) -> list[NavigationItem]:
    """The service navigation for this request's user, in order, with the current link marked."""
    discover()
    found = sorted(
        (link for function in _links for link in function(request)), key=lambda link: link.order
    )
    path = request.path
    return [
        NavigationItem(link.label, link.url, link.is_active(path), link.is_page(path))
        for link in found
    ]


def card_sections_for(request) -> list[tuple[str, list[Card]]]:
    """[(section, cards)] for this request's user: the sections in SECTIONS order, then any other
    section in the order its first card comes; the cards in order; empty sections left out."""
    discover()
    found = sorted(
        (card for function in _cards for card in function(request)), key=lambda card: card.order
    )
    sections: dict[str, list[Card]] = {name: [] for name in SECTIONS}
    for card in found:
        sections.setdefault(card.section, []).append(card)
    return [(name, section) for name, section in sections.items() if section]
