"""Sign-in events go into the audit trail."""

from axes.models import AccessAttempt
from django.contrib.auth.signals import user_logged_in, user_logged_out, user_login_failed
from django.dispatch import receiver

from safeguarding.core import audit


def lockout_username(request, credentials) -> str:
    """The name django-axes counts failures under: the e-mail address as the sign-in matches it,
    so that ALICE@ and alice@ are one account to the lockout too."""
    raw = (credentials or {}).get("username") or request.POST.get("username", "")
    return str(raw).strip().lower()


@receiver(user_logged_in)
def _signed_in(sender, request, user, **kwargs):
    # Clear this account's failed attempts only; other accounts' failures from the same address
    # keep counting (settings.AXES_RESET_ON_SUCCESS is off for that reason).
    AccessAttempt.objects.filter(username=user.email.lower()).delete()
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
