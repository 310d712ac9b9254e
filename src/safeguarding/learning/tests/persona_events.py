from safeguarding.core.tests.personas import Route, everyone, expect  # noqa: F401

ROUTES: dict = {}
