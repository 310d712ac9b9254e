"""The signed-in user's own account: its page, removing the authenticator, and resetting the
password."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth import views as auth_views
from django.core.exceptions import PermissionDenied
from django.shortcuts import redirect, render
from django.urls import reverse_lazy
from django.views.decorators.http import require_POST, require_safe

from safeguarding.core import audit
from safeguarding.people import services
from safeguarding.people.forms import (
    SetPasswordForm,
)
from safeguarding.people.models import Membership
from safeguarding.people.permissions import (
    requires_two_factor,
)
from safeguarding.people.views.sign_in import confirmed_device


@require_POST
def two_factor_remove(request):
    if requires_two_factor(request.user):
        raise PermissionDenied("Your roles require two-factor authentication.")
    services.second_factor_remove(user=request.user, actor=request.user)
    messages.success(request, "Two-factor authentication is turned off.")
    return redirect("people:account")


@require_safe
def account(request):
    memberships = (
        Membership.objects.filter(user=request.user)
        .select_related("agency", "team", "line_manager")
        .prefetch_related("role_grants")
    )
    return render(
        request,
        "people/account.html",
        {
            "memberships": memberships,
            "has_device": confirmed_device(request.user) is not None,
            "requires_two_factor": requires_two_factor(request.user),
        },
    )


# Registration -------------------------------------------------------------------------------


class PasswordResetConfirmView(auth_views.PasswordResetConfirmView):
    """Django's reset confirmation, with the new password recorded in the audit trail."""

    template_name = "people/password_reset_confirm.html"
    form_class = SetPasswordForm
    success_url = reverse_lazy("people:password-reset-complete")

    def form_valid(self, form):
        response = super().form_valid(form)
        audit.record(action="people.user.password_reset", obj=form.user, actor=form.user)
        services.api_tokens_revoke(user=form.user, reason="password reset", actor=form.user)
        return response
