"""The partnership, its agencies, localities and teams, and the people who work in them."""

from __future__ import annotations

from django.contrib.auth.models import AbstractBaseUser, BaseUserManager, PermissionsMixin
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models.functions import Lower
from django.utils import timezone


def no_control_characters(value: str) -> None:
    """Names and titles go into e-mail headers and documents: no line breaks or control codes."""
    if any(ord(ch) < 32 or ord(ch) == 127 for ch in value):
        raise ValidationError("Enter this on one line, without special characters.")


class Sector(models.TextChoices):
    CHILDRENS_SOCIAL_CARE = "childrens_social_care", "Children's social care"
    EARLY_HELP = "early_help", "Early help"
    EDUCATION = "education", "Education (local authority)"
    DISTRICT_COUNCIL = "district_council", "District council"
    POLICE = "police", "Police"
    PROBATION = "probation", "Probation"
    YOUTH_OFFENDING = "youth_offending", "Youth offending"
    HEALTH_COMMISSIONER = "health_commissioner", "Health commissioner"
    ACUTE_HOSPITAL = "acute_hospital", "Acute hospital trust"
    COMMUNITY_HEALTH = "community_health", "Community health (incl. health visiting)"
    MENTAL_HEALTH = "mental_health", "Mental health trust"
    GP_PRACTICE = "gp_practice", "GP practice"
    SCHOOL = "school", "School"
    COLLEGE = "college", "College"
    VOLUNTARY = "voluntary", "Voluntary and community"
    OTHER = "other", "Other"


class Role(models.TextChoices):
    """Roles a membership can hold; what each role may do is in core.permissions."""

    ADMIN = "admin", "Business unit admin"
    PRACTITIONER = "practitioner", "Practitioner"
    TRAINER = "trainer", "Trainer"
    LINE_MANAGER = "line_manager", "Line manager"
    BOARD_MEMBER = "board_member", "Board member"
    HEALTH_RECORDS_ANALYST = "health_records_analyst", "Health records analyst"
    AUDITOR = "auditor", "Auditor"
    AGENCY_APPROVER = "agency_approver", "Agency approver"
    SAFEGUARDING_LEAD = "safeguarding_lead", "Agency safeguarding lead"


class Partnership(models.Model):
    name = models.CharField(max_length=200, unique=True)
    area = models.CharField(max_length=200, help_text="The local authority area it covers.")

    class Meta:
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


class Locality(models.Model):
    partnership = models.ForeignKey(
        Partnership, on_delete=models.PROTECT, related_name="localities"
    )
    name = models.CharField(max_length=120)

    class Meta:
        ordering = ["name"]
        verbose_name_plural = "localities"
        constraints = [
            models.UniqueConstraint(fields=["partnership", "name"], name="locality_unique_name")
        ]

    def __str__(self) -> str:
        return self.name


class Agency(models.Model):
    partnership = models.ForeignKey(Partnership, on_delete=models.PROTECT, related_name="agencies")
    name = models.CharField(max_length=200)
    sector = models.CharField(max_length=40, choices=Sector.choices)
    is_statutory_partner = models.BooleanField("statutory partner", default=False)
    funds_partnership = models.BooleanField("funds the partnership", default=False)
    email_domains = models.JSONField(
        default=list,
        blank=True,
        help_text="Work e-mail domains of its staff, e.g. cambs.police.example.",
    )
    locality = models.ForeignKey(
        Locality, null=True, blank=True, on_delete=models.SET_NULL, related_name="agencies"
    )
    is_active = models.BooleanField(default=True)

    class Meta:
        ordering = ["name"]
        verbose_name_plural = "agencies"
        constraints = [
            models.UniqueConstraint(Lower("name"), "partnership", name="agency_unique_name_ci")
        ]

    def __str__(self) -> str:
        return self.name


class Team(models.Model):
    agency = models.ForeignKey(Agency, on_delete=models.CASCADE, related_name="teams")
    name = models.CharField(max_length=200)
    locality = models.ForeignKey(
        Locality, null=True, blank=True, on_delete=models.SET_NULL, related_name="teams"
    )

    class Meta:
        ordering = ["agency__name", "name"]
        constraints = [models.UniqueConstraint(fields=["agency", "name"], name="team_unique_name")]

    def __str__(self) -> str:
        return f"{self.name} ({self.agency})"


class UserManager(BaseUserManager):
    use_in_migrations = True

    def get_by_natural_key(self, username):
        return self.get(email__iexact=username)

    def create_user(self, email: str, password: str | None = None, **extra):
        if not email:
            raise ValueError("An e-mail address is required.")
        user = self.model(email=self.normalize_email(email).lower(), **extra)
        if password:
            user.set_password(password)
        else:
            user.set_unusable_password()
        user.save(using=self._db)
        return user

    def create_superuser(self, email: str, password: str | None = None, **extra):
        extra.setdefault("is_staff", True)
        extra.setdefault("is_superuser", True)
        return self.create_user(email, password, **extra)


