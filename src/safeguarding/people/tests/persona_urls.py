from safeguarding.core.tests.personas import Route, everyone, expect

_manage = expect(admin=200, practitioner_a=403, practitioner_b=403, line_manager_a=403, auditor=403)
_post_only = {**everyone(405), "anonymous": 302}
_signed_in_redirect = {**everyone(302), "anonymous": 200}
_api = expect(anonymous=401)

ROUTES = {
    "api-me": Route(_api),
    "api-agency-list": Route(_api),
    "api-agency-detail": Route(_api, args=lambda w: [w["agency_a"].pk]),
    "api-person-list": Route(_api),
    "api-person-detail": Route(
        expect(anonymous=401, practitioner_b=404, auditor=404),
        args=lambda w: [w["practitioner_a"].pk],
    ),
    "people:sign-in": Route(_signed_in_redirect, public=True),
    "people:sign-out": Route(everyone(405), public=True, post=everyone(302)),
    "people:two-factor-verify": Route(expect()),
    "people:two-factor-setup": Route(
        expect(admin=302, practitioner_a=302, practitioner_b=302, line_manager_a=302, auditor=302)
    ),
    "people:two-factor-qr": Route(
        expect(admin=404, practitioner_a=404, practitioner_b=404, line_manager_a=404, auditor=404)
    ),
    "people:two-factor-remove": Route(
        post=expect(
            anonymous=302,
            admin=403,
            practitioner_a=403,
            practitioner_b=403,
            line_manager_a=403,
            auditor=403,
        ),
        expect=_post_only,
    ),
    "people:account": Route(expect()),
    "people:password-reset": Route(everyone(200), public=True),
    "people:password-reset-sent": Route(everyone(200), public=True),
    "people:password-reset-confirm": Route(
        everyone(200), args=lambda w: ["MQ", "bad-token"], public=True
    ),
    "people:password-reset-complete": Route(everyone(200), public=True),
    "people:register": Route(everyone(200), public=True),
    "people:register-sent": Route(everyone(200), public=True),
    "people:registration-list": Route(_manage),
    "people:registration-decide": Route(
        expect(admin=200, practitioner_a=403, practitioner_b=403, line_manager_a=403, auditor=403),
        args=lambda w: [w["registration"].pk],
    ),
    "people:agency-list": Route(expect()),
    "people:agency-create": Route(_manage),
    "people:agency-import": Route(_manage),
    "people:agency-detail": Route(expect(), args=lambda w: [w["agency_a"].pk]),
    "people:agency-edit": Route(_manage, args=lambda w: [w["agency_a"].pk]),
    "people:person-list": Route(expect()),
    "people:person-create": Route(_manage),
    "people:person-import": Route(_manage),
    # A practitioner from another agency may not know the person exists: 404.
    "people:person-detail": Route(
        expect(practitioner_b=404, auditor=404), args=lambda w: [w["practitioner_a"].pk]
    ),
    "people:person-edit": Route(_manage, args=lambda w: [w["practitioner_a"].pk]),
    # POST only: a GET is refused before anything else is checked.
    "people:person-deactivate": Route(
        _post_only,
        args=lambda w: [w["colleague_a"].pk],
        post={**_manage, "admin": 200},  # the admin's empty form is shown again with its error
    ),
    "people:person-reset-two-factor": Route(
        _post_only, args=lambda w: [w["colleague_a"].pk], post={**_manage, "admin": 302}
    ),
    "people:person-reactivate": Route(
        _post_only, args=lambda w: [w["colleague_a"].pk], post={**_manage, "admin": 302}
    ),
    "people:audit": Route(
        expect(admin=403, practitioner_a=403, practitioner_b=403, line_manager_a=403, auditor=200)
    ),
}
