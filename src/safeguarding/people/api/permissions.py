"""API permission classes for people's endpoints; capabilities come from people.permissions."""

from __future__ import annotations

from rest_framework.permissions import SAFE_METHODS, BasePermission

from safeguarding.people.permissions import MANAGE_PEOPLE, can


class ManagePeopleForWrites(BasePermission):
    """Reads are open to any signed-in caller (scoping is the selectors' job); writes need
    MANAGE_PEOPLE."""

    message = "You do not have permission to change agencies or people."

    def has_permission(self, request, view) -> bool:
        return request.method in SAFE_METHODS or can(request.user, MANAGE_PEOPLE)
