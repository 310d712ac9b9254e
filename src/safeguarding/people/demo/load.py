"""Loading (or refreshing) the demo partnership's people, and new passwords for the personas."""

from __future__ import annotations

import base64
import secrets
from collections import Counter
from dataclasses import dataclass
from typing import Any

from django.db import transaction

from safeguarding.core import audit
from safeguarding.people import services
from safeguarding.people.demo.personas import PERSONAS, Persona, demo_plan
from safeguarding.people.models import Agency, Membership, Partnership, Role, RoleGrant, Team, User
from safeguarding.people.plan.building import PersonSpec
from safeguarding.people.plan.writing import Written, write_people, write_structure


@dataclass
class PersonaAccount:
    persona: Persona
    user: User
    password: str
    totp_key: str  # base32, as authenticator apps and `oathtool --totp -b` take it
    device_created: bool


@dataclass
class DemoResult:
    partnership: Partnership
    accounts: list[PersonaAccount]
    created: Counter
    totals: dict[str, int]


def _ensure_persona(
    persona: Persona, spec: PersonSpec, written: Written, manager: User | None
) -> User:
    agency = written.agencies[spec.agency]
    team = written.teams.get((spec.agency, spec.team)) if spec.team else None
    user = User.objects.filter(email__iexact=persona.email).first()
    if user is None:
        return services.person_create(
            email=persona.email,
            given_name=persona.given_name,
            family_name=persona.family_name,
            agency=agency,
            roles=persona.roles,
            job_title=persona.job_title,
            team=team,
            line_manager=manager,
        )
    if not user.is_active:
        services.user_reactivate(user=user, actor=None)
    services.person_update(
        user=user, actor=None, given_name=persona.given_name, family_name=persona.family_name
    )
    membership = Membership.objects.filter(user=user, agency=agency).first()
    if membership is None:
        services.membership_create(
            user=user,
            agency=agency,
            roles=persona.roles,
            job_title=persona.job_title,
            team=team,
            line_manager=manager,
        )
    else:
        values: dict[str, Any] = {"team": team, "job_title": persona.job_title}
        if manager is not None:
            values["line_manager"] = manager
        services.membership_update(membership=membership, actor=None, roles=persona.roles, **values)
    return user


def _persona_device(user: User) -> tuple[Any, bool]:
    from django_otp.plugins.otp_totp.models import TOTPDevice

    device = TOTPDevice.objects.filter(user=user, confirmed=True).order_by("pk").first()
    if device is not None:
        return device, False
    device = TOTPDevice.objects.create(user=user, name="Demo authenticator", confirmed=True)
    audit.record(
        action="people.user.second_factor_added",
        obj=user,
        changes={"device": device.name, "by": "load_demo"},
    )
    return device, True


def load_demo(*, progress_factory=None) -> DemoResult:
    """Load (or refresh) the demo partnership and issue new passwords to the persona accounts."""
    plan = demo_plan()
    personas = {p.key: p for p in PERSONAS}
    specs = {p.persona: p for p in plan.people if p.persona}
    with transaction.atomic():
        partnership = Partnership.objects.filter(name=plan.partnership).first()
        if partnership is None:
            partnership = services.partnership_create(name=plan.partnership, area=plan.area)
        existing = set(partnership.localities.values_list("name", flat=True))
        for name in plan.localities:
            if name not in existing:
                services.locality_create(partnership=partnership, name=name)
        written = write_structure(plan)
        created = Counter(written.created)
        _audit_bulk(partnership, Agency, written.created["agencies"])
        _audit_bulk(partnership, Team, written.created["teams"])

        # Personas first (through the services), so bulk-loaded colleagues can report to them.
        users: dict[str, User] = {}
        for key in sorted(specs, key=lambda k: Role.LINE_MANAGER not in specs[k].roles):
            spec = specs[key]
            manager = (
                User.objects.filter(email__iexact=spec.manager).first() if spec.manager else None
            )
            users[key] = _ensure_persona(personas[key], spec, written, manager)

        progress = progress_factory(len(plan.people) - len(specs)) if progress_factory else None
        try:
            people_created = write_people(plan, written, progress=progress)
        finally:
            if progress is not None:
                progress.close()
        created.update(people_created)
        _audit_bulk(partnership, User, people_created["users"])
        _audit_bulk(partnership, Membership, people_created["memberships"])
        _audit_bulk(partnership, RoleGrant, people_created["role_grants"])

        # Line managers of personas who report to bulk-loaded people exist only now.
        for key, spec in specs.items():
            if spec.manager:
                manager = User.objects.get(email__iexact=spec.manager)
                membership = Membership.objects.get(
                    user=users[key], agency=written.agencies[spec.agency]
                )
                if membership.line_manager_id != manager.pk:
                    services.membership_update(
                        membership=membership, actor=None, line_manager=manager
                    )

        accounts = []
        for persona in PERSONAS:
            user = users[persona.key]
            password = secrets.token_urlsafe(15)
            while not password[0].isalnum():  # easier to paste into a terminal
                password = secrets.token_urlsafe(15)
            user.set_password(password)
            user.save(update_fields=["password"])
            audit.record(
                action="people.user.password_set_by_demo",
                obj=user,
                changes={"password": "new random password printed by load_demo"},
            )
            device, device_created = _persona_device(user)
            key = base64.b32encode(device.bin_key).decode().rstrip("=")
            accounts.append(PersonaAccount(persona, user, password, key, device_created))

        totals = {
            "localities": partnership.localities.count(),
            "agencies": partnership.agencies.count(),
            "teams": Team.objects.filter(agency__partnership=partnership).count(),
            "people": User.objects.filter(memberships__agency__partnership=partnership)
            .distinct()
            .count(),
            "trainers": RoleGrant.objects.filter(
                membership__agency__partnership=partnership, role=Role.TRAINER
            ).count(),
        }
        audit.record(
            action="people.demo.loaded",
            obj=partnership,
            changes={"created": dict(created), "totals": totals},
        )
    return DemoResult(partnership, accounts, created, totals)


def _audit_bulk(partnership: Partnership, model, count: int) -> None:
    if count:
        audit.record(
            action="people.demo.bulk_created",
            object_type=model._meta.label_lower,
            object_repr=f"{count} {model._meta.verbose_name_plural} for {partnership}"[:200],
            changes={"created": count, "partnership": partnership.name},
        )
