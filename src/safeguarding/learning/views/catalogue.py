"""The public training programme, course and session pages, the calendar feed, and the business
unit's pages for the catalogue, sessions and the training pool."""

from __future__ import annotations

from urllib.parse import urlencode

from django.contrib import messages
from django.contrib.auth.decorators import login_not_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.cache import cache_control, never_cache
from django.views.decorators.http import require_http_methods, require_safe
from icalendar import Calendar, vText

from safeguarding.core.forms import apply_errors
from safeguarding.learning import access, notifications
from safeguarding.learning.forms.catalogue import (
    AccreditationForm,
    CourseForm,
    ProgrammeFilterForm,
    SessionCancelForm,
    SessionEditForm,
    SessionForm,
)
from safeguarding.learning.models import Booking, Session, WaitingListEntry
from safeguarding.learning.selectors import catalogue as selectors
from safeguarding.learning.selectors import places as place_selectors
from safeguarding.learning.services import booking as booking_services
from safeguarding.learning.services import catalogue as services
from safeguarding.learning.services import sessions as session_services
from safeguarding.people.permissions import is_business_unit
from safeguarding.people.selectors import partnership_for

CALENDAR_MAX_AGE = 15 * 60  # seconds public caches may keep the calendar feed


def _business_unit_only(request) -> None:
    if not is_business_unit(request.user):
        raise PermissionDenied("Only the business unit manages the training programme.")


def _sign_in_url(request) -> str:
    return reverse("people:sign-in") + "?" + urlencode({"next": request.get_full_path()})


# Public pages --------------------------------------------------------------------------------


@login_not_required
@require_safe
def programme(request):
    filters = ProgrammeFilterForm(request.GET or None)
    chosen = filters.filters
    return render(
        request,
        "learning/catalogue/programme.html",
        {
            "months": selectors.programme(**chosen),
            "filters": filters,
            "filtered": bool(chosen["level_id"] or chosen["locality"]),
            "is_business_unit": is_business_unit(request.user),
        },
    )


@login_not_required
@require_safe
def course_detail(request, pk):
    course = access.get_course_for_user(request.user, pk)
    entries = [entry for month in selectors.programme(course=course) for entry in month.entries]
    return render(
        request,
        "learning/catalogue/course_detail.html",
        {
            "course": course,
            "entries": entries,
            "prerequisites": selectors.visible_prerequisites(
                course, access.courses_visible_to(request.user)
            ),
            "fees": selectors.fee_schedule_for(course.partnership),
            "is_business_unit": is_business_unit(request.user),
        },
    )


@login_not_required
@require_safe
def session_detail(request, pk):
    session = access.get_session_for_user(request.user, pk)
    user = request.user
    signed_in = user.is_authenticated
    now = timezone.now()
    business_unit = is_business_unit(user)
    my_booking = my_entry = None
    missing = []
    is_trainer = False
    if signed_in:
        my_booking = session.bookings.filter(person=user, status__in=Booking.HOLDING).first()
        my_entry = session.waiting_list.filter(
            person=user,
            status__in=[WaitingListEntry.Status.WAITING, WaitingListEntry.Status.OFFERED],
        ).first()
        missing = booking_services.missing_prerequisites(session.course, user)
        is_trainer = access.is_trainer_of(user, session)
    show_online_link = bool(session.online_url) and (
        business_unit
        or is_trainer
        or (my_booking is not None and my_booking.status == Booking.Status.CONFIRMED)
    )
    return render(
        request,
        "learning/catalogue/session_detail.html",
        {
            "session": session,
            "course": session.course,
            "trainers": session.trainers.order_by("family_name", "given_name"),
            "places_left": place_selectors.places_left(session),
            "booking_open": place_selectors.booking_is_open(session, now),
            "not_yet_open": selectors.booking_not_yet_open(session, now),
            "last_booking_day": selectors.last_booking_day(session),
            "started": session.starts_at <= now,
            "cancelled": session.status == Session.Status.CANCELLED,
            "my_booking": my_booking,
            "my_entry": my_entry,
            "missing_prerequisites": missing,
            "show_online_link": show_online_link,
            "is_business_unit": business_unit,
            "is_trainer": is_trainer,
            "sign_in_url": _sign_in_url(request),
        },
    )


