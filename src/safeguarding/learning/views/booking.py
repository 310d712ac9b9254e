"""Booking journeys: booking a place (for oneself, or a line manager for their team), the waiting
list, cancelling, line-manager approval, and the "My training" and team pages.

The session page (catalogue) posts its single "Book a place" and "Join the waiting list" buttons
here; the answer is a redirect with a message."""

from __future__ import annotations

import datetime

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.http import require_http_methods, require_POST, require_safe

from safeguarding.core.forms import apply_errors
from safeguarding.learning import access
from safeguarding.learning.forms.booking import (
    ApprovalDecisionForm,
    ConfirmForm,
    TeamBookingForm,
    when,
)
from safeguarding.learning.models import Booking, FeeSchedule, WaitingListEntry
from safeguarding.learning.selectors import booking as selectors
from safeguarding.learning.selectors import places as place_selectors
from safeguarding.learning.services import booking as services
from safeguarding.learning.services import waiting_list as waiting_list_services
from safeguarding.people.models import User
from safeguarding.people.permissions import is_business_unit

PAST_PER_PAGE = 20


def _message(error: ValidationError) -> str:
    return " ".join(error.messages)


def _person_from_post(request) -> User:
    """The person to book: the signed-in user, or the team member named by the `person` field.
    Anyone the user may not book for (or no such person) is refused alike."""
    raw = request.POST.get("person", "").strip()
    if not raw or raw == str(request.user.pk):
        return request.user
    try:
        person = User.objects.get(pk=int(raw))
    except (User.DoesNotExist, ValueError):
        raise PermissionDenied("You can book places for yourself and your team only.") from None
    if not access.may_book_for(request.user, person):
        raise PermissionDenied("You can book places for yourself and your team only.")
    return person


def _after_booking(request, person, session):
    """Where to go next: your own training, your team's, or back to the session."""
    if person.pk == request.user.pk:
        return redirect("learning:my-training")
    if access.manages(request.user, person):
        return redirect("learning:team-training")
    return redirect("learning:session-detail", pk=session.pk)


def _booked_message(booking: Booking, actor) -> str:
    session = booking.session
    what = f"{session.course.title} on {when(session.starts_at)}"
    own = booking.person.pk == actor.pk
    if booking.status == Booking.Status.AWAITING_APPROVAL:
        if own:
            return (
                f"You have asked for a place on {what}. We have e-mailed your line manager to "
                "approve it; the place is held until they decide."
            )
        return f"{booking.person} has a place on {what}, waiting for line manager approval."
    if own:
        return f"Your place on {what} is booked. We have e-mailed you the details."
    return f"{booking.person} has a place on {what}. We have e-mailed them the details."


# Booking and the waiting list -----------------------------------------------------------------


@require_POST
def book(request, pk):
    session = access.get_session_for_user(request.user, pk)
    person = _person_from_post(request)
    try:
        booking = services.booking_create(session=session, person=person, actor=request.user)
    except services.SessionFull:
        whom = "you" if person.pk == request.user.pk else str(person)
        messages.info(
            request,
            f"There are no places left on this session. Join the waiting list and we will "
            f"e-mail {whom} if a place becomes free.",
        )
        return redirect("learning:session-detail", pk=session.pk)
    except ValidationError as error:
        messages.error(request, _message(error))
        return redirect("learning:session-detail", pk=session.pk)
    messages.success(request, _booked_message(booking, request.user))
    return _after_booking(request, person, session)


@require_POST
def waiting_list_join(request, pk):
    session = access.get_session_for_user(request.user, pk)
    person = _person_from_post(request)
    try:
        waiting_list_services.waiting_list_join(session=session, person=person, actor=request.user)
    except ValidationError as error:
        messages.error(request, _message(error))
        return redirect("learning:session-detail", pk=session.pk)
    if person.pk == request.user.pk:
        text = "You are on the waiting list. We will e-mail you if a place becomes free."
    else:
        text = f"{person} is on the waiting list. We will e-mail them if a place becomes free."
    messages.success(request, text)
    return _after_booking(request, person, session)


def _entry_redirect(request, entry: WaitingListEntry):
    return _after_booking(request, entry.person, entry.session)


@require_POST
def waiting_list_leave(request, pk):
    entry = access.get_waiting_entry_for_user(request.user, pk)
    try:
        waiting_list_services.waiting_list_leave(entry=entry, actor=request.user)
    except ValidationError as error:
        messages.error(request, _message(error))
    else:
        own = entry.person.pk == request.user.pk
        messages.success(
            request,
            f"{'You have' if own else f'{entry.person} has'} left the waiting list for "
            f"{entry.session.course.title} on {when(entry.session.starts_at)}.",
        )
    return _entry_redirect(request, entry)


@require_POST
def waiting_list_claim(request, pk):
    entry = access.get_waiting_entry_for_user(request.user, pk)
    try:
        booking = waiting_list_services.waiting_list_claim(entry=entry, actor=request.user)
    except ValidationError as error:
        messages.error(request, _message(error))
    else:
        messages.success(request, _booked_message(booking, request.user))
    return _entry_redirect(request, entry)


# Cancelling ---------------------------------------------------------------------------------


