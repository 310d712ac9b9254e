"""The "Health records" navigation link: for those who may see the figures or the worklist."""

from __future__ import annotations

from django.core.exceptions import PermissionDenied
from django.urls import reverse

from safeguarding.health_records import access


def navigation(request):
    user = getattr(request, "user", None)
    if not (user and user.is_authenticated):
        return {}
    if access.may_see_aggregates(user):
        return {"nav_health_records_url": reverse("health_records:index")}
    try:
        access.require_worklist(user)
    except PermissionDenied:
        return {}
    return {"nav_health_records_url": reverse("health_records:worklist")}
