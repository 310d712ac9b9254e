from django.conf import settings
from django.contrib.auth import views as auth_views
from django.urls import path, reverse_lazy

from safeguarding.people import views, views_import
from safeguarding.people.forms import PasswordResetRequestForm

app_name = "people"
urlpatterns = [
    # Signing in and out
    path("sign-in/", views.sign_in, name="sign-in"),
    path("sign-out/", views.sign_out, name="sign-out"),
    path("two-factor/verify/", views.two_factor_verify, name="two-factor-verify"),
    path("two-factor/set-up/", views.two_factor_setup, name="two-factor-setup"),
    path("two-factor/qr.svg", views.two_factor_qr, name="two-factor-qr"),
    path("account/", views.account, name="account"),
    path("account/two-factor/remove/", views.two_factor_remove, name="two-factor-remove"),
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
        views.PasswordResetConfirmView.as_view(),
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
    path("register/", views.register, name="register"),
    path("register/sent/", views.register_sent, name="register-sent"),
    path("registrations/", views.registration_list, name="registration-list"),
    path("registrations/<int:pk>/", views.registration_decide, name="registration-decide"),
    # Directory and management
    path("agencies/", views.agency_list, name="agency-list"),
    path("agencies/new/", views.agency_create, name="agency-create"),
    path("agencies/import/", views_import.agency_import, name="agency-import"),
    path("agencies/<int:pk>/", views.agency_detail, name="agency-detail"),
    path("agencies/<int:pk>/edit/", views.agency_edit, name="agency-edit"),
    path("people/", views.person_list, name="person-list"),
    path("people/new/", views.person_create, name="person-create"),
    path("people/import/", views_import.person_import, name="person-import"),
    path("people/<int:pk>/", views.person_detail, name="person-detail"),
    path("people/<int:pk>/edit/", views.person_edit, name="person-edit"),
    path("people/<int:pk>/deactivate/", views.person_deactivate, name="person-deactivate"),
    path("people/<int:pk>/reactivate/", views.person_reactivate, name="person-reactivate"),
    path(
        "people/<int:pk>/reset-two-factor/",
        views.person_reset_two_factor,
        name="person-reset-two-factor",
    ),
]
