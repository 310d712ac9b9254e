from __future__ import annotations

from django import forms
from django.contrib.auth import forms as auth_forms
from django.core.exceptions import ValidationError

from safeguarding.core.forms import DayField, GovukForm, GovukFormMixin
from safeguarding.people.models import Agency, Locality, Role, Sector, Team, User


class SignInForm(GovukFormMixin, auth_forms.AuthenticationForm):
    username = forms.EmailField(
        label="Work e-mail address",
        max_length=254,
        widget=forms.EmailInput(attrs={"autocomplete": "username", "spellcheck": "false"}),
    )
    password = forms.CharField(
        label="Password",
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "current-password"}),
    )
    error_messages = {
        "invalid_login": "Enter a correct e-mail address and password. After "
        "%(failures)s failed attempts the account is locked for a while.",
        "inactive": "This account has been deactivated. Ask your agency's approver or the "
        "business unit to reactivate it.",
    }

    def get_invalid_login_error(self):
        from django.conf import settings

        return ValidationError(
            self.error_messages["invalid_login"],
            code="invalid_login",
            params={"failures": settings.AXES_FAILURE_LIMIT},
        )

    def clean(self):
        try:
            return super().clean()
        except ValidationError:
            # The failure has been counted by the lockout. Only then, and only while not locked,
            # say plainly that the right password belongs to a deactivated account.
            if not getattr(self.request, "axes_locked_out", False):
                user = User.objects.filter(
                    email__iexact=self.cleaned_data.get("username") or "", is_active=False
                ).first()
                if user is not None and user.check_password(self.cleaned_data.get("password")):
                    raise ValidationError(
                        self.error_messages["inactive"], code="inactive"
                    ) from None
            raise


class TokenForm(GovukForm):
    token = forms.CharField(
        label="Code from your authenticator app",
        max_length=8,
        min_length=6,
        help_text="The 6-digit code, for example 123456",
        widget=forms.TextInput(
            attrs={
                "autocomplete": "one-time-code",
                "inputmode": "numeric",
                "class": "govuk-input--width-5",
                "spellcheck": "false",
            }
        ),
    )

    def clean_token(self):
        token = self.cleaned_data["token"].replace(" ", "")
        if not token.isdigit():
            raise ValidationError("Enter the code as 6 digits.")
        return token


class PasswordResetRequestForm(GovukFormMixin, auth_forms.PasswordResetForm):
    email = forms.EmailField(
        label="Work e-mail address",
        max_length=254,
        widget=forms.EmailInput(attrs={"autocomplete": "email"}),
    )

    def get_users(self, email):
        # Unlike Django's default, include people who have never set a password: imported and
        # approved accounts set their first password through this journey.
        return User.objects.filter(email__iexact=email, is_active=True)


class SetPasswordForm(GovukFormMixin, auth_forms.SetPasswordForm):
    pass


class RegistrationForm(GovukForm):
    given_name = forms.CharField(
        label="First name",
        max_length=100,
        widget=forms.TextInput(attrs={"autocomplete": "given-name"}),
    )
    family_name = forms.CharField(
        label="Last name",
        max_length=100,
        widget=forms.TextInput(attrs={"autocomplete": "family-name"}),
    )
    email = forms.EmailField(
        label="Work e-mail address",
        max_length=254,
        help_text="It must be an address at a partner agency",
        widget=forms.EmailInput(attrs={"autocomplete": "email"}),
    )
    agency = forms.ModelChoiceField(
        label="Agency",
        queryset=Agency.objects.filter(is_active=True),
        empty_label="Choose your agency",
    )
    job_title = forms.CharField(
        label="Job title",
        max_length=200,
        widget=forms.TextInput(attrs={"autocomplete": "organization-title"}),
    )

    def clean(self):
        data = super().clean()
        email, agency = data.get("email"), data.get("agency")
        if email and agency:
            domain = email.rsplit("@", 1)[-1].lower()
            if domain not in agency.email_domains:
                self.add_error(
                    "email",
                    f"Use your work e-mail address at {agency.name}. "
                    "If your agency is missing, contact the business unit.",
                )
        return data


def _limit_roles(field, grantable) -> None:
    """Offer only the roles the signed-in user may grant (the services enforce it too)."""
    field.choices = [(value, label) for value, label in Role.choices if value in grantable]


