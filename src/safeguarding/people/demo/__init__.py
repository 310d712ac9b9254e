"""People's part of the demo: the demo partnership (Cambridgeshire, 2013/14), its agencies, teams
and about 1,000 invented practitioners, and the personas who sign in to it.

`manage.py load_demo` (core) calls `load_demo()` first, then every other app's `demo.load`.
Everything here is invented: every e-mail domain ends in `.example` and every person is generated
from name lists with a fixed random seed.
"""

from safeguarding.people.demo.agencies import DEMO_PARTNERSHIP
from safeguarding.people.demo.load import load_demo
from safeguarding.people.demo.personas import PERSONAS, demo_plan

__all__ = ["DEMO_PARTNERSHIP", "PERSONAS", "demo_plan", "load_demo"]
