from safeguarding.core.tests.personas import Route, everyone

ROUTES = {
    "api-schema": Route(everyone(200), public=True),
    "api-docs": Route(everyone(200), public=True),
    "core:home": Route(everyone(200), public=True),
    "core:accessibility": Route(everyone(200), public=True),
    "core:privacy": Route(everyone(200), public=True),
    "core:healthz": Route(everyone(200), public=True),
}