@login_not_required
@require_safe
@cache_control(public=True, max_age=CALENDAR_MAX_AGE)
def calendar_feed(request):
    calendar = Calendar()
    calendar.add("prodid", f"-//{request.get_host()}//Training programme//EN")
    calendar.add("version", "2.0")
    calendar.add("calscale", "GREGORIAN")
    calendar.add("method", "PUBLISH")
    calendar.add("x-wr-calname", "Multi-agency training programme")
    for session in selectors.upcoming_sessions():
        event = notifications.session_event(session)
        # The feed is public: never publish the joining link or the joining instructions.
        if session.venue is None:
            event.pop("LOCATION", None)
            event.add("location", vText("Online"))
        event.pop("DESCRIPTION", None)
        url = request.build_absolute_uri(reverse("learning:session-detail", args=[session.pk]))
        event.add("description", f"{session.course.summary}\n\n{url}")
        calendar.add_component(event)
    response = HttpResponse(calendar.to_ical(), content_type="text/calendar; charset=utf-8")
    response["Content-Disposition"] = 'inline; filename="training-programme.ics"'
    return response


# The business unit: courses ------------------------------------------------------------------


@require_safe
def course_admin_list(request):
    _business_unit_only(request)
    partnership = partnership_for(request.user)
    return render(
        request,
        "learning/catalogue/course_admin_list.html",
        {"courses": selectors.course_admin_list(partnership=partnership)},
    )


def _course_values(form: CourseForm) -> dict:
    data = form.cleaned_data
    return {
        "title": data["title"],
        "summary": data["summary"],
        "learning_outcomes": data["learning_outcomes"],
        "audience": data["audience"],
        "level": data["level"],
        "prerequisites": list(data["prerequisites"]),
        "duration": data["duration"],
        "kind": data["kind"],
        "requires_manager_approval": data["requires_manager_approval"],
        "requires_evaluation_for_certificate": data["requires_evaluation_for_certificate"],
        "charges_apply": data["charges_apply"],
        "status": data["status"],
    }


@never_cache
@require_http_methods(["GET", "POST"])
def course_create(request):
    _business_unit_only(request)
    partnership = partnership_for(request.user)
    form = CourseForm(request.POST or None, partnership=partnership)
    if request.method == "POST" and form.is_valid():
        try:
            course = services.course_create(
                partnership=partnership, actor=request.user, **_course_values(form)
            )
        except ValidationError as error:
            apply_errors(form, error)
        else:
            messages.success(request, f"{course.title} has been added.")
            return redirect("learning:course-admin-list")
    return render(request, "learning/catalogue/course_form.html", {"form": form, "course": None})


@never_cache
@require_http_methods(["GET", "POST"])
def course_edit(request, pk):
    _business_unit_only(request)
    course = access.get_course_for_user(request.user, pk)
    form = CourseForm(request.POST or None, partnership=course.partnership, course=course)
    if request.method == "POST" and form.is_valid():
        try:
            course = services.course_update(
                course=course, actor=request.user, **_course_values(form)
            )
        except ValidationError as error:
            apply_errors(form, error)
        else:
            messages.success(request, f"{course.title} has been updated.")
            return redirect("learning:course-admin-list")
    return render(request, "learning/catalogue/course_form.html", {"form": form, "course": course})


# The business unit: sessions -----------------------------------------------------------------

_SESSION_FIELDS = {
    "starts_at": "date",
    "ends_at": "end_time",
    "booking_opens_at": "booking_opens",
}


