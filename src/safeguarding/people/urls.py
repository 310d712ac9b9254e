from django.conf import settings
from django.contrib.auth import views as auth_views
from django.urls import path, reverse_lazy

from safeguarding.people.forms import PasswordResetRequestForm
from safeguarding.people.views import (
    accounts,
    agencies,
    audit,
    directory,
    imports,
    registrations,
    sign_in,
)

app_name = "people"
urlpatterns = [
    # Signing in and out
    path("sign-in/", sign_in.sign_in, name="sign-in"),
    path("sign-out/", sign_in.sign_out, name="sign-out"),
    path("two-factor/verify/", sign_in.two_factor_verify, name="two-factor-verify"),
    path("two-factor/set-up/", sign_in.two_factor_setup, name="two-factor-setup"),
    path("two-factor/qr.svg", sign_in.two_factor_qr, name="two-factor-qr"),
    path("account/", accounts.account, name="account"),
    path("account/two-factor/remove/", accounts.two_factor_remove, name="two-factor-remove"),
    path(
        "password-reset/",
        auth_views.PasswordResetView.as_view(
            template_name="people/password_reset.html",
            email_template_name="people/email/password_reset.txt",
            subject_template_name="people/email/password_reset_subject.txt",
            form_class=PasswordResetRequestForm,
            success_url=reverse_lazy("people:password-reset-sent"),
            extra_email_context={"partnership_name": settings.PARTNERSHIP_NAME},
        ),
        name="password-reset",
    ),
    path(
        "password-reset/sent/",
        auth_views.PasswordResetDoneView.as_view(template_name="people/password_reset_sent.html"),
        name="password-reset-sent",
    ),
    path(
        "password-reset/<uidb64>/<token>/",
        accounts.PasswordResetConfirmView.as_view(),
        name="password-reset-confirm",
    ),
    path(
        "password-reset/complete/",
        auth_views.PasswordResetCompleteView.as_view(
            template_name="people/password_reset_complete.html"
        ),
        name="password-reset-complete",
    ),
    # Self-registration and its approval
    path("register/", registrations.register, name="register"),
    path("register/sent/", registrations.register_sent, name="register-sent"),
    path("registrations/", registrations.registration_list, name="registration-list"),
    path("registrations/<int:pk>/", registrations.registration_decide, name="registration-decide"),
    # Directory and management
    path("agencies/", agencies.agency_list, name="agency-list"),
    path("agencies/new/", agencies.agency_create, name="agency-create"),
    path("agencies/import/", imports.agency_import, name="agency-import"),
    path("agencies/<int:pk>/", agencies.agency_detail, name="agency-detail"),
    path("agencies/<int:pk>/edit/", agencies.agency_edit, name="agency-edit"),
    path("people/", directory.person_list, name="person-list"),
    path("people/new/", directory.person_create, name="person-create"),
    path("people/import/", imports.person_import, name="person-import"),
    path("people/<int:pk>/", directory.person_detail, name="person-detail"),
    path("people/<int:pk>/edit/", directory.person_edit, name="person-edit"),
    path("people/<int:pk>/deactivate/", directory.person_deactivate, name="person-deactivate"),
    path("people/<int:pk>/reactivate/", directory.person_reactivate, name="person-reactivate"),
    path(
        "people/<int:pk>/reset-two-factor/",
        directory.person_reset_two_factor,
        name="person-reset-two-factor",
    ),
    # The audit trail (its entries are core's; reading them is the auditors' capability)
    path("audit/", audit.audit, name="audit"),
]
