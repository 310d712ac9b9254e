from safeguarding.core.tests.personas import Route, everyone, expect  # noqa: F401

# Pages only the business unit may use: sign-in for the public, 403 for everyone else.
BUSINESS_UNIT = expect(
    anonymous=302,
    admin=200,
    practitioner_a=403,
    practitioner_b=403,
    line_manager_a=403,
    auditor=403,
)

ROUTES: dict = {
    # Public: anyone, signed in or not.
    "learning:programme": Route(everyone(200), public=True),
    "learning:calendar-feed": Route(everyone(200), public=True),
    "learning:course-detail": Route(everyone(200), args=lambda w: [w["course"].pk], public=True),
    "learning:session-detail": Route(everyone(200), args=lambda w: [w["session"].pk], public=True),
    # Business unit.
    "learning:course-admin-list": Route(BUSINESS_UNIT),
    "learning:course-create": Route(BUSINESS_UNIT),
    "learning:course-edit": Route(BUSINESS_UNIT, args=lambda w: [w["course"].pk]),
    "learning:session-create": Route(BUSINESS_UNIT),
    "learning:session-update": Route(BUSINESS_UNIT, args=lambda w: [w["session"].pk]),
    "learning:session-cancel": Route(BUSINESS_UNIT, args=lambda w: [w["session"].pk]),
    "learning:training-pool": Route(BUSINESS_UNIT),
}
