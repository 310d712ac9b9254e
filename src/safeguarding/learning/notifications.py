"""E-mails about training, each with an iCalendar attachment and the joining instructions.
Called through transaction.on_commit by the services, so nothing is sent for a rolled-back write."""

from __future__ import annotations

from django.conf import settings
from django.core.mail import EmailMessage
from django.template.loader import render_to_string
from django.urls import reverse
from icalendar import Calendar, Event, vText

from safeguarding.learning.models import Booking, Session, WaitingListEntry


def session_ics(session: Session, *, cancelled: bool = False) -> bytes:
    calendar = Calendar()
    calendar.add("prodid", f"-//{settings.PARTNERSHIP_NAME}//Training programme//EN")
    calendar.add("version", "2.0")
    calendar.add("method", "CANCEL" if cancelled else "PUBLISH")
    calendar.add_component(session_event(session, cancelled=cancelled))
    return calendar.to_ical()


def session_event(session: Session, *, cancelled: bool = False) -> Event:
    event = Event()
    event.add("uid", f"session-{session.pk}@{settings.SITE_URL.split('://')[-1]}")
    event.add("summary", session.course.title)
    event.add("dtstart", session.starts_at)
    event.add("dtend", session.ends_at)
    event.add("dtstamp", session.starts_at)
    event.add("sequence", session.sequence + (1 if cancelled else 0))
    event.add("status", "CANCELLED" if cancelled else "CONFIRMED")
    where = (
        session.venue.name + ", " + session.venue.address.replace("\n", ", ")
        if session.venue
        else session.online_url
    )
    event.add("location", vText(where))
    url = settings.SITE_URL + reverse("learning:session-detail", args=[session.pk])
    event.add("url", url)
    event.add(
        "description",
        "\n\n".join(filter(None, [session.course.summary, session.joining_instructions, url])),
    )
    return event


def _send(
    subject: str, template: str, context: dict, to: list[str], *, ics: bytes | None = None
) -> None:
    context = {
        **context,
        "partnership_name": settings.PARTNERSHIP_NAME,
        "site_url": settings.SITE_URL,
    }
    message = EmailMessage(subject=subject, body=render_to_string(template, context), to=to)
    if ics is not None:
        message.attach("session.ics", ics, "text/calendar; charset=utf-8")
    message.send()


def booking_confirmed(booking: Booking) -> None:
    _send(
        f"Place confirmed: {booking.session.course}",
        "learning/email/booking_confirmed.txt",
        {"booking": booking, "session": booking.session},
        [booking.person.email],
        ics=session_ics(booking.session),
    )


def approval_requested(booking: Booking) -> None:
    managers = [
        m.line_manager.email
        for m in booking.person.memberships.all()
        if m.line_manager and m.line_manager.is_active
    ]
    _send(
        f"Please approve a training place for {booking.person}",
        "learning/email/approval_requested.txt",
        {"booking": booking, "session": booking.session},
        sorted(set(managers)) or [booking.person.email],
    )


def booking_declined(booking: Booking) -> None:
    _send(
        f"Training place not approved: {booking.session.course}",
        "learning/email/booking_declined.txt",
        {"booking": booking, "session": booking.session},
        [booking.person.email],
    )


def booking_cancelled(booking: Booking) -> None:
    _send(
        f"Place cancelled: {booking.session.course}",
        "learning/email/booking_cancelled.txt",
        {"booking": booking, "session": booking.session},
        [booking.person.email],
        ics=session_ics(booking.session, cancelled=True),
    )


def place_offered(entry: WaitingListEntry) -> None:
    _send(
        f"A place is free: {entry.session.course}",
        "learning/email/place_offered.txt",
        {"entry": entry, "session": entry.session},
        [entry.person.email],
        ics=session_ics(entry.session),
    )


def session_cancelled(session: Session, people) -> None:
    ics = session_ics(session, cancelled=True)
    for person in people:
        _send(
            f"Session cancelled: {session.course}",
            "learning/email/session_cancelled.txt",
            {"session": session, "person": person},
            [person.email],
            ics=ics,
        )


def session_changed(session: Session, people) -> None:
    ics = session_ics(session)
    for person in people:
        _send(
            f"Session changed: {session.course}",
            "learning/email/session_changed.txt",
            {"session": session, "person": person},
            [person.email],
            ics=ics,
        )


def reminder(booking: Booking) -> None:
    _send(
        f"Reminder: {booking.session.course}",
        "learning/email/reminder.txt",
        {"booking": booking, "session": booking.session},
        [booking.person.email],
        ics=session_ics(booking.session),
    )
