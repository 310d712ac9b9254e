"""Every write to partnerships, agencies, localities, teams, people and registrations."""

from __future__ import annotations

from collections.abc import Iterable

from django.conf import settings
from django.contrib.auth.tokens import default_token_generator
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.mail import send_mail
from django.db import transaction
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone
from django.utils.encoding import force_bytes
from django.utils.http import urlsafe_base64_encode
from django_otp.plugins.otp_totp.models import TOTPDevice
from rest_framework.authtoken.models import Token

from safeguarding.core import audit
from safeguarding.core.services import audited_create, audited_update
from safeguarding.people import notifications
from safeguarding.people.models import (
    Agency,
    Locality,
    Membership,
    Partnership,
    RegistrationRequest,
    Role,
    RoleGrant,
    Team,
    User,
)
from safeguarding.people.permissions import credentials_refusal, grantable_roles


def partnership_create(*, name: str, area: str, actor=None) -> Partnership:
    return audited_create(
        Partnership, action="people.partnership.created", actor=actor, name=name, area=area
    )


def locality_create(*, partnership: Partnership, name: str, actor=None) -> Locality:
    return audited_create(
        Locality, action="people.locality.created", actor=actor, partnership=partnership, name=name
    )


def agency_create(
    *,
    partnership: Partnership,
    name: str,
    sector: str,
    is_statutory_partner: bool = False,
    funds_partnership: bool = False,
    email_domains: Iterable[str] = (),
    locality: Locality | None = None,
    actor=None,
) -> Agency:
    return audited_create(
        Agency,
        action="people.agency.created",
        actor=actor,
        partnership=partnership,
        name=name.strip(),
        sector=sector,
        is_statutory_partner=is_statutory_partner,
        funds_partnership=funds_partnership,
        email_domains=normalise_domains(email_domains),
        locality=locality,
    )


def agency_update(*, agency: Agency, actor, **values) -> Agency:
    if "email_domains" in values:
        values["email_domains"] = normalise_domains(values["email_domains"])
    return audited_update(agency, action="people.agency.updated", actor=actor, **values)


def team_create(*, agency: Agency, name: str, locality: Locality | None = None, actor=None) -> Team:
    return audited_create(
        Team,
        action="people.team.created",
        actor=actor,
        agency=agency,
        name=name.strip(),
        locality=locality,
    )


def normalise_domains(domains: Iterable[str]) -> list[str]:
    cleaned = sorted({d.strip().lower().lstrip("@") for d in domains if d and d.strip()})
    for domain in cleaned:
        if "." not in domain or " " in domain:
            raise ValidationError({"email_domains": f"{domain!r} is not an e-mail domain."})
    return cleaned


def email_in_use(email: str, *, exclude_user: User | None = None) -> bool:
    users = User.objects.filter(email__iexact=email.strip())
    if exclude_user is not None:
        users = users.exclude(pk=exclude_user.pk)
    return users.exists()


@transaction.atomic
def person_create(
    *,
    email: str,
    given_name: str,
    family_name: str,
    agency: Agency,
    roles: Iterable[str] = (Role.PRACTITIONER,),
    job_title: str = "",
    team: Team | None = None,
    line_manager: User | None = None,
    password: str | None = None,
    actor=None,
) -> User:
    """A new user with their membership of one agency. Without a password they set one by e-mail."""
    email = email.strip().lower()
    if email_in_use(email):
        raise ValidationError({"email": "An account with this e-mail address already exists."})
    user = User(email=email, given_name=given_name.strip(), family_name=family_name.strip())
    user.full_clean(exclude=["password"])
    if password:
        user.set_password(password)
    else:
        user.set_unusable_password()
    user.save()
    audit.record(
        action="people.user.created",
        obj=user,
        actor=actor,
        changes=audit.snapshot(user, ["email", "given_name", "family_name"]),
    )
    membership_create(
        user=user,
        agency=agency,
        roles=roles,
        job_title=job_title,
        team=team,
        line_manager=line_manager,
        actor=actor,
    )
    return user


