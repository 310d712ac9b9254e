"""Reads of agencies and people, always through the access helpers' scoping."""

from __future__ import annotations

from django.db.models import Count, Prefetch, Q, QuerySet
from django.http import Http404

from safeguarding.people.access import agencies_visible_to, people_visible_to
from safeguarding.people.models import Agency, Membership, Partnership, Role, RoleGrant, User


def agency_list(*, user, query: str = "", sector: str = "") -> QuerySet[Agency]:
    agencies = (
        agencies_visible_to(user)
        .select_related("locality")
        .annotate(people_count=Count("memberships", distinct=True))
    )
    if query:
        agencies = agencies.filter(name__icontains=query)
    if sector:
        agencies = agencies.filter(sector=sector)
    return agencies.order_by("name")


def person_list(
    *, user, query: str = "", agency_id: int | None = None, role: str = ""
) -> QuerySet[User]:
    people = people_visible_to(user)
    if query:
        people = people.filter(
            Q(email__icontains=query)
            | Q(given_name__icontains=query)
            | Q(family_name__icontains=query)
        )
    if agency_id:
        people = people.filter(memberships__agency_id=agency_id)
    if role:
        people = people.filter(memberships__role_grants__role=role)
    return (
        people.prefetch_related(
            Prefetch(
                "memberships",
                queryset=Membership.objects.select_related(
                    "agency", "team", "line_manager"
                ).prefetch_related(Prefetch("role_grants", queryset=RoleGrant.objects.all())),
            )
        )
        .order_by("family_name", "given_name", "email")
        .distinct()
    )


def partnership_for(user) -> Partnership:
    """The partnership a user works in: the only one, or that of their own (admin) agency."""
    partnerships = list(Partnership.objects.all()[:2])
    if len(partnerships) == 1:
        return partnerships[0]
    memberships = Membership.objects.filter(user=user).select_related("agency__partnership")
    membership = (
        memberships.filter(role_grants__role=Role.ADMIN).order_by("created_at").first()
        or memberships.order_by("created_at").first()
    )
    if membership is None:
        raise Http404("No partnership to import into.")
    return membership.agency.partnership
