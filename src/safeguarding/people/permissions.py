"""Roles, and what each role may do. People owns the roles and who may grant them; each app
declares its own capabilities (`declare`, from its AppConfig.ready()). Capabilities are checked
with `can()`; scoping to agencies is the job of each app's access helpers (people.access,
learning.access, ...), which use `roles_of()` and `agency_ids_with()`."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from functools import wraps

from django.core.exceptions import PermissionDenied

from safeguarding.people.models import Role

MANAGE_PEOPLE = "people.manage"  # agencies, localities, teams, people, imports: whole partnership
VIEW_AGENCY_PEOPLE = "people.view_agency"  # colleagues in one's own agencies
APPROVE_REGISTRATIONS = "people.approve_registrations"  # own agency, or all for the business unit
VIEW_AUDIT = "audit.view"  # the audit trail pages

# role -> capabilities, filled by every app's declare(); people's own are declared below.
CAPABILITIES: dict[str, frozenset[str]] = {}


def declare(capabilities: Mapping[str, Iterable[str]]) -> None:
    """Grant each role the capabilities listed against it (added to what other apps declared)."""
    for role, granted in capabilities.items():
        if role not in Role.values:
            raise ValueError(f"Unknown role {role!r}")
        CAPABILITIES[role] = CAPABILITIES.get(role, frozenset()) | frozenset(granted)


declare(
    {
        Role.ADMIN: {MANAGE_PEOPLE, VIEW_AGENCY_PEOPLE, APPROVE_REGISTRATIONS},
        Role.PRACTITIONER: {VIEW_AGENCY_PEOPLE},
        Role.TRAINER: {VIEW_AGENCY_PEOPLE},
        Role.LINE_MANAGER: {VIEW_AGENCY_PEOPLE},
        Role.HEALTH_RECORDS_ANALYST: {VIEW_AGENCY_PEOPLE},
        Role.AUDITOR: {VIEW_AUDIT},
        Role.AGENCY_APPROVER: {VIEW_AGENCY_PEOPLE, APPROVE_REGISTRATIONS},
        Role.SAFEGUARDING_LEAD: {VIEW_AGENCY_PEOPLE},
    }
)

# Roles that can see child-level records (or grant access to them) sign in with a second factor.
TWO_FACTOR_ROLES = frozenset(
    {
        Role.ADMIN,
        Role.PRACTITIONER,
        Role.HEALTH_RECORDS_ANALYST,
        Role.AUDITOR,
        Role.AGENCY_APPROVER,
        Role.SAFEGUARDING_LEAD,
        Role.LINE_MANAGER,
    }
)

# Who may give (or take away) which role. The business unit and the audit trail's readers are
# appointed by a superuser only; agency approvers give everyday roles in their own agency.
RESTRICTED_ROLES = frozenset({Role.ADMIN, Role.AUDITOR})
APPROVER_GRANTS = frozenset({Role.PRACTITIONER, Role.TRAINER, Role.LINE_MANAGER})


def grantable_roles(actor, agency=None) -> frozenset[str]:
    """The roles `actor` may grant in `agency`. None is the system (commands, the demo loader)."""
    if actor is None or getattr(actor, "is_superuser", False):
        return frozenset(Role.values)
    if is_business_unit(actor):
        return frozenset(Role.values) - RESTRICTED_ROLES
    if agency is not None and can(actor, APPROVE_REGISTRATIONS, agency):
        return APPROVER_GRANTS
    return frozenset()


def credentials_refusal(actor, target) -> str | None:
    """Why `actor` may not change the e-mail address, authenticator or password of `target`'s
    account, or None if they may (docs/adr/0010). Nobody may change them for an account that
    holds a role they could not grant, or that is more privileged than their own (a superuser or
    staff account is more privileged than any non-superuser). None is the system; everyone may
    change their own."""
    if actor is None or actor == target or getattr(actor, "is_superuser", False):
        return None
    if target.is_superuser or target.is_staff:
        return (
            "You cannot change the e-mail address, authenticator or password of this account: "
            "only a superuser can change those of a superuser or staff account."
        )
    if not can(actor, MANAGE_PEOPLE):
        return "Only the business unit can change another person's sign-in details."
    beyond = roles_of(target) - grantable_roles(actor)
    if beyond:
        names = ", ".join(sorted(Role(role).label for role in beyond))
        return (
            "You cannot change the e-mail address, authenticator or password of this account: "
            f"it holds a role you cannot grant ({names}). Ask a superuser."
        )
    return None


def may_change_credentials(actor, target) -> bool:
    return credentials_refusal(actor, target) is None


def roles_of(user, agency=None) -> set[str]:
    """The role codes the user holds, in one agency or in any. Cached on the user object."""
    if not getattr(user, "is_authenticated", False):
        return set()
    cache = getattr(user, "_role_cache", None)
    if cache is None:
        from safeguarding.people.models import RoleGrant

        cache = {}
        grants = RoleGrant.objects.filter(membership__user=user).values_list(
            "membership__agency_id", "role"
        )
        for agency_id, role in grants:
            cache.setdefault(agency_id, set()).add(role)
        user._role_cache = cache
    if agency is not None:
        agency_id = getattr(agency, "pk", agency)
        return set(cache.get(agency_id, set()))
    return set().union(*cache.values()) if cache else set()


def agency_ids_with(user, capability: str) -> set[int]:
    """The agencies in which one of the user's roles has the capability."""
    roles_of(user)  # fills the cache
    return {
        agency_id
        for agency_id, roles in getattr(user, "_role_cache", {}).items()
        if any(capability in CAPABILITIES.get(role, ()) for role in roles)
    }


def agency_ids_with_role(user, role: str) -> set[int]:
    """The agencies in which the user holds the role (from the same cache: no query once read)."""
    roles_of(user)  # fills the cache
    return {
        agency_id for agency_id, roles in getattr(user, "_role_cache", {}).items() if role in roles
    }


def is_business_unit(user) -> bool:
    return bool(getattr(user, "is_superuser", False)) or Role.ADMIN in roles_of(user)


def can(user, capability: str, agency=None) -> bool:
    if not getattr(user, "is_authenticated", False) or not user.is_active:
        return False
    if user.is_superuser:
        return True
    return any(capability in CAPABILITIES.get(role, ()) for role in roles_of(user, agency))


def requires_two_factor(user) -> bool:
    if not getattr(user, "is_authenticated", False):
        return False
    return user.is_superuser or user.is_staff or bool(roles_of(user) & TWO_FACTOR_ROLES)


def capability_required(capability: str):
    """View decorator: 403 unless the signed-in user has the capability in some agency."""

    def decorator(view):
        @wraps(view)
        def wrapped(request, *args, **kwargs):
            if not can(request.user, capability):
                raise PermissionDenied
            return view(request, *args, **kwargs)

        return wrapped

    return decorator
