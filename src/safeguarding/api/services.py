"""Writes owned by the API app: API tokens."""

from __future__ import annotations

from django.db import transaction
from rest_framework.authtoken.models import Token

from safeguarding.core import audit
from safeguarding.people.models import User


@transaction.atomic
def api_token_create(*, user: User, actor=None) -> Token:
    """A new token for `user`, replacing any they had (one token per user). The key is not
    audited."""
    replaced, _ = Token.objects.filter(user=user).delete()
    token = Token.objects.create(user=user)
    audit.record(
        action="api.token.created",
        obj=user,
        actor=actor,
        changes={"replaced_existing": bool(replaced)},
    )
    return token
