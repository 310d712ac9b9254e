"""The platform's demo and synthetic data, put together from each app's own `demo` and `synthetic`
modules (`manage.py load_demo` and `manage.py generate_synthetic`).

The ground app (people) writes the partnership and its people first; then each other app of this
project, in INSTALLED_APPS order, adds its part: `demo.load(partnership, stdout)` and
`synthetic.generate(partnership, *, seed, first_year, years, batch_size, progress_factory)`. The
modules are found through the app registry, so core imports no app.
"""

from __future__ import annotations

import importlib
from collections.abc import Callable
from types import ModuleType

from django.apps import apps
from django.db import reset_queries

# The app whose demo and synthetic modules write the partnership and its people, which every other
# app's part builds on: `demo.load_demo(progress_factory=...)` and
# `synthetic.generate_synthetic(..., add_history=...)`, with the constants the commands offer.
GROUND_APP = "people"

# The years of history other apps add to a synthetic county: by default April 2016 to March 2026,
# years that have all ended, so the same seed gives the same data.
HISTORY_FIRST_YEAR = 2016
HISTORY_YEARS = 10


def _module(config, kind: str) -> ModuleType | None:
    try:
        return importlib.import_module(f"{config.name}.{kind}")
    except ModuleNotFoundError as error:
        if error.name != f"{config.name}.{kind}":
            raise
        return None


def ground_module(kind: str) -> ModuleType:
    """The ground app's `demo` or `synthetic` module."""
    module = _module(apps.get_app_config(GROUND_APP), kind)
    if module is None:
        raise LookupError(f"{GROUND_APP} has no {kind} module")
    return module


def app_modules(kind: str) -> list[ModuleType]:
    """Every other app's `demo` or `synthetic` module, in INSTALLED_APPS order."""
    found = []
    for config in apps.get_app_configs():
        if not config.name.startswith("safeguarding.") or config.label in (GROUND_APP, "core"):
            continue
        module = _module(config, kind)
        if module is not None:
            found.append(module)
    return found


def load_ground_demo(*, progress_factory=None):
    """Load (or refresh) the ground app's demo: the partnership, its people and the personas.
    Returns its result (`.partnership`, `.accounts`, `.created`, `.totals`)."""
    return ground_module("demo").load_demo(progress_factory=progress_factory)


def load_app_demos(partnership, stdout) -> None:
    """Each other app's part of the demo, in app order, once the people are in place."""
    for module in app_modules("demo"):
        module.load(partnership, stdout)


def history_generators() -> list[Callable]:
    """Each other app's `synthetic.generate`: the apps that add years of history (the training
    programme, meetings...) to a synthetic county once its people are written."""
    return [module.generate for module in app_modules("synthetic")]


def generate_synthetic(
    *,
    seed: int,
    counties: int,
    agencies: int,
    practitioners: int,
    batch_size: int = 2000,
    progress=None,
    scale: str = "",
    history: dict | None = None,
    history_progress_factory: Callable | None = None,
) -> list[dict]:
    """Write `counties` synthetic counties (the ground app's people) in one transaction.

    With `history` ({"first_year": 2016, "years": 10}), each other app's synthetic.generate then
    adds that many financial years of its records to every county; the counts of what they wrote
    are in each county's row under "history"."""
    add_history = None
    if history is not None:
        generators = history_generators()

        def add_history(partnership) -> dict:
            made: dict = {}
            for generate in generators:
                made.update(
                    generate(
                        partnership,
                        seed=seed,
                        first_year=history["first_year"],
                        years=history["years"],
                        batch_size=batch_size,
                        progress_factory=history_progress_factory,
                    )
                )
                reset_queries()
            return made

    return ground_module("synthetic").generate_synthetic(
        seed=seed,
        counties=counties,
        agencies=agencies,
        practitioners=practitioners,
        batch_size=batch_size,
        progress=progress,
        scale=scale,
        add_history=add_history,
    )
