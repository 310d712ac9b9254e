"""Local practice groups and the annual conference.

Everyone signed in sees the groups, their meetings and yearly figures, and the conferences with
their programmes; attendance lists are personal data, so only the business unit sees names.
Registering for the conference is booking a place on its session: the page posts to the booking
views (`learning:book`, `learning:waiting-list-join`)."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods, require_safe

from safeguarding.core.forms import apply_errors
from safeguarding.learning.forms.events import (
    AttendanceForm,
    ConferenceForm,
    MeetingForm,
    ProgrammeItemForm,
)
from safeguarding.learning.models import Booking, Session, WaitingListEntry
from safeguarding.learning.selectors import events as selectors
from safeguarding.learning.selectors import places as place_selectors
from safeguarding.learning.selectors.catalogue import (
    financial_year,
    last_booking_day,
)
from safeguarding.learning.services import events as services
from safeguarding.people.models import User
from safeguarding.people.permissions import is_business_unit
from safeguarding.people.selectors import partnership_for


def _business_unit_only(request) -> None:
    if not is_business_unit(request.user):
        raise PermissionDenied(services.BUSINESS_UNIT_ONLY)


def _when(moment) -> str:
    local = timezone.localtime(moment)
    return f"{local:%A} {local.day} {local:%B %Y, %H:%M}"


def _plural(count: int, one: str, many: str) -> str:
    return f"{count} {one if count == 1 else many}"


# Local practice groups -----------------------------------------------------------------------


@require_safe
def practice_groups(request):
    partnership = partnership_for(request.user)
    years = selectors.practice_group_years(partnership)
    year_param = request.GET.get("year", "")
    if year_param.isdigit() and int(year_param) in years:
        year = int(year_param)
    else:
        year = selectors.latest_year_with_meetings(partnership)
    start, end = financial_year(year)
    return render(
        request,
        "learning/events/practice_groups.html",
        {
            "groups": selectors.practice_groups_overview(partnership=partnership),
            "years": [(y, selectors.financial_year_label(y)) for y in years],
            "year": year,
            "year_label": selectors.financial_year_label(year),
            "start": start,
            "end": end,
            "figures": selectors.practice_group_figures(
                partnership=partnership, start=start, end=end
            ),
            "is_business_unit": is_business_unit(request.user),
        },
    )


@never_cache
@require_http_methods(["GET", "POST"])
def meeting_detail(request, pk):
    meeting = selectors.get_meeting(pk)
    business_unit = is_business_unit(request.user)
    form = None
    if business_unit:
        action = request.POST.get("action") if request.method == "POST" else None
        form = AttendanceForm(request.POST if action == "record" else None)
        if action == "record" and form.is_valid():
            try:
                added = services.meeting_attendance_record(
                    meeting=meeting, people=form.people, actor=request.user
                )
            except ValidationError as error:
                apply_errors(form, error)
            else:
                skipped = len(form.people) - added
                text = f"{_plural(added, 'attendance', 'attendances')} recorded."
                if skipped:
                    text += f" {_plural(skipped, 'person was', 'people were')} already recorded."
                messages.success(request, text)
                return redirect("learning:meeting-detail", pk=meeting.pk)
        elif action == "remove":
            person = User.objects.filter(pk=_int(request.POST.get("person"))).first()
            if person is None:
                messages.error(request, "That person is not recorded as attending this meeting.")
            else:
                try:
                    services.meeting_attendance_remove(
                        meeting=meeting, person=person, actor=request.user
                    )
                except ValidationError as error:
                    messages.error(request, " ".join(error.messages))
                else:
                    messages.success(request, f"{person} is no longer recorded as attending.")
            return redirect("learning:meeting-detail", pk=meeting.pk)
    elif request.method == "POST":
        raise PermissionDenied("Only the business unit records attendance.")
    attendances = selectors.meeting_attendances(meeting)
    return render(
        request,
        "learning/events/meeting_detail.html",
        {
            "meeting": meeting,
            "topics": selectors.topic_lines(meeting.topics),
            "attendance_count": attendances.count(),
            "attendances": attendances if business_unit else None,
            "held": meeting.starts_at <= timezone.now(),
            "form": form,
            "is_business_unit": business_unit,
        },
    )


def _int(value) -> int | None:
    try:
        return int(value)
    except (TypeError, ValueError):
        return None


@never_cache
@require_http_methods(["GET", "POST"])
def meeting_create(request):
    _business_unit_only(request)
    partnership = partnership_for(request.user)
    initial = {}
    locality = _int(request.GET.get("locality"))
    if locality is not None:
        initial["locality"] = locality
    form = MeetingForm(
        request.POST if request.method == "POST" else None,
        partnership=partnership,
        initial=initial,
    )
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            group = services.practice_group_ensure(locality=data["locality"], actor=request.user)
            meeting = services.meeting_create(
                group=group,
                starts_at=data["starts_at"],
                venue=data["venue"],
                topics=data["topics"],
                actor=request.user,
            )
        except ValidationError as error:
            apply_errors(form, error, rename={"starts_at": "date", "group": "locality"})
        else:
            messages.success(
                request, f"The meeting of {group} on {_when(meeting.starts_at)} has been added."
            )
            return redirect("learning:meeting-detail", pk=meeting.pk)
    return render(request, "learning/events/meeting_form.html", {"form": form})


# The annual conference -----------------------------------------------------------------------


@never_cache
@require_http_methods(["GET", "POST"])
def conference_list(request):
    partnership = partnership_for(request.user)
    business_unit = is_business_unit(request.user)
    form = None
    if business_unit:
        form = ConferenceForm(
            request.POST if request.method == "POST" else None, partnership=partnership
        )
        if request.method == "POST" and form.is_valid():
            try:
                conference = services.conference_create(
                    partnership=partnership, actor=request.user, **form.service_arguments()
                )
            except ValidationError as error:
                apply_errors(form, error, rename={"starts_at": "start_time", "ends_at": "end_time"})
            else:
                messages.success(
                    request, f"{conference.title} has been added. Now add its programme."
                )
                return redirect("learning:conference-detail", pk=conference.pk)
    elif request.method == "POST":
        raise PermissionDenied(services.BUSINESS_UNIT_ONLY)
    return render(
        request,
        "learning/events/conference_list.html",
        {
            "conferences": selectors.conference_list(partnership=partnership),
            "form": form,
            "is_business_unit": business_unit,
        },
    )


@never_cache
@require_http_methods(["GET", "POST"])
def conference_detail(request, pk):
    conference = selectors.get_conference(pk)
    session = conference.session
    user = request.user
    business_unit = is_business_unit(user)
    form = None
    if business_unit:
        action = request.POST.get("action") if request.method == "POST" else None
        form = ProgrammeItemForm(request.POST if action == "add" else None, conference=conference)
        if action == "add" and form.is_valid():
            try:
                item = services.programme_item_add(
                    conference=conference, actor=user, **form.service_arguments()
                )
            except ValidationError as error:
                apply_errors(form, error, rename={"starts_at": "start_time", "ends_at": "end_time"})
            else:
                messages.success(request, f"{item.title} has been added to the programme.")
                return redirect("learning:conference-detail", pk=conference.pk)
        elif action == "remove":
            item = conference.programme.filter(pk=_int(request.POST.get("item"))).first()
            if item is None:
                messages.error(request, "That item is no longer on the programme.")
            else:
                services.programme_item_remove(item=item, actor=user)
                messages.success(request, f"{item.title} has been taken off the programme.")
            return redirect("learning:conference-detail", pk=conference.pk)
    elif request.method == "POST":
        raise PermissionDenied(services.BUSINESS_UNIT_ONLY)
    now = timezone.now()
    my_booking = session.bookings.filter(person=user, status__in=Booking.HOLDING).first()
    my_entry = session.waiting_list.filter(
        person=user,
        status__in=[WaitingListEntry.Status.WAITING, WaitingListEntry.Status.OFFERED],
    ).first()
    return render(
        request,
        "learning/events/conference_detail.html",
        {
            "conference": conference,
            "session": session,
            "programme": list(conference.programme.all()),
            "places_left": place_selectors.places_left(session),
            "registration_open": place_selectors.booking_is_open(session, now),
            "last_booking_day": last_booking_day(session),
            "started": session.starts_at <= now,
            "cancelled": session.status == Session.Status.CANCELLED,
            "my_booking": my_booking,
            "my_entry": my_entry,
            "counts": selectors.conference_counts(conference) if business_unit else None,
            "form": form,
            "is_business_unit": business_unit,
        },
    )
