from safeguarding.core.tests.personas import Route, everyone, expect

_api = expect(anonymous=401)

ROUTES = {
    "api-schema": Route(everyone(200), public=True),
    "api-docs": Route(everyone(200), public=True),
    "api-me": Route(_api),
    "api-agency-list": Route(_api),
    "api-agency-detail": Route(_api, args=lambda w: [w["agency_a"].pk]),
    "api-person-list": Route(_api),
    "api-person-detail": Route(
        expect(anonymous=401, practitioner_b=404, auditor=404),
        args=lambda w: [w["practitioner_a"].pk],
    ),
}
