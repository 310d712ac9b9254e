"""Who may see which health-records object. One helper per object type: each returns the object
for this user or raises Http404 (PermissionDenied for pages, where the page itself is no secret).

- Named children (runs, import reports, review pairs, the whole worklist): the health records
  analysts of the agency that ran the linkage, and nobody else — not the business unit, not a
  superuser, not an analyst in another agency. This is a role check, deliberately not a
  capability a superuser holds implicitly.
- A worklist item is also visible to the members of the team it is allocated to.
- Aggregates (run history, trend, breakdowns): analysts, the business unit and board members;
  everyone but analysts sees them with numbers under 5 suppressed.
"""

from __future__ import annotations

from django.core.exceptions import PermissionDenied
from django.db.models import Q, QuerySet
from django.http import Http404

from safeguarding.health_records.models import LinkageRun, ReviewPair, WorklistItem
from safeguarding.people.models import Membership, Role
from safeguarding.people.permissions import agency_ids_with_role, is_business_unit, roles_of

ANALYSTS_ONLY = "Only health records analysts can see named children from health extracts."
AGGREGATES_ONLY = (
    "Only health records analysts, the business unit and board members can see these figures."
)
WORKLIST_ONLY = "Only health records analysts and the teams given children to follow up can see it."


def analyst_agency_ids(user) -> set[int]:
    """The agencies in which the user is a health records analyst."""
    if not getattr(user, "is_authenticated", False) or not user.is_active:
        return set()
    return agency_ids_with_role(user, Role.HEALTH_RECORDS_ANALYST)


def is_analyst(user, agency=None) -> bool:
    ids = analyst_agency_ids(user)
    if agency is None:
        return bool(ids)
    return getattr(agency, "pk", agency) in ids


def require_analyst_or_system(actor, agency) -> None:
    """A write on the agency's runs: its analysts, or the system (`actor=None`: the background
    task, the commands, the demo loader)."""
    if actor is not None and not is_analyst(actor, agency):
        raise PermissionDenied(ANALYSTS_ONLY)


def team_ids(user) -> set[int]:
    if not getattr(user, "is_authenticated", False) or not user.is_active:
        return set()
    return set(
        Membership.objects.filter(user=user, team__isnull=False).values_list("team_id", flat=True)
    )


def may_see_aggregates(user) -> bool:
    if not getattr(user, "is_authenticated", False) or not user.is_active:
        return False
    return is_analyst(user) or is_business_unit(user) or Role.BOARD_MEMBER in roles_of(user)


def suppresses_small_numbers(user) -> bool:
    """Everyone who may not see named children sees counts under 5 suppressed."""
    return not is_analyst(user)


def require_aggregates(user) -> None:
    if not may_see_aggregates(user):
        raise PermissionDenied(AGGREGATES_ONLY)


def require_analyst(user) -> None:
    if not is_analyst(user):
        raise PermissionDenied(ANALYSTS_ONLY)


def runs_visible_to(user) -> QuerySet[LinkageRun]:
    """Runs with their named details: the analysts of the agency that ran them."""
    return LinkageRun.objects.filter(agency_id__in=analyst_agency_ids(user))


def run_counts_visible_to(user) -> QuerySet[LinkageRun]:
    """Runs for their counts only: analysts see their agencies', aggregate readers the lot."""
    if is_analyst(user):
        return runs_visible_to(user)
    if may_see_aggregates(user):
        from safeguarding.people.selectors import partnership_for

        try:
            return LinkageRun.objects.filter(partnership=partnership_for(user))
        except Http404:
            return LinkageRun.objects.none()
    return LinkageRun.objects.none()


def get_run_for_user(user, pk) -> LinkageRun:
    try:
        return runs_visible_to(user).select_related("agency", "started_by").get(pk=pk)
    except (LinkageRun.DoesNotExist, ValueError, TypeError):
        raise Http404("No such linkage run") from None


def review_pairs_visible_to(user) -> QuerySet[ReviewPair]:
    return ReviewPair.objects.filter(run__agency_id__in=analyst_agency_ids(user))


def get_review_pair_for_user(user, pk) -> ReviewPair:
    try:
        return review_pairs_visible_to(user).select_related("run", "decided_by").get(pk=pk)
    except (ReviewPair.DoesNotExist, ValueError, TypeError):
        raise Http404("No such review pair") from None


def worklist_visible_to(user) -> QuerySet[WorklistItem]:
    agencies, teams = analyst_agency_ids(user), team_ids(user)
    if not agencies and not teams:
        return WorklistItem.objects.none()
    return WorklistItem.objects.filter(Q(agency_id__in=agencies) | Q(team_id__in=teams))


def require_worklist(user) -> None:
    """The worklist page: analysts, and members of a team with children allocated to it."""
    if is_analyst(user):
        return
    teams = team_ids(user)
    if not teams or not WorklistItem.objects.filter(team_id__in=teams).exists():
        raise PermissionDenied(WORKLIST_ONLY)


def may_work_on(user, item: WorklistItem) -> bool:
    """Record an outcome: the agency's analysts and the team the child is allocated to."""
    return is_analyst(user, item.agency_id) or (
        item.team_id is not None and item.team_id in team_ids(user)
    )


def get_worklist_item_for_user(user, pk) -> WorklistItem:
    try:
        return (
            worklist_visible_to(user)
            .select_related("team__agency", "locality", "last_run", "outcome_by")
            .get(pk=pk)
        )
    except (WorklistItem.DoesNotExist, ValueError, TypeError):
        raise Http404("No such worklist item") from None