@transaction.atomic
def person_update(*, user: User, actor, **values) -> User:
    old_email = user.email
    if "email" in values:
        values["email"] = values["email"].strip().lower()
        if values["email"] == old_email:
            del values["email"]
    if "email" in values:
        refusal = credentials_refusal(actor, user)
        if refusal:
            raise ValidationError({"email": refusal})
        if email_in_use(values["email"], exclude_user=user):
            raise ValidationError({"email": "An account with this e-mail address already exists."})
    user = audited_update(user, action="people.user.updated", actor=actor, **values)
    if "email" in values:
        transaction.on_commit(
            lambda: notifications.email_changed(user=user, old_email=old_email, actor=actor)
        )
    return user


def _check_team(agency: Agency, team: Team | None) -> None:
    if team is not None and team.agency_id != agency.pk:
        raise ValidationError({"team": "The team must belong to the same agency."})


@transaction.atomic
def membership_create(
    *,
    user: User,
    agency: Agency,
    roles: Iterable[str],
    job_title: str = "",
    team: Team | None = None,
    line_manager: User | None = None,
    actor=None,
) -> Membership:
    _check_team(agency, team)
    if Membership.objects.filter(user=user, agency=agency).exists():
        raise ValidationError({"agency": "This person is already a member of that agency."})
    membership = audited_create(
        Membership,
        action="people.membership.created",
        actor=actor,
        user=user,
        agency=agency,
        team=team,
        job_title=job_title.strip(),
        line_manager=line_manager,
    )
    _set_roles(membership, roles, actor=actor)
    return membership


@transaction.atomic
def membership_update(
    *, membership: Membership, actor, roles: Iterable[str] | None = None, **values
) -> Membership:
    _check_team(values.get("agency", membership.agency), values.get("team", membership.team))
    if values.get("line_manager") is not None and values["line_manager"].pk == membership.user_id:
        raise ValidationError({"line_manager": "A person cannot be their own line manager."})
    audited_update(membership, action="people.membership.updated", actor=actor, **values)
    if roles is not None:
        _set_roles(membership, roles, actor=actor)
    return membership


def _set_roles(membership: Membership, roles: Iterable[str], *, actor) -> None:
    wanted = set(roles)
    unknown = wanted - set(Role.values)
    if unknown:
        raise ValidationError({"roles": f"Unknown roles: {', '.join(sorted(unknown))}."})
    current = set(membership.role_grants.values_list("role", flat=True))
    if wanted == current:
        return
    changed = wanted ^ current
    if actor is not None and actor.pk == membership.user_id and not actor.is_superuser:
        raise ValidationError({"roles": "You cannot change your own roles."})
    refused = changed - grantable_roles(actor, membership.agency)
    if refused:
        labels = ", ".join(sorted(Role(role).label for role in refused))
        raise ValidationError({"roles": f"You cannot give or take away these roles: {labels}."})
    membership.role_grants.filter(role__in=current - wanted).delete()
    RoleGrant.objects.bulk_create(
        [RoleGrant(membership=membership, role=role) for role in sorted(wanted - current)]
    )
    audit.record(
        action="people.membership.roles_changed",
        obj=membership,
        actor=actor,
        changes={"roles": [sorted(current), sorted(wanted)]},
    )


@transaction.atomic
def user_deactivate(*, user: User, reason: str, actor=None) -> User:
    if not user.is_active:
        return user
    # A deactivated account's API key goes too; reactivation does not bring it back.
    api_tokens_revoke(user=user, reason="account deactivated", actor=actor)
    return audited_update(
        user,
        action="people.user.deactivated",
        actor=actor,
        is_active=False,
        deactivated_at=timezone.now(),
        deactivation_reason=reason[:200],
    )


@transaction.atomic
def user_reactivate(*, user: User, actor) -> User:
    return audited_update(
        user,
        action="people.user.reactivated",
        actor=actor,
        is_active=True,
        deactivated_at=None,
        deactivation_reason="",
        reactivated_at=timezone.now(),
    )


