"""Writes for local practice groups and the annual conference.

Practice groups: one group per locality, its meetings (date, venue, topics) and who attended.
The conference: registration is a session of a conference-kind course, so booking, the waiting
list, the register and evaluations are the booking core's (`services.booking`, `waiting_list`,
`register`); this module adds the conference record and its programme.

Writes are for the business unit. `actor=None` is the system (the demo loader, commands).
"""

from __future__ import annotations

import datetime
from collections.abc import Iterable

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone

from safeguarding.core import audit
from safeguarding.learning.models import (
    Conference,
    Course,
    PracticeGroup,
    PracticeGroupAttendance,
    PracticeGroupMeeting,
    ProgrammeItem,
    Session,
    Venue,
)
from safeguarding.learning.selectors.events import topic_lines
from safeguarding.learning.services.catalogue import unique_slug
from safeguarding.people.models import Locality, Membership, Partnership, User
from safeguarding.people.permissions import is_business_unit

BUSINESS_UNIT_ONLY = "Only the business unit manages practice groups and the conference."


def _require_business_unit(actor) -> None:
    if actor is not None and not is_business_unit(actor):
        raise PermissionDenied(BUSINESS_UNIT_ONLY)


# Practice groups -----------------------------------------------------------------------------


@transaction.atomic
def practice_group_ensure(*, locality: Locality, actor) -> PracticeGroup:
    """The locality's practice group, made (as "<locality> local practice group") if it has none.
    A locality has one group at most: the database enforces it too."""
    _require_business_unit(actor)
    # Lock the locality so two requests cannot both create its group.
    locality = Locality.objects.select_for_update().get(pk=locality.pk)
    group = PracticeGroup.objects.filter(locality=locality).first()
    if group is not None:
        return group
    group = PracticeGroup.objects.create(
        locality=locality, name=f"{locality.name} local practice group"
    )
    audit.record(
        action="learning.practice_group.created",
        obj=group,
        actor=actor,
        changes={"locality": str(locality)},
    )
    return group


@transaction.atomic
def meeting_create(
    *,
    group: PracticeGroup,
    starts_at: datetime.datetime | None,
    venue: str,
    topics: str,
    actor,
) -> PracticeGroupMeeting:
    """A meeting of a practice group. Topics are one a line; blank lines are dropped."""
    _require_business_unit(actor)
    errors: dict[str, str] = {}
    if starts_at is None:
        errors["starts_at"] = "Enter the date and time of the meeting."
    venue = (venue or "").strip()
    if not venue:
        errors["venue"] = "Enter where the meeting is held."
    lines = topic_lines(topics or "")
    if not lines:
        errors["topics"] = "Enter at least one topic."
    if errors:
        raise ValidationError(errors)
    meeting = PracticeGroupMeeting(
        group=group, starts_at=starts_at, venue=venue, topics="\n".join(lines)
    )
    meeting.full_clean()
    meeting.save()
    audit.record(
        action="learning.practice_group_meeting.created",
        obj=meeting,
        actor=actor,
        changes={"group": str(group), "starts_at": starts_at, "venue": venue, "topics": lines},
    )
    return meeting


def _first_agency(person: User):
    membership = (
        Membership.objects.filter(user=person).select_related("agency").order_by("pk").first()
    )
    return membership.agency if membership is not None else None


@transaction.atomic
def meeting_attendance_record(
    *, meeting: PracticeGroupMeeting, people: Iterable[User], actor
) -> int:
    """Record that `people` attended. Each attendance is credited to the agency of the person's
    first membership. People already recorded are skipped. Returns the number added.

    All or nothing: if anyone cannot be recorded (no agency), nobody is."""
    _require_business_unit(actor)
    meeting = PracticeGroupMeeting.objects.select_for_update().get(pk=meeting.pk)
    if meeting.starts_at > timezone.now():
        raise ValidationError(
            "This meeting has not happened yet: record attendance once it has started."
        )
    people = list({person.pk: person for person in people}.values())
    already = set(meeting.attendances.values_list("person_id", flat=True))
    new = []
    problems = []
    for person in people:
        if person.pk in already:
            continue
        agency = _first_agency(person)
        if agency is None:
            problems.append(f"{person.email} is not a member of a partner agency.")
            continue
        new.append(PracticeGroupAttendance(meeting=meeting, person=person, agency=agency))
    if problems:
        raise ValidationError(problems)
    PracticeGroupAttendance.objects.bulk_create(new)
    if new:
        audit.record(
            action="learning.practice_group_attendance.recorded",
            obj=meeting,
            actor=actor,
            changes={"added": [a.person.email for a in new]},
        )
    return len(new)


@transaction.atomic
def meeting_attendance_remove(*, meeting: PracticeGroupMeeting, person: User, actor) -> None:
    """Take a person off a meeting's attendance list (recorded by mistake)."""
    _require_business_unit(actor)
    attendance = (
        PracticeGroupAttendance.objects.select_for_update()
        .filter(meeting=meeting, person=person)
        .first()
    )
    if attendance is None:
        raise ValidationError(f"{person} is not recorded as attending this meeting.")
    attendance.delete()
    audit.record(
        action="learning.practice_group_attendance.removed",
        obj=meeting,
        actor=actor,
        changes={"removed": person.email},
    )


