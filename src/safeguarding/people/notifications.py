"""E-mails that tell a person their sign-in details were changed, so that a change they did not
ask for does not go unnoticed (issue 15; docs/adr/0010). Sent after the change commits."""

from __future__ import annotations

from django.conf import settings
from django.core.mail import send_mail
from django.template.loader import render_to_string


def _by(user, actor) -> str:
    if actor is None:
        return "the system"
    if actor == user:
        return "you"
    return f"{actor.full_name or actor.email} ({actor.email})"


def email_changed(*, user, old_email: str, actor) -> None:
    """Tell the old address that the account's e-mail address was changed."""
    send_mail(
        "The e-mail address of your account was changed",
        render_to_string(
            "people/email/email_changed.txt",
            {
                "user": user,
                "old_email": old_email,
                "by": _by(user, actor),
                "partnership_name": settings.PARTNERSHIP_NAME,
            },
        ),
        None,
        [old_email],
    )


def second_factor_removed(*, user, actor) -> None:
    """Tell the person that their authenticator app was removed."""
    send_mail(
        "Your authenticator app was removed",
        render_to_string(
            "people/email/second_factor_removed.txt",
            {"user": user, "by": _by(user, actor), "partnership_name": settings.PARTNERSHIP_NAME},
        ),
        None,
        [user.email],
    )