def _may_cancel(user, booking: Booking) -> bool:
    return access.may_book_for(user, booking.person) or booking.booked_by_id == user.pk


@require_http_methods(["GET", "POST"])
def booking_cancel(request, pk):
    booking = access.get_booking_for_user(request.user, pk)
    if not _may_cancel(request.user, booking):
        raise PermissionDenied("You can cancel your own and your team's places only.")
    session = booking.session
    form = ConfirmForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        try:
            booking = services.booking_cancel(booking=booking, actor=request.user)
        except ValidationError as error:
            apply_errors(form, error)
        else:
            text = f"The place on {session.course.title} on {when(session.starts_at)} is cancelled."
            if booking.status == Booking.Status.LATE_CANCELLED:
                text += " It was cancelled after bookings closed, so a charge may apply."
            messages.success(request, text)
            return _after_booking(request, booking.person, session)
    closes_at = place_selectors.booking_closes_at(session)
    now = timezone.now()
    fees = FeeSchedule.objects.filter(partnership_id=session.course.partnership_id).first()
    return render(
        request,
        "learning/booking/cancel.html",
        {
            "form": form,
            "booking": booking,
            "session": session,
            "cancellable": booking.status in Booking.HOLDING and now < session.starts_at,
            # Bookings close at midnight: the last day is the day before.
            "last_booking_day": timezone.localtime(closes_at - datetime.timedelta(seconds=1)),
            "late": now >= closes_at and booking.status == Booking.Status.CONFIRMED,
            "late_charge": fees.late_cancellation_charge
            if fees and session.course.charges_apply
            else None,
            "own": booking.person_id == request.user.pk,
        },
    )


# My training --------------------------------------------------------------------------------


@require_safe
def my_training(request):
    training = selectors.my_training(person=request.user)
    past = Paginator(training.past, PAST_PER_PAGE).get_page(request.GET.get("page"))
    return render(
        request,
        "learning/booking/my_training.html",
        {
            "offers": training.offers,
            "upcoming": training.upcoming,
            "waiting": training.waiting,
            "page": past,
            "is_line_manager": selectors.is_line_manager(request.user),
        },
    )


# Line managers ------------------------------------------------------------------------------


@require_safe
def approvals(request):
    if not selectors.may_see_approvals(request.user):
        raise PermissionDenied("Only line managers approve training places.")
    page = Paginator(selectors.awaiting_approval(user=request.user), 50).get_page(
        request.GET.get("page")
    )
    return render(
        request,
        "learning/booking/approvals.html",
        {"page": page, "everyone": is_business_unit(request.user)},
    )


@require_http_methods(["GET", "POST"])
def approval_decide(request, pk):
    booking = access.get_booking_for_user(request.user, pk)
    if not (access.manages(request.user, booking.person) or is_business_unit(request.user)):
        raise PermissionDenied("Only the person's line manager can approve this booking.")
    awaiting = booking.status == Booking.Status.AWAITING_APPROVAL
    form = ApprovalDecisionForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and awaiting and form.is_valid():
        try:
            booking = services.booking_decide(
                booking=booking, approve=form.approve, actor=request.user
            )
        except ValidationError as error:
            apply_errors(form, error)
        else:
            session = booking.session
            what = f"{session.course.title} on {when(session.starts_at)}"
            if form.approve:
                text = f"You approved {booking.person}'s place on {what}. We have e-mailed them."
            else:
                text = (
                    f"You declined {booking.person}'s place on {what}. We have told them, and "
                    "the place has been released."
                )
            messages.success(request, text)
            return redirect("learning:approvals")
    return render(
        request,
        "learning/booking/approval_decide.html",
        {
            "booking": booking,
            "session": booking.session,
            "form": form if awaiting else None,
        },
    )


@require_http_methods(["GET", "POST"])
def team_training(request):
    if not selectors.is_line_manager(request.user):
        raise PermissionDenied("This page is for line managers.")
    team = selectors.team_members(manager=request.user)
    sessions = selectors.bookable_sessions(user=request.user)
    form = TeamBookingForm(
        request.POST if request.method == "POST" else None, team=team, sessions=sessions
    )
    if request.method == "POST" and form.is_valid():
        person = form.cleaned_data["person"]
        session = form.cleaned_data["session"]
        try:
            booking = services.booking_create(session=session, person=person, actor=request.user)
        except services.SessionFull:
            if form.cleaned_data["waiting_list_if_full"]:
                try:
                    waiting_list_services.waiting_list_join(
                        session=session, person=person, actor=request.user
                    )
                except ValidationError as error:
                    apply_errors(form, error)
                else:
                    messages.success(
                        request,
                        f"The session is full, so {person} is on its waiting list. We will "
                        "e-mail them if a place becomes free.",
                    )
                    return redirect("learning:team-training")
            else:
                form.add_error(
                    "session",
                    "There are no places left on this session. Choose another session, or tick "
                    "the box to add them to its waiting list.",
                )
        except ValidationError as error:
            apply_errors(form, error)
        else:
            messages.success(request, _booked_message(booking, request.user))
            return redirect("learning:team-training")
    return render(
        request,
        "learning/booking/team_training.html",
        {
            "form": form,
            "members": selectors.team_training(manager=request.user),
            "has_sessions": bool(sessions),
        },
    )
