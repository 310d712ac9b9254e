from safeguarding.core.tests.personas import Route, everyone, expect

# Charges and statistics: the business unit only.
_business_unit = expect(practitioner_a=403, practitioner_b=403, line_manager_a=403, auditor=403)

# The training API answers anonymous callers 401 (it never redirects to the sign-in page).
_api = expect(anonymous=401)
_api_post_only = {**everyone(405), "anonymous": 401}
# Registers (the session's trainers and the business unit) and statistics (the business unit
# and board members): none of the other personas.
_business_unit_api = expect(
    anonymous=401, practitioner_a=403, practitioner_b=403, line_manager_a=403, auditor=403
)


def _waiting_a(world) -> list[int]:
    """practitioner_a's place on the world session's waiting list (made on first use)."""
    from safeguarding.learning.models import WaitingListEntry

    entry, _ = WaitingListEntry.objects.get_or_create(
        session=world["session"],
        person=world["practitioner_a"],
        status=WaitingListEntry.Status.WAITING,
    )
    return [entry.pk]


# POSTs run persona by persona on the same record: the first who may act does (admin, 200);
# later ones who may act get 400 (already done), and those who may not know it exists get 404.
_after_admin_acts = {
    "anonymous": 401,
    "admin": 200,
    "practitioner_a": 400,
    "practitioner_b": 404,
    "line_manager_a": 400,
    "auditor": 404,
}
# practitioner_a is waiting, not offered a place: nobody can claim it (400), and those who may
# not see the entry get 404.
_nothing_to_claim = {**_after_admin_acts, "admin": 400}

ROUTES = {
    "learning:charges": Route(_business_unit),
    "learning:statistics": Route(_business_unit),
    "api-learning-course-list": Route(_api),
    "api-learning-course-detail": Route(_api, args=lambda w: [w["course"].pk]),
    "api-learning-session-list": Route(_api),
    "api-learning-session-detail": Route(_api, args=lambda w: [w["session"].pk]),
    # The register: the session's trainers (trainer_a, not a persona) and the business unit.
    "api-learning-session-register": Route(_business_unit_api, args=lambda w: [w["session"].pk]),
    "api-learning-booking-list": Route(_api),
    # booking_a is practitioner_a's: they, their line manager and the business unit see it.
    "api-learning-booking-detail": Route(
        expect(anonymous=401, practitioner_b=404, auditor=404),
        args=lambda w: [w["booking_a"].pk],
    ),
    "api-learning-booking-cancel": Route(
        _api_post_only, args=lambda w: [w["booking_a"].pk], post=_after_admin_acts
    ),
    "api-learning-waiting-list-list": Route(_api),
    "api-learning-waiting-list-leave": Route(
        _api_post_only, args=_waiting_a, post=_after_admin_acts
    ),
    "api-learning-waiting-list-claim": Route(
        _api_post_only, args=_waiting_a, post=_nothing_to_claim
    ),
    "api-learning-statistics": Route(_business_unit_api),
}
