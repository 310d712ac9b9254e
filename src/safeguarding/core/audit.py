"""The audit trail: one call records who did what to which record.

Services call `record()` for every write; views call `record_read()` whenever they show a
child-level record. The client address and acting user of the current request are held in a
context variable set by `AuditContextMiddleware`, so services need not be handed the request.

Entries are chained: each stores the hash of the entry before it and a hash of its own content
(`entry_digest`). `record()` appends under a lock (a transaction-level advisory lock on
PostgreSQL, held until the writer commits; SQLite serialises writers itself), so concurrent
writers produce one chain in id order. `verify_chain()` recomputes it.
"""

from __future__ import annotations

import contextvars
import datetime
import decimal
import hashlib
import json
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from typing import Any

from django.db import connection, models, transaction

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
    entry = AuditEntry(
        actor=actor if is_person else None,
        actor_email=actor.email if is_person else "",
        action=action,
        object_type=object_type,
        object_id=object_id,
        object_repr=object_repr[:200],
        # As the database will give it back (tuples become lists, keys strings).
        changes=json.loads(json.dumps(_plain(changes or {}))),
        client_address=_client_address.get(),
    )
    with transaction.atomic():
        _lock_chain()
        last = AuditEntry.objects.order_by("-id").values_list("entry_hash", flat=True).first()
        entry.previous_hash = last or ""
        entry.entry_hash = entry_digest(entry)
        entry.save()
    return entry


# Any constant: the key of the advisory lock that serialises appends to the chain.
_CHAIN_LOCK_KEY = 0x5A_FE_A0_D1


def _lock_chain() -> None:
    """Hold the chain until this transaction ends, so that the entry read as "last" stays last.

    Held to commit (not just to the insert) because an entry rolled back after another linked to
    it would break the chain. SQLite needs nothing: it runs one writing transaction at a time
    (IMMEDIATE mode in settings)."""
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("SELECT pg_advisory_xact_lock(%s)", [_CHAIN_LOCK_KEY])


def _canonical_address(value: str | None) -> str:
    if not value:
        return ""
    field = AuditEntry._meta.get_field("client_address")
    return str(field.get_prep_value(str(value)))


def entry_digest(entry: AuditEntry) -> str:
    """SHA-256 of an entry's content and the previous entry's hash (hex).

    Not the id (unknown before the insert, and sequences leave gaps): the order is fixed by each
    entry naming its predecessor's hash, so an entry moved elsewhere no longer links."""
    created_at = entry.created_at.astimezone(datetime.UTC).isoformat(timespec="microseconds")
    content = [
        created_at,
        entry.actor_id,
        entry.actor_email,
        entry.action,
        entry.object_type,
        entry.object_id,
        entry.object_repr,
        entry.changes,
        _canonical_address(entry.client_address),
        entry.previous_hash,
    ]
    text = json.dumps(content, sort_keys=True, ensure_ascii=False, separators=(",", ":"))
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


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


@dataclass(frozen=True)
class BrokenLink:
    """The first place where the chain does not hold."""

    entry_id: int
    position: int  # 1-based, in id order
    reason: str


def verify_chain(
    *, progress=None, anchors: Iterable[str] = ()
) -> tuple[int, str, BrokenLink | None, set[str]]:
    """Recompute the chain in id order.

    Returns (entries checked, last good hash, first broken link or None, which of `anchors` were
    found in the chain). `progress(n)` is called as entries are checked (for a progress bar)."""
    wanted = set(anchors)
    seen: set[str] = set()
    previous = ""
    checked = 0
    for entry in _entries_in_order():
        checked += 1
        if entry.previous_hash != previous:
            reason = (
                "it names a predecessor that is not the entry before it "
                "(an entry before it was deleted, inserted or moved)"
                if entry.previous_hash
                else "it is not linked to the entry before it"
            )
            return checked, previous, BrokenLink(entry.pk, checked, reason), seen
        if entry.entry_hash != entry_digest(entry):
            broken = BrokenLink(entry.pk, checked, "its content does not match its hash")
            return checked, previous, broken, seen
        previous = entry.entry_hash
        if previous in wanted:
            seen.add(previous)
        if progress is not None:
            progress(1)
    return checked, previous, None, seen


def _entries_in_order(batch: int = 2000) -> Iterator[AuditEntry]:
    last_id = 0
    while True:
        page = list(AuditEntry.objects.filter(id__gt=last_id).order_by("id")[:batch])
        if not page:
            return
        yield from page
        last_id = page[-1].pk


def chain_length() -> int:
    return AuditEntry.objects.count()
