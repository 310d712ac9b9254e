"""The audit trail: one call records who did what to which record.

Services call `record()` for every write; views call `record_read()` whenever they show a
child-level record. The client address and acting user of the current request are held in a
context variable set by `AuditContextMiddleware`, so services need not be handed the request.
"""

from __future__ import annotations

import contextvars
import datetime
import decimal
from collections.abc import Iterable
from typing import Any

from django.db import models

from safeguarding.core.models import AuditEntry

_client_address: contextvars.ContextVar[str | None] = contextvars.ContextVar(
    "audit_client_address", default=None
)


def set_client_address(address: str | None) -> contextvars.Token:
    return _client_address.set(address)


def reset_client_address(token: contextvars.Token) -> None:
    _client_address.reset(token)


_SECRET_WORDS = ("password", "token", "secret", "otp", "bin_key")


def _is_secret(name: str) -> bool:
    lowered = name.lower()
    return lowered == "key" or any(word in lowered for word in _SECRET_WORDS)


def _plain(value: Any) -> Any:
    if isinstance(value, models.Model):
        return str(value)
    if isinstance(value, datetime.date | datetime.datetime | decimal.Decimal):
        return str(value)
    if isinstance(value, list | tuple | set):
        return [_plain(v) for v in value]
    if isinstance(value, dict):
        # Secrets never reach the trail, whatever a caller passes: the trail cannot be purged.
        return {
            str(k): "[not recorded]" if _is_secret(str(k)) else _plain(v) for k, v in value.items()
        }
    return value


def snapshot(obj: models.Model, fields: Iterable[str]) -> dict[str, Any]:
    """The current values of `fields`, for diffing before and after a change."""
    return {name: _plain(getattr(obj, name)) for name in fields}


def diff(before: dict[str, Any], after: dict[str, Any]) -> dict[str, list[Any]]:
    """{field: [old, new]} for each field whose value changed."""
    return {
        name: [before.get(name), value]
        for name, value in after.items()
        if before.get(name) != value
    }


def record(
    *,
    action: str,
    obj: models.Model | None = None,
    changes: dict[str, Any] | None = None,
    actor=None,
    object_type: str = "",
    object_id: str = "",
    object_repr: str = "",
) -> AuditEntry:
    """Append an entry to the audit trail.

    `action` is a dotted code such as people.agency.created.
    """
    if obj is not None:
        object_type = object_type or obj._meta.label_lower
        object_id = object_id or str(obj.pk)
        object_repr = object_repr or str(obj)[:200]
    is_person = actor is not None and getattr(actor, "is_authenticated", False)
    return AuditEntry.objects.create(
        actor=actor if is_person else None,
        actor_email=actor.email if is_person else "",
        action=action,
        object_type=object_type,
        object_id=object_id,
        object_repr=object_repr,
        changes=_plain(changes or {}),
        client_address=_client_address.get(),
    )


def record_read(*, obj: models.Model, actor, purpose: str = "") -> AuditEntry:
    """Record that `actor` viewed a child-level record. Every module that shows one calls this."""
    action = f"{obj._meta.app_label}.{obj._meta.model_name}.viewed"
    return record(
        action=action, obj=obj, actor=actor, changes={"purpose": purpose} if purpose else {}
    )


def record_list_read(
    *, model: type[models.Model], ids, actor, purpose: str = ""
) -> AuditEntry | None:
    """Record that `actor` saw a list naming these child-level records (one entry per page, with
    the ids shown). Nothing is recorded for an empty list."""
    ids = sorted({int(pk) for pk in ids})
    if not ids:
        return None
    changes: dict[str, Any] = {"ids": ids}
    if purpose:
        changes["purpose"] = purpose
    return record(
        action=f"{model._meta.app_label}.{model._meta.model_name}.listed",
        object_type=model._meta.label_lower,
        object_repr=f"{len(ids)} {model._meta.verbose_name_plural}",
        changes=changes,
        actor=actor,
    )
