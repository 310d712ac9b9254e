"""The sign-in lockout counts an account's failures and an address's failures apart.

django-axes compares one number with one limit: by default the larger of the account's and the
address's failure counts against AXES_FAILURE_LIMIT, so five wrong passwords for one account
locked everyone behind the same address (an agency's shared network). Here an account is locked
after AXES_FAILURE_LIMIT failures from anywhere, and an address only after
AXES_ADDRESS_FAILURE_LIMIT failures across accounts (settings.py requires it to be higher).
"""

from __future__ import annotations

from axes.attempts import get_cool_off_threshold
from axes.handlers.database import AxesDatabaseHandler
from axes.helpers import get_client_username, get_failure_limit
from axes.models import AccessAttempt
from django.conf import settings
from django.db.models import Sum


def _failures(attempts) -> int:
    return attempts.aggregate(total=Sum("failures_since_start"))["total"] or 0


class AccountOrAddressHandler(AxesDatabaseHandler):
    """axes' database handler, with the failures that count towards a lock worked out per
    account and per address, each against its own limit."""

    def get_failures(self, request, credentials: dict | None = None) -> int:
        """The account's recent failures; or, once the address has reached its own limit, at
        least the account limit, so that axes (which compares this with AXES_FAILURE_LIMIT)
        refuses the address whatever account it tries."""
        recent = AccessAttempt.objects.all()
        if settings.AXES_COOLOFF_TIME is not None:
            recent = recent.filter(attempt_time__gte=get_cool_off_threshold(request))
        username = get_client_username(request, credentials)
        by_account = _failures(recent.filter(username=username)) if username else 0
        by_address = _failures(recent.filter(ip_address=request.axes_ip_address))
        if by_address >= settings.AXES_ADDRESS_FAILURE_LIMIT:
            return max(by_account, get_failure_limit(request, credentials))
        return by_account