def unused_accounts(*, days: int):
    """Active accounts with no sign-in (or, if never used, created) within `days` days."""
    cutoff = timezone.now() - timezone.timedelta(days=days)
    return (
        User.objects.filter(is_active=True, is_superuser=False)
        .exclude(last_login__gte=cutoff)
        .exclude(last_login__isnull=True, date_joined__gte=cutoff)
        .exclude(reactivated_at__gte=cutoff)
        .order_by("email")
    )


def deactivate_unused_accounts(*, days: int, actor=None) -> list[User]:
    return [
        user_deactivate(user=user, reason=f"Not used for {days} days", actor=actor)
        for user in list(unused_accounts(days=days))
    ]


# Two-factor authentication -------------------------------------------------------------------


@transaction.atomic
def second_factor_confirm(*, device: TOTPDevice, actor) -> TOTPDevice:
    device.confirmed = True
    device.save(update_fields=["confirmed"])
    audit.record(action="people.user.second_factor_added", obj=device.user, actor=actor)
    return device


@transaction.atomic
def second_factor_check(*, device: TOTPDevice, token: str) -> bool:
    """Check a code from the person's app, holding a row lock on the device meanwhile.

    django-otp allows one try, then asks for a doubling wait after each wrong code; its check
    (read the failure count) and its update (count one more) are separate statements, so parallel
    tries each passed the check. Under the lock they queue, and each sees the failures of those
    before it (and the code last used, so a right code cannot be used twice either). `device` is
    refreshed with the outcome."""
    verified = TOTPDevice.objects.select_for_update().get(pk=device.pk).verify_token(token)
    device.refresh_from_db()
    return verified


@transaction.atomic
def second_factor_remove(*, user: User, actor) -> None:
    """Remove a user's authenticator (their own choice, or an admin's after a lost phone). Refused
    for accounts the actor may not change (people.permissions.credentials_refusal); the person
    is told by e-mail."""
    refusal = credentials_refusal(actor, user)
    if refusal:
        raise PermissionDenied(refusal)
    deleted, _ = TOTPDevice.objects.filter(user=user).delete()
    if deleted:
        audit.record(action="people.user.second_factor_removed", obj=user, actor=actor)
        transaction.on_commit(lambda: notifications.second_factor_removed(user=user, actor=actor))


# Self-registration ---------------------------------------------------------------------------


@transaction.atomic
def api_token_create(*, user: User, actor=None) -> Token:
    """A new API token for `user`, replacing any they had (one token per user). The key is not
    audited."""
    replaced, _ = Token.objects.filter(user=user).delete()
    token = Token.objects.create(user=user)
    audit.record(
        action="api.token.created",
        obj=user,
        actor=actor,
        changes={"replaced_existing": bool(replaced)},
    )
    return token


@transaction.atomic
def api_tokens_revoke(*, user: User, reason: str, actor=None) -> int:
    """Delete `user`'s API tokens (on a password change or reset, and on deactivation): a key
    must not outlive the password of the person it stands for."""
    revoked, _ = Token.objects.filter(user=user).delete()
    if revoked:
        audit.record(action="api.token.revoked", obj=user, actor=actor, changes={"reason": reason})
    return revoked


@transaction.atomic
def password_set(*, user: User, password: str, actor=None) -> User:
    """Give `user` a new password; their API tokens go with the old one."""
    user.set_password(password)
    user.save(update_fields=["password"])
    audit.record(action="people.user.password_changed", obj=user, actor=actor)
    api_tokens_revoke(user=user, reason="password changed", actor=actor)
    return user


def agency_for_email(email: str, *, partnership: Partnership | None = None) -> list[Agency]:
    """Partner agencies whose e-mail domains include the address's domain."""
    domain = email.rsplit("@", 1)[-1].strip().lower()
    agencies = Agency.objects.filter(is_active=True)
    if partnership is not None:
        agencies = agencies.filter(partnership=partnership)
    return [agency for agency in agencies if domain in agency.email_domains]


