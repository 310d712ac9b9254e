"""Building blocks for services: audited create and update of a model instance."""

from __future__ import annotations

from typing import Any, TypeVar

from django.db import models, transaction

from safeguarding.core import audit

M = TypeVar("M", bound=models.Model)


@transaction.atomic
def audited_create(model: type[M], *, action: str, actor, **values: Any) -> M:
    obj = model(**values)
    obj.full_clean()
    obj.save()
    audit.record(action=action, obj=obj, actor=actor, changes=audit.snapshot(obj, values))
    return obj


@transaction.atomic
def audited_update(obj: M, *, action: str, actor, **values: Any) -> M:
    """Set `values` on `obj`, validate, save, and audit the fields that really changed."""
    before = audit.snapshot(obj, values)
    for name, value in values.items():
        setattr(obj, name, value)
    changes = audit.diff(before, audit.snapshot(obj, values))
    if changes:
        obj.full_clean()
        obj.save(update_fields=list(changes))
        audit.record(action=action, obj=obj, actor=actor, changes=changes)
    return obj