class RegistrationDecisionForm(GovukForm):
    decision = forms.ChoiceField(
        label="Decision",
        widget=forms.RadioSelect,
        choices=[("approve", "Approve"), ("reject", "Reject")],
    )
    roles = forms.MultipleChoiceField(
        label="Roles to give",
        required=False,
        widget=forms.CheckboxSelectMultiple,
        choices=Role.choices,
        initial=[Role.PRACTITIONER],
    )
    reason = forms.CharField(
        label="Reason for rejecting",
        required=False,
        max_length=500,
        widget=forms.Textarea(attrs={"rows": 3}),
    )

    def __init__(self, *args, grantable=frozenset(Role.values), **kwargs):
        super().__init__(*args, **kwargs)
        _limit_roles(self.fields["roles"], grantable)

    def clean(self):
        data = super().clean()
        if data.get("decision") == "reject" and not data.get("reason"):
            self.add_error("reason", "Enter the reason for rejecting the request.")
        if data.get("decision") == "approve" and not data.get("roles"):
            self.add_error("roles", "Choose at least one role.")
        return data


class AgencyForm(GovukForm):
    name = forms.CharField(max_length=200)
    sector = forms.ChoiceField(choices=[("", "Choose a sector"), *Sector.choices])
    locality = forms.ModelChoiceField(
        queryset=Locality.objects.all(), required=False, empty_label="Countywide / none"
    )
    email_domains = forms.CharField(
        label="E-mail domains",
        required=False,
        max_length=1000,
        help_text="Separate domains with commas, for example police.example, nhs.example",
    )
    is_statutory_partner = forms.BooleanField(label="Statutory partner", required=False)
    funds_partnership = forms.BooleanField(label="Funds the partnership", required=False)

    def clean_email_domains(self):
        domains = [
            d.strip().lower().lstrip("@")
            for d in self.cleaned_data["email_domains"].split(",")
            if d.strip()
        ]
        for domain in domains:
            if "." not in domain or " " in domain or "@" in domain:
                raise ValidationError(f"“{domain}” is not an e-mail domain.")
        return domains


class PersonForm(GovukForm):
    given_name = forms.CharField(label="First name", max_length=100)
    family_name = forms.CharField(label="Last name", max_length=100)
    email = forms.EmailField(label="Work e-mail address", max_length=254)
    agency = forms.ModelChoiceField(queryset=Agency.objects.all(), empty_label="Choose an agency")
    team = forms.ModelChoiceField(
        queryset=Team.objects.select_related("agency"), required=False, empty_label="No team"
    )
    job_title = forms.CharField(max_length=200, required=False)
    line_manager = forms.ModelChoiceField(
        queryset=User.objects.none(),
        required=False,
        empty_label="None",
        help_text="Someone in the same agency",
    )
    roles = forms.MultipleChoiceField(choices=Role.choices, widget=forms.CheckboxSelectMultiple)

    def __init__(
        self, *args, agency: Agency | None = None, grantable=frozenset(Role.values), **kwargs
    ):
        super().__init__(*args, **kwargs)
        _limit_roles(self.fields["roles"], grantable)
        agency_id = self.data.get("agency") if self.is_bound else getattr(agency, "pk", None)
        if str(agency_id or "").isdigit():
            self.fields["team"].queryset = Team.objects.filter(agency_id=agency_id)
            self.fields["line_manager"].queryset = User.objects.filter(
                memberships__agency_id=agency_id, is_active=True
            ).distinct()
        else:
            self.fields["team"].queryset = Team.objects.none()


class DeactivateForm(GovukForm):
    reason = forms.CharField(
        label="Reason for deactivating",
        max_length=200,
        help_text="For example: left the agency, long-term absence",
    )


class AuditFilterForm(GovukForm):
    actor = forms.CharField(label="Person (e-mail contains)", required=False, max_length=254)
    action = forms.CharField(label="Action code starts with", required=False, max_length=100)
    object_type = forms.CharField(
        label="Record type, e.g. people.agency", required=False, max_length=100
    )
    object_id = forms.CharField(label="Record ID", required=False, max_length=64)
    date_from = DayField(label="From (dd/mm/yyyy)", required=False)
    date_to = DayField(label="To (dd/mm/yyyy)", required=False)

    def clean(self):
        data = super().clean()
        if data.get("date_from") and data.get("date_to") and data["date_from"] > data["date_to"]:
            self.add_error("date_to", "The end date must be the same as or after the start date.")
        return data