@transaction.atomic
def registration_submit(
    *, email: str, given_name: str, family_name: str, agency: Agency, job_title: str
) -> RegistrationRequest:
    email = email.strip().lower()
    domain = email.rsplit("@", 1)[-1]
    if domain not in agency.email_domains:
        raise ValidationError({"email": "Use your work e-mail address at the agency you chose."})
    if email_in_use(email):
        raise ValidationError(
            {
                "email": "An account with this e-mail address already exists. "
                "Sign in or reset your password."
            }
        )
    if RegistrationRequest.objects.filter(
        email__iexact=email, status=RegistrationRequest.Status.PENDING
    ).exists():
        raise ValidationError(
            {"email": "A request for this e-mail address is already waiting for approval."}
        )
    request = audited_create(
        RegistrationRequest,
        action="people.registration.submitted",
        actor=None,
        email=email,
        given_name=given_name.strip(),
        family_name=family_name.strip(),
        agency=agency,
        job_title=job_title.strip(),
    )
    approvers = User.objects.filter(
        is_active=True,
        memberships__agency=agency,
        memberships__role_grants__role=Role.AGENCY_APPROVER,
    ).distinct()
    recipients = [u.email for u in approvers] or [
        u.email
        for u in User.objects.filter(
            is_active=True, memberships__role_grants__role=Role.ADMIN
        ).distinct()
    ]
    if recipients:
        link = settings.SITE_URL + reverse("people:registration-list")
        transaction.on_commit(
            lambda: send_mail(
                f"New account request: {request.given_name} {request.family_name}",
                render_to_string(
                    "people/email/registration_submitted.txt",
                    {"registration": request, "link": link, **_email_context()},
                ),
                None,
                recipients,
            )
        )
    return request


@transaction.atomic
def registration_approve(
    *, registration: RegistrationRequest, actor, roles: Iterable[str] = (Role.PRACTITIONER,)
) -> User:
    registration = RegistrationRequest.objects.select_for_update().get(pk=registration.pk)
    if registration.status != RegistrationRequest.Status.PENDING:
        raise ValidationError("This request has already been decided.")
    user = person_create(
        email=registration.email,
        given_name=registration.given_name,
        family_name=registration.family_name,
        agency=registration.agency,
        roles=roles,
        job_title=registration.job_title,
        actor=actor,
    )
    audited_update(
        registration,
        action="people.registration.approved",
        actor=actor,
        status=RegistrationRequest.Status.APPROVED,
        decided_by=actor,
        decided_at=timezone.now(),
    )
    transaction.on_commit(lambda: send_set_password_email(user=user, welcome=True))
    return user


@transaction.atomic
def registration_reject(*, registration: RegistrationRequest, reason: str, actor) -> None:
    registration = RegistrationRequest.objects.select_for_update().get(pk=registration.pk)
    if registration.status != RegistrationRequest.Status.PENDING:
        raise ValidationError("This request has already been decided.")
    audited_update(
        registration,
        action="people.registration.rejected",
        actor=actor,
        status=RegistrationRequest.Status.REJECTED,
        decided_by=actor,
        decided_at=timezone.now(),
        decision_note=reason,
    )
    transaction.on_commit(
        lambda: send_mail(
            "Your account request was not approved",
            render_to_string(
                "people/email/registration_rejected.txt",
                {"registration": registration, **_email_context()},
            ),
            None,
            [registration.email],
        )
    )


def _email_context() -> dict:
    return {"partnership_name": settings.PARTNERSHIP_NAME}


def send_set_password_email(*, user: User, welcome: bool = False) -> None:
    uid = urlsafe_base64_encode(force_bytes(user.pk))
    token = default_token_generator.make_token(user)
    link = settings.SITE_URL + reverse("people:password-reset-confirm", args=[uid, token])
    send_mail(
        "Your account is ready" if welcome else "Reset your password",
        render_to_string(
            "people/email/set_password.txt",
            {"user": user, "link": link, "welcome": welcome, **_email_context()},
        ),
        None,
        [user.email],
    )