class User(AbstractBaseUser, PermissionsMixin):
    """A person who signs in with their work e-mail address."""

    email = models.EmailField("work e-mail address", max_length=254, unique=True)
    given_name = models.CharField(max_length=100, blank=True, validators=[no_control_characters])
    family_name = models.CharField(max_length=100, blank=True, validators=[no_control_characters])
    is_active = models.BooleanField(default=True)
    is_staff = models.BooleanField(default=False, help_text="May use the Django admin.")
    date_joined = models.DateTimeField(default=timezone.now)
    deactivated_at = models.DateTimeField(null=True, blank=True)
    deactivation_reason = models.CharField(max_length=200, blank=True)
    # A reactivated account gets a fresh period before it counts as unused again.
    reactivated_at = models.DateTimeField(null=True, blank=True)

    objects = UserManager()

    USERNAME_FIELD = "email"
    EMAIL_FIELD = "email"
    REQUIRED_FIELDS: list[str] = []

    class Meta:
        ordering = ["family_name", "given_name", "email"]
        constraints = [models.UniqueConstraint(Lower("email"), name="user_unique_email_ci")]

    def __str__(self) -> str:
        return self.full_name or self.email

    def save(self, *args, **kwargs):
        self.email = self.email.strip().lower()
        super().save(*args, **kwargs)

    @property
    def full_name(self) -> str:
        return f"{self.given_name} {self.family_name}".strip()

    def get_full_name(self) -> str:
        return self.full_name

    def get_short_name(self) -> str:
        return self.given_name

    def requires_two_factor(self) -> bool:
        """Whether this user's roles need a second factor (asked by core's API authentication,
        which cannot import people)."""
        from safeguarding.people.permissions import requires_two_factor

        return requires_two_factor(self)


class Membership(models.Model):
    """A user's place in an agency: team, roles, job title and line manager."""

    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="memberships")
    agency = models.ForeignKey(Agency, on_delete=models.PROTECT, related_name="memberships")
    team = models.ForeignKey(
        Team, null=True, blank=True, on_delete=models.SET_NULL, related_name="memberships"
    )
    job_title = models.CharField(max_length=200, blank=True, validators=[no_control_characters])
    line_manager = models.ForeignKey(
        User, null=True, blank=True, on_delete=models.SET_NULL, related_name="managed_memberships"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["agency__name", "user__family_name"]
        constraints = [
            models.UniqueConstraint(fields=["user", "agency"], name="membership_unique_agency")
        ]

    def __str__(self) -> str:
        return f"{self.user} at {self.agency}"

    @property
    def role_codes(self) -> set[str]:
        return {grant.role for grant in self.role_grants.all()}


class RoleGrant(models.Model):
    """One role held through one membership (a table, so that "who are the trainers" is a query)."""

    membership = models.ForeignKey(Membership, on_delete=models.CASCADE, related_name="role_grants")
    role = models.CharField(max_length=30, choices=Role.choices)

    class Meta:
        ordering = ["role"]
        constraints = [
            models.UniqueConstraint(fields=["membership", "role"], name="role_grant_unique")
        ]

    def __str__(self) -> str:
        return self.get_role_display()


class RegistrationRequest(models.Model):
    """Self-registration with a partner agency's work e-mail, waiting for approval."""

    class Status(models.TextChoices):
        PENDING = "pending", "Waiting for approval"
        APPROVED = "approved", "Approved"
        REJECTED = "rejected", "Rejected"

    email = models.EmailField(max_length=254)
    given_name = models.CharField(max_length=100, validators=[no_control_characters])
    family_name = models.CharField(max_length=100, validators=[no_control_characters])
    agency = models.ForeignKey(Agency, on_delete=models.CASCADE, related_name="registrations")
    job_title = models.CharField(max_length=200, validators=[no_control_characters])
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.PENDING)
    created_at = models.DateTimeField(auto_now_add=True)
    decided_by = models.ForeignKey(
        User, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    decided_at = models.DateTimeField(null=True, blank=True)
    decision_note = models.CharField(max_length=500, blank=True)

    class Meta:
        ordering = ["-created_at"]
        constraints = [
            models.UniqueConstraint(
                Lower("email"),
                condition=models.Q(status="pending"),
                name="registration_one_pending_per_email",
            )
        ]

    def __str__(self) -> str:
        return f"{self.given_name} {self.family_name} <{self.email}>"
