"""Sign-in events go into the audit trail."""

from django.contrib.auth.signals import user_logged_in, user_logged_out, user_login_failed
from django.dispatch import receiver

from safeguarding.core import audit


@receiver(user_logged_in)
def _signed_in(sender, request, user, **kwargs):
    audit.record(action="people.user.signed_in", obj=user, actor=user)


@receiver(user_logged_out)
def _signed_out(sender, request, user, **kwargs):
    if user is not None:
        audit.record(action="people.user.signed_out", obj=user, actor=user)


@receiver(user_login_failed)
def _sign_in_failed(sender, credentials, request=None, **kwargs):
    audit.record(
        action="people.user.sign_in_failed",
        object_type="people.user",
        object_repr=str(credentials.get("username", ""))[:200],
    )