@never_cache
@require_http_methods(["GET", "POST"])
def session_create(request):
    _business_unit_only(request)
    partnership = partnership_for(request.user)
    initial = {}
    course_id = request.GET.get("course", "")
    if course_id.isdigit():
        initial["course"] = int(course_id)
    form = SessionForm(request.POST or None, partnership=partnership, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            session = session_services.session_create(
                actor=request.user, **form.service_arguments()
            )
        except ValidationError as error:
            apply_errors(form, error, rename=_SESSION_FIELDS)
        else:
            starts = timezone.localtime(session.starts_at)
            messages.success(
                request,
                f"The session of {session.course} on "
                f"{starts:%A} {starts.day} {starts:%B %Y} has been added.",
            )
            return redirect("learning:session-detail", pk=session.pk)
    return render(request, "learning/catalogue/session_form.html", {"form": form})


@never_cache
@require_http_methods(["GET", "POST"])
def session_update(request, pk):
    _business_unit_only(request)
    session = access.get_session_for_user(request.user, pk)
    editable = session.status == Session.Status.SCHEDULED and session.starts_at > timezone.now()
    if not editable:
        messages.error(request, "Only a scheduled session that has not started can be changed.")
        return redirect("learning:session-detail", pk=session.pk)
    form = SessionEditForm(request.POST or None, session=session)
    if request.method == "POST" and form.is_valid():
        try:
            session_services.session_update(
                session=session, actor=request.user, **form.service_arguments()
            )
        except ValidationError as error:
            apply_errors(form, error, rename=_SESSION_FIELDS)
        else:
            messages.success(
                request,
                "The session has been changed. People with a place have been sent the new "
                "details if its time or place changed.",
            )
            return redirect("learning:session-detail", pk=session.pk)
    return render(
        request,
        "learning/catalogue/session_form.html",
        {"form": form, "session": session, "taken": place_selectors.places_taken(session)},
    )


@never_cache
@require_http_methods(["GET", "POST"])
def session_cancel(request, pk):
    _business_unit_only(request)
    session = access.get_session_for_user(request.user, pk)
    booked = session.bookings.filter(status__in=Booking.HOLDING).count()
    waiting = session.waiting_list.filter(
        status__in=[WaitingListEntry.Status.WAITING, WaitingListEntry.Status.OFFERED]
    ).count()
    cancellable = session.status == Session.Status.SCHEDULED and session.starts_at > timezone.now()
    form = SessionCancelForm(request.POST or None) if cancellable else None
    if request.method == "POST" and form is not None and form.is_valid():
        try:
            session_services.session_cancel(
                session=session, reason=form.cleaned_data["reason"], actor=request.user
            )
        except ValidationError as error:
            apply_errors(form, error)
        else:
            told = booked + waiting
            messages.success(
                request,
                f"The session has been cancelled. {told} "
                f"{'person has' if told == 1 else 'people have'} been sent an e-mail.",
            )
            return redirect("learning:session-detail", pk=session.pk)
    return render(
        request,
        "learning/catalogue/session_cancel.html",
        {
            "session": session,
            "form": form,
            "booked": booked,
            "waiting": waiting,
            "cancellable": cancellable,
        },
    )


# The business unit: the training pool --------------------------------------------------------


@never_cache
@require_http_methods(["GET", "POST"])
def training_pool(request):
    _business_unit_only(request)
    partnership = partnership_for(request.user)
    form = AccreditationForm(
        request.POST if request.method == "POST" else None, partnership=partnership
    )
    if request.method == "POST" and form.is_valid():
        try:
            accreditation = services.accreditation_record(actor=request.user, **form.cleaned_data)
        except ValidationError as error:
            apply_errors(form, error)
        else:
            messages.success(
                request,
                f"{accreditation.trainer} is accredited for {accreditation.course} until "
                f"{accreditation.expires_on.day} {accreditation.expires_on:%B %Y}.",
            )
            return redirect("learning:training-pool")
    years = selectors.financial_years_with_sessions(partnership)
    year_param = request.GET.get("year", "")
    year = int(year_param) if year_param.isdigit() and int(year_param) in years else years[0]
    start, end = selectors.financial_year(year)
    allowances = selectors.free_place_allowances(partnership, start, end)
    return render(
        request,
        "learning/catalogue/training_pool.html",
        {
            "form": form,
            "pool": selectors.pool_accreditations(partnership),
            "years": [(y, f"April {y} to March {y + 1}") for y in years],
            "year": year,
            "start": start,
            "end": end,
            "allowances": allowances,
            "total_trainer_days": sum((row["trainer_days"] for row in allowances), 0),
            "ratio": selectors.fee_schedule_for(partnership).free_places_per_trainer_day,
            "expires_soon_days": selectors.EXPIRES_SOON_DAYS,
        },
    )