# The conference ------------------------------------------------------------------------------


@transaction.atomic
def conference_create(
    *,
    partnership: Partnership,
    title: str,
    theme: str,
    starts_at: datetime.datetime | None,
    ends_at: datetime.datetime | None,
    venue: Venue | None,
    capacity: int | None,
    actor,
    online_url: str = "",
    joining_instructions: str = "",
    cutoff_working_days: int = 2,
    charges_apply: bool = False,
) -> Conference:
    """The conference, with its registration: a published conference-kind course (slug from
    the title and year) and one session for the day. The session has no trainers (speakers are
    on the programme), so it is made here rather than by `services.sessions.session_create`,
    which insists on accredited trainers. Free to attend unless `charges_apply`."""
    _require_business_unit(actor)
    title = (title or "").strip()
    theme = (theme or "").strip()
    errors: dict[str, str] = {}
    if not title:
        errors["title"] = "Enter the conference title."
    if not theme:
        errors["theme"] = "Enter the conference theme."
    if starts_at is None:
        errors["starts_at"] = "Enter the date and start time."
    if ends_at is None:
        errors["ends_at"] = "Enter the end time."
    elif starts_at is not None and ends_at <= starts_at:
        errors["ends_at"] = "The end time must be after the start time."
    if capacity is None or capacity < 1:
        errors["capacity"] = "There must be at least 1 place."
    if venue is None and not online_url:
        errors["venue"] = "Choose a venue or give an online joining link."
    elif venue is not None and venue.partnership_id != partnership.pk:
        errors["venue"] = "Choose one of this partnership's venues."
    if errors:
        raise ValidationError(errors)
    year = timezone.localtime(starts_at).year
    slug_source = title if str(year) in title else f"{title} {year}"
    course = Course(
        partnership=partnership,
        kind=Course.Kind.CONFERENCE,
        title=title,
        slug=unique_slug(partnership, slug_source),
        summary=theme,
        learning_outcomes=theme,
        duration=Course.Duration.FULL_DAY,
        status=Course.Status.PUBLISHED,
        charges_apply=charges_apply,
    )
    course.full_clean()
    course.save()
    session = Session(
        course=course,
        starts_at=starts_at,
        ends_at=ends_at,
        venue=venue,
        online_url=online_url,
        joining_instructions=joining_instructions,
        capacity=capacity,
        cutoff_working_days=cutoff_working_days,
    )
    session.full_clean()
    session.save()
    conference = Conference(partnership=partnership, title=title, theme=theme, session=session)
    conference.full_clean()
    conference.save()
    audit.record(
        action="learning.conference.created",
        obj=conference,
        actor=actor,
        changes={
            "theme": theme,
            "starts_at": starts_at,
            "ends_at": ends_at,
            "venue": str(venue) if venue else online_url,
            "capacity": capacity,
            "course": course.slug,
            "session": session.pk,
        },
    )
    return conference


@transaction.atomic
def programme_item_add(
    *,
    conference: Conference,
    kind: str,
    title: str,
    speakers: str = "",
    room: str = "",
    starts_at: datetime.datetime | None,
    ends_at: datetime.datetime | None,
    actor,
) -> ProgrammeItem:
    """A talk, workshop or break on the programme. It must fall within the conference day
    (between the session's start and end)."""
    _require_business_unit(actor)
    session = conference.session
    title = (title or "").strip()
    errors: dict[str, str] = {}
    if kind not in ProgrammeItem.Kind.values:
        errors["kind"] = "Choose talk, workshop or break."
    if not title:
        errors["title"] = "Enter the title of the item."
    if starts_at is None:
        errors["starts_at"] = "Enter the start time."
    if ends_at is None:
        errors["ends_at"] = "Enter the end time."
    if starts_at is not None and ends_at is not None:
        if ends_at <= starts_at:
            errors["ends_at"] = "The end time must be after the start time."
        elif starts_at < session.starts_at or ends_at > session.ends_at:
            start, end = timezone.localtime(session.starts_at), timezone.localtime(session.ends_at)
            errors["starts_at"] = (
                f"The conference runs from {start:%H:%M} to {end:%H:%M}: "
                "the item must fall within it."
            )
    if errors:
        raise ValidationError(errors)
    item = ProgrammeItem(
        conference=conference,
        kind=kind,
        title=title,
        speakers=(speakers or "").strip(),
        room=(room or "").strip(),
        starts_at=starts_at,
        ends_at=ends_at,
    )
    item.full_clean()
    item.save()
    audit.record(
        action="learning.programme_item.added",
        obj=item,
        actor=actor,
        changes={
            "conference": str(conference),
            "kind": kind,
            "title": title,
            "speakers": item.speakers,
            "room": item.room,
            "starts_at": starts_at,
            "ends_at": ends_at,
        },
    )
    return item


@transaction.atomic
def programme_item_remove(*, item: ProgrammeItem, actor) -> None:
    """Take an item off the programme."""
    _require_business_unit(actor)
    conference = item.conference
    audit.record(
        action="learning.programme_item.removed",
        obj=item,
        actor=actor,
        changes={"conference": str(conference), "title": item.title},
    )
    item.delete()
