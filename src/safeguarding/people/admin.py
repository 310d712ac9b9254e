from django.conf import settings
from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as DjangoUserAdmin
from django.contrib.auth.decorators import login_not_required
from django.contrib.auth.forms import AdminUserCreationForm, UserChangeForm
from django.contrib.auth.models import Group
from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied
from django_otp.plugins.otp_totp.models import TOTPDevice
from rest_framework.authtoken.models import TokenProxy

from safeguarding.core import audit
from safeguarding.core.admin import AuditedModelAdmin
from safeguarding.people import services
from safeguarding.people.models import (
    Agency,
    Locality,
    Membership,
    Partnership,
    RegistrationRequest,
    RoleGrant,
    Team,
    User,
)

admin.site.site_header = "Partnership administration"


@login_not_required
def _admin_sign_in(request, extra_context=None):
    """The admin has no sign-in of its own: staff use the service's (password, lockout, second
    factor). Signed-in people who are not staff are refused rather than sent round in a loop."""
    if request.user.is_authenticated:
        raise PermissionDenied("The admin site is for the business unit's staff accounts.")
    return redirect_to_login(request.GET.get("next", "/admin/"), settings.LOGIN_URL)


admin.site.login = _admin_sign_in

# Groups are not used (roles are RoleGrants); API tokens are issued by `create_api_token` and
# authenticators are set up by their owners, so staff need no admin pages for either: a token
# page would let staff mint a key for anyone without a trace, a device page would show secrets.
for _model in (Group, TokenProxy, TOTPDevice):
    if admin.site.is_registered(_model):
        admin.site.unregister(_model)
admin.site.site_title = "Partnership administration"


@admin.register(Partnership)
class PartnershipAdmin(AuditedModelAdmin):
    list_display = ["name", "area"]


@admin.register(Locality)
class LocalityAdmin(AuditedModelAdmin):
    list_display = ["name", "partnership"]


class TeamInline(admin.TabularInline):
    model = Team
    extra = 0


@admin.register(Agency)
class AgencyAdmin(AuditedModelAdmin):
    list_display = [
        "name",
        "sector",
        "locality",
        "is_statutory_partner",
        "funds_partnership",
        "is_active",
    ]
    list_filter = ["sector", "is_statutory_partner", "funds_partnership", "locality"]
    search_fields = ["name"]
    inlines = [TeamInline]


@admin.register(Team)
class TeamAdmin(AuditedModelAdmin):
    list_display = ["name", "agency", "locality"]
    list_filter = ["locality"]
    search_fields = ["name", "agency__name"]
    autocomplete_fields = ["agency"]


class RoleGrantInline(admin.TabularInline):
    model = RoleGrant
    extra = 1


@admin.register(Membership)
class MembershipAdmin(AuditedModelAdmin):
    list_display = ["user", "agency", "team", "job_title", "line_manager"]
    list_filter = ["role_grants__role", "agency__sector"]
    search_fields = ["user__email", "user__family_name", "agency__name"]
    autocomplete_fields = ["user", "agency", "team", "line_manager"]
    inlines = [RoleGrantInline]


class UserCreationForm(AdminUserCreationForm):
    class Meta:
        model = User
        fields = ["email"]


class UserChange(UserChangeForm):
    class Meta:
        model = User
        fields = "__all__"


@admin.register(User)
class UserAdmin(AuditedModelAdmin, DjangoUserAdmin):
    form = UserChange
    add_form = UserCreationForm
    ordering = ["email"]
    list_display = ["email", "given_name", "family_name", "is_active", "last_login"]
    list_filter = ["is_active", "is_staff", "memberships__role_grants__role"]
    search_fields = ["email", "given_name", "family_name"]
    fieldsets = [
        (None, {"fields": ["email", "password"]}),
        ("Name", {"fields": ["given_name", "family_name"]}),
        (
            "Status",
            {
                "fields": [
                    "is_active",
                    "deactivated_at",
                    "deactivation_reason",
                    "is_staff",
                    "is_superuser",
                ]
            },
        ),
        ("Dates", {"fields": ["last_login", "date_joined"]}),
    ]
    add_fieldsets = [(None, {"classes": ["wide"], "fields": ["email", "password1", "password2"]})]
    readonly_fields = ["last_login", "date_joined"]
    filter_horizontal: list[str] = []

    def user_change_password(self, request, id, form_url=""):
        response = super().user_change_password(request, id, form_url)
        if request.method == "POST" and response.status_code == 302:
            user = User.objects.get(pk=id)
            audit.record(action="people.user.password_set_in_admin", obj=user, actor=request.user)
            services.api_tokens_revoke(
                user=user, reason="password set in admin", actor=request.user
            )
        return response


@admin.register(RegistrationRequest)
class RegistrationRequestAdmin(AuditedModelAdmin):
    list_display = ["email", "agency", "status", "created_at", "decided_by"]
    list_filter = ["status"]
    readonly_fields = ["created_at", "decided_by", "decided_at"]
