from safeguarding.core.tests.personas import Route, everyone, expect  # noqa: F401

ROUTES: dict = {
    # Only the booking's own person; booking_a's attendance is not recorded yet, so they see
    # the page saying the evaluation opens after attendance is recorded.
    "learning:evaluate": Route(
        expect(admin=404, practitioner_b=404, line_manager_a=404, auditor=404),
        args=lambda w: [w["booking_a"].pk, "immediate"],
    ),
    # The business unit only.
    "learning:evaluation-results": Route(
        expect(practitioner_a=403, practitioner_b=403, line_manager_a=403, auditor=403),
    ),
}
