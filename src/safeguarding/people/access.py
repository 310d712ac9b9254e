"""Who may see which agency, person and registration request. One helper per object type:
each returns the object for this user or raises Http404 (for objects they may not know exist)."""

from __future__ import annotations

from django.db.models import Q, QuerySet
from django.http import Http404

from safeguarding.people.models import Agency, RegistrationRequest, User
from safeguarding.people.permissions import (
    APPROVE_REGISTRATIONS,
    MANAGE_PEOPLE,
    VIEW_AGENCY_PEOPLE,
    agency_ids_with,
    can,
)


def agencies_visible_to(user) -> QuerySet[Agency]:
    """The agency directory is open to everyone signed in: names and sectors are not personal."""
    if not getattr(user, "is_authenticated", False):
        return Agency.objects.none()
    return Agency.objects.all()


def get_agency_for_user(user, pk) -> Agency:
    try:
        return agencies_visible_to(user).get(pk=pk)
    except (Agency.DoesNotExist, ValueError, TypeError):
        raise Http404("No such agency") from None


def people_visible_to(user) -> QuerySet[User]:
    """The business unit sees everyone; others see the people of agencies where they hold a role
    that may view colleagues; line managers also see the people they manage."""
    if not getattr(user, "is_authenticated", False):
        return User.objects.none()
    if can(user, MANAGE_PEOPLE):
        return User.objects.all()
    agency_ids = agency_ids_with(user, VIEW_AGENCY_PEOPLE)
    return User.objects.filter(
        Q(pk=user.pk) | Q(memberships__agency_id__in=agency_ids) | Q(memberships__line_manager=user)
    ).distinct()


def get_person_for_user(user, pk) -> User:
    try:
        return people_visible_to(user).get(pk=pk)
    except (User.DoesNotExist, ValueError, TypeError):
        raise Http404("No such person") from None


def registrations_visible_to(user) -> QuerySet[RegistrationRequest]:
    if can(user, MANAGE_PEOPLE):
        return RegistrationRequest.objects.all()
    return RegistrationRequest.objects.filter(
        agency_id__in=agency_ids_with(user, APPROVE_REGISTRATIONS)
    )


def get_registration_for_user(user, pk) -> RegistrationRequest:
    try:
        return registrations_visible_to(user).select_related("agency").get(pk=pk)
    except (RegistrationRequest.DoesNotExist, ValueError, TypeError):
        raise Http404("No such request") from None
