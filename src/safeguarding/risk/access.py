"""Who may see and act on which household and identification. One helper per object type: each
returns the object for this user or raises Http404 (for records they may not know exist).

An identification belongs to its author's agency. It is seen by:
- its author;
- the author's line manager in that agency;
- that agency's safeguarding leads;
- people who use the risk tool in an agency it was shared with or referred to (recorded).
The business unit sees none of them: only the board's aggregates (risk.selectors.insight).
"""

from __future__ import annotations

from django.core.exceptions import PermissionDenied
from django.db.models import Exists, OuterRef, Q, QuerySet
from django.http import Http404

from safeguarding.people.models import Membership, Role
from safeguarding.people.permissions import agency_ids_with, agency_ids_with_role, can
from safeguarding.risk.capabilities import USE_RISK_TOOL
from safeguarding.risk.models import Household, Identification, Review

NOT_A_RISK_TOOL_USER = "Only practitioners in a partner agency use the risk identification tool."


def require_risk_tool(user) -> None:
    if not can(user, USE_RISK_TOOL):
        raise PermissionDenied(NOT_A_RISK_TOOL_USER)


def agencies_using_tool(user) -> set[int]:
    """The agencies in which the user may complete identifications."""
    return agency_ids_with(user, USE_RISK_TOOL)


def lead_agencies(user) -> set[int]:
    """The agencies in which the user is a safeguarding lead."""
    return agency_ids_with_role(user, Role.SAFEGUARDING_LEAD)


def identifications_visible_to(user) -> QuerySet[Identification]:
    if not getattr(user, "is_authenticated", False) or not user.is_active:
        return Identification.objects.none()
    managed = Membership.objects.filter(
        user=OuterRef("author"), agency=OuterRef("agency"), line_manager=user
    )
    return Identification.objects.filter(
        Q(author=user)
        | Exists(managed)
        | Q(agency_id__in=lead_agencies(user))
        | Q(shares__agency_id__in=agencies_using_tool(user))
    ).distinct()


def get_identification_for_user(user, pk) -> Identification:
    try:
        return (
            identifications_visible_to(user)
            .select_related("household", "agency", "author", "subject", "countersigned_by")
            .get(pk=pk)
        )
    except (Identification.DoesNotExist, ValueError, TypeError):
        raise Http404("No such identification") from None


def is_owner_side(user, identification: Identification) -> bool:
    """The author, their line manager or a safeguarding lead of the owning agency (not an agency
    it was shared with): they record outcomes, shares and reviews."""
    if user.pk == identification.author_id:
        return True
    if identification.agency_id in lead_agencies(user):
        return True
    return Membership.objects.filter(
        user_id=identification.author_id, agency_id=identification.agency_id, line_manager=user
    ).exists()


def may_countersign(user, identification: Identification) -> bool:
    return user.pk != identification.author_id and is_owner_side(user, identification)


def get_owned_identification_for_user(user, pk) -> Identification:
    """For changes: 404 if the user may not see it, 403 if they see it only through a share."""
    identification = get_identification_for_user(user, pk)
    if not is_owner_side(user, identification):
        raise PermissionDenied("Only the agency that made this identification can change it.")
    return identification


def get_draft_for_author(user, pk) -> Identification:
    """An identification its author is still completing."""
    identification = get_identification_for_user(user, pk)
    if identification.author_id != user.pk:
        raise PermissionDenied("Only the practitioner who started it can complete it.")
    return identification


def households_visible_to(user) -> QuerySet[Household]:
    if not getattr(user, "is_authenticated", False) or not user.is_active:
        return Household.objects.none()
    return Household.objects.filter(
        Q(created_by=user)
        | Q(agency_id__in=lead_agencies(user))
        | Q(identifications__in=identifications_visible_to(user))
    ).distinct()


def get_household_for_user(user, pk) -> Household:
    try:
        return households_visible_to(user).select_related("agency").get(pk=pk)
    except (Household.DoesNotExist, ValueError, TypeError):
        raise Http404("No such household") from None


def may_change_household(user, household: Household) -> bool:
    """People are added, and identifications started, by the practitioner who recorded the
    household or a safeguarding lead of its agency. A line manager sees their team's households
    but does not act in them: the author of an identification is the practitioner who works with
    the family; the line manager countersigns, and records outcomes, shares and reviews."""
    return household.created_by_id == user.pk or household.agency_id in lead_agencies(user)


def get_household_to_change(user, pk) -> Household:
    household = get_household_for_user(user, pk)
    if not may_change_household(user, household):
        raise PermissionDenied(
            "Only the practitioner who recorded this household, or a safeguarding lead of "
            "its agency, can add people to it or start an identification for it."
        )
    return household


def get_review_for_user(user, pk) -> Review:
    try:
        review = Review.objects.select_related("identification").get(pk=pk)
    except (Review.DoesNotExist, ValueError, TypeError):
        raise Http404("No such review") from None
    get_owned_identification_for_user(user, review.identification_id)
    return review
