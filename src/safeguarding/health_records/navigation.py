"""The "Health records" link: the figures for those who may see them, else the follow-up worklist
for those who work it (see core.navigation)."""

from __future__ import annotations

from django.core.exceptions import PermissionDenied
from django.urls import reverse

from safeguarding.core import navigation
from safeguarding.core.navigation import Link
from safeguarding.health_records import access


@navigation.links
def links(request) -> list[Link]:
    user = request.user
    prefix = reverse("health_records:index")
    if access.may_see_aggregates(user):
        return [Link("Health records", prefix, order=40, prefix=prefix)]
    try:
        access.require_worklist(user)
    except PermissionDenied:
        return []
    return [Link("Health records", reverse("health_records:worklist"), order=40, prefix=prefix)]
