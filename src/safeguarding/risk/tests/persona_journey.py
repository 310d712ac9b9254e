"""The practitioner's journey: an identification is seen by its author (practitioner_a) and the
author's line manager (line_manager_a); the other agency's practitioner, the business unit and
the auditor get 404 (they may not know it exists). The board's figures: the business unit only
among the personas (board members too)."""

from safeguarding.core.tests.personas import Route, everyone, expect


def _done(world):
    """practitioner_a's completed children's matrix (scale 2), made on first use."""
    if "risk_done" not in world:
        from safeguarding.risk.tests.journey_fixtures import journey_matrix

        world["risk_done"] = journey_matrix(world["practitioner_a"])
    return world["risk_done"]


def _draft(world):
    """practitioner_a's adult checklist, every question answered, level not yet confirmed."""
    if "risk_draft" not in world:
        from safeguarding.risk.tests.journey_fixtures import journey_dash

        world["risk_draft"] = journey_dash(world["practitioner_a"])
    return world["risk_draft"]


def _done_pk(world) -> list[int]:
    return [_done(world).pk]


def _draft_pk(world) -> list[int]:
    return [_draft(world).pk]


def _household(world) -> list[int]:
    return [_done(world).household_id]


def _section(world) -> list:
    return [_draft(world).pk, "incident"]


def _review(world) -> list[int]:
    return [_done(world).reviews.get().pk]


_tool_users = expect(admin=403, auditor=403)
_seen_by_author_and_manager = expect(practitioner_b=404, admin=404, auditor=404)
_author_only = expect(practitioner_b=404, admin=404, auditor=404, line_manager_a=403)
_manager_only = expect(practitioner_b=404, admin=404, auditor=404, practitioner_a=403)

# The API answers anonymous callers 401 and never redirects.
_api = expect(anonymous=401)
_api_seen_by_author_and_manager = expect(anonymous=401, practitioner_b=404, admin=404, auditor=404)

ROUTES = {
    "risk:home": Route(_tool_users),
    "risk:household-create": Route(_tool_users),
    "risk:household-detail": Route(_seen_by_author_and_manager, args=_household),
    "risk:member-add": Route(_author_only, args=_household),
    "risk:start": Route(_author_only, args=_household),
    "risk:identification-detail": Route(_seen_by_author_and_manager, args=_done_pk),
    "risk:section": Route(_author_only, args=_section),
    "risk:check": Route(_author_only, args=_draft_pk),
    "risk:result": Route(_author_only, args=_draft_pk),
    "risk:countersign": Route(_manager_only, args=_done_pk),
    "risk:outcome": Route(_seen_by_author_and_manager, args=_done_pk),
    "risk:share": Route(_seen_by_author_and_manager, args=_done_pk),
    "risk:review-set": Route(_seen_by_author_and_manager, args=_done_pk),
    "risk:review-done": Route(_seen_by_author_and_manager, args=_review),
    "risk:summary-docx": Route(_seen_by_author_and_manager, args=_done_pk),
    "risk:summary-pdf": Route(_seen_by_author_and_manager, args=_done_pk),
    "risk:insight": Route(
        expect(practitioner_a=403, practitioner_b=403, line_manager_a=403, auditor=403)
    ),
    "api-risk-instruments": Route(_api),
    "api-risk-evaluate": Route(
        {**everyone(405), "anonymous": 401}, post={**everyone(415), "anonymous": 401}
    ),
    "api-risk-identification-list": Route(_api),
    "api-risk-identification-detail": Route(_api_seen_by_author_and_manager, args=_done_pk),
}
