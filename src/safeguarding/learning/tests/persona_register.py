from safeguarding.core.tests.personas import Route, expect

# Registers: the session's trainers and the business unit. The personas include no trainer of
# the world's session (trainer_a is covered in test_register.py), so everyone else gets 403.
_keepers_only = expect(
    admin=200, practitioner_a=403, practitioner_b=403, line_manager_a=403, auditor=403
)

ROUTES: dict = {
    "learning:register": Route(_keepers_only, args=lambda w: [w["session"].pk]),
    "learning:register-print": Route(_keepers_only, args=lambda w: [w["session"].pk]),
}
