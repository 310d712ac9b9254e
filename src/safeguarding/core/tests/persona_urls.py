from safeguarding.core.tests.personas import Route, everyone, expect

ROUTES = {
    "api-schema": Route(everyone(200), public=True),
    "api-docs": Route(everyone(200), public=True),
    "core:home": Route(everyone(200), public=True),
    "core:accessibility": Route(everyone(200), public=True),
    "core:privacy": Route(everyone(200), public=True),
    "core:healthz": Route(everyone(200), public=True),
    "core:audit": Route(
        expect(admin=403, practitioner_a=403, practitioner_b=403, line_manager_a=403, auditor=200)
    ),
}
