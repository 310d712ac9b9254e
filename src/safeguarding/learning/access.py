"""Who may see and act on which session and booking. One helper per object type: each returns the
object for this user or raises Http404 (PermissionDenied where the object is public anyway)."""

from __future__ import annotations

from django.core.exceptions import PermissionDenied
from django.db.models import Q, QuerySet
from django.http import Http404

from safeguarding.learning.models import Booking, Certificate, Course, Session, WaitingListEntry
from safeguarding.people.models import Role
from safeguarding.people.permissions import is_business_unit, roles_of

REGISTER_KEEPERS_ONLY = "Only the session's trainers and the business unit keep its register."


def courses_visible_to(user) -> QuerySet[Course]:
    """Published courses are public; the business unit also sees drafts."""
    if is_business_unit(user):
        return Course.objects.all()
    return Course.objects.filter(status=Course.Status.PUBLISHED)


def get_course_for_user(user, pk) -> Course:
    try:
        return courses_visible_to(user).get(pk=pk)
    except (Course.DoesNotExist, ValueError, TypeError):
        raise Http404("No such course") from None


def sessions_visible_to(user) -> QuerySet[Session]:
    return Session.objects.filter(course__in=courses_visible_to(user))


def get_session_for_user(user, pk) -> Session:
    try:
        return sessions_visible_to(user).select_related("course", "venue").get(pk=pk)
    except (Session.DoesNotExist, ValueError, TypeError):
        raise Http404("No such session") from None


def is_trainer_of(user, session: Session) -> bool:
    return session.sessiontrainer_set.filter(trainer_id=getattr(user, "pk", None)).exists()


def get_register_for_user(user, pk) -> Session:
    """The register of a session: its trainers and the business unit only."""
    session = get_session_for_user(user, pk)
    if not (is_business_unit(user) or is_trainer_of(user, session)):
        raise PermissionDenied(REGISTER_KEEPERS_ONLY)
    return session


def manages(manager, person) -> bool:
    return person.memberships.filter(line_manager=manager).exists()


def may_book_for(actor, person) -> bool:
    """People book for themselves; line managers for their team; the business unit for anyone."""
    if not getattr(actor, "is_authenticated", False):
        return False
    return actor.pk == person.pk or is_business_unit(actor) or manages(actor, person)


def bookings_visible_to(user) -> QuerySet[Booking]:
    if is_business_unit(user):
        return Booking.objects.all()
    if not getattr(user, "is_authenticated", False):
        return Booking.objects.none()
    return Booking.objects.filter(
        Q(person=user)
        | Q(booked_by=user)
        | Q(person__memberships__line_manager=user)
        | Q(session__sessiontrainer__trainer=user)
    ).distinct()


def get_booking_for_user(user, pk) -> Booking:
    try:
        return bookings_visible_to(user).select_related("session__course", "person").get(pk=pk)
    except (Booking.DoesNotExist, ValueError, TypeError):
        raise Http404("No such booking") from None


def is_trainer(user) -> bool:
    return Role.TRAINER in roles_of(user)


# Waiting-list entries -----------------------------------------------------------------------


def waiting_entries_visible_to(user) -> QuerySet[WaitingListEntry]:
    """People see their own entries, line managers their team's, the business unit everyone's."""
    if is_business_unit(user):
        return WaitingListEntry.objects.all()
    if not getattr(user, "is_authenticated", False):
        return WaitingListEntry.objects.none()
    return WaitingListEntry.objects.filter(
        Q(person=user) | Q(person__memberships__line_manager=user)
    ).distinct()


def get_waiting_entry_for_user(user, pk) -> WaitingListEntry:
    try:
        return (
            waiting_entries_visible_to(user).select_related("session__course", "person").get(pk=pk)
        )
    except (WaitingListEntry.DoesNotExist, ValueError, TypeError):
        raise Http404("No such waiting-list entry") from None


# Certificates -------------------------------------------------------------------------------


def get_certificate_for_user(user, pk) -> Certificate:
    """A certificate for its holder and the business unit; 404 for everyone else."""
    from safeguarding.learning.selectors.records import certificates_with_details

    certificates = certificates_with_details()
    if not is_business_unit(user):
        certificates = certificates.filter(booking__person_id=getattr(user, "pk", None))
    try:
        return certificates.get(pk=pk)
    except (Certificate.DoesNotExist, ValueError, TypeError):
        raise Http404("No such certificate") from None
