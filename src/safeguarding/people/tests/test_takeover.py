"""Account takeover by the business unit (issue 15, item 1): for every pair of roles, an actor
walks the whole chain against a target - change the target's e-mail address on the person edit
page, remove their authenticator, reset the password through the new address, sign in as them -
and is refused where the rule says (people.permissions.may_change_credentials, docs/adr/0009)."""

from __future__ import annotations

import re

import pytest
from django.core import mail
from django.core.exceptions import PermissionDenied, ValidationError
from django.test import Client
from django_otp.plugins.otp_totp.models import TOTPDevice

from safeguarding.conftest import signed_in
from safeguarding.core.models import AuditEntry
from safeguarding.people import services
from safeguarding.people.models import Role, User
from safeguarding.people.permissions import RESTRICTED_ROLES

SUPERUSER = "superuser"
STAFF = "staff"
ACTORS = [*Role.values, SUPERUSER]
TARGETS = [*Role.values, SUPERUSER, STAFF]
NEW_PASSWORD = "a brand new passphrase 42"


def _make(email, agency, kind) -> User:
    if kind == SUPERUSER:
        return User.objects.create_superuser(email=email, password="correct horse battery staple")
    user = services.person_create(
        email=email,
        given_name="Tess",
        family_name="Target",
        agency=agency,
        roles=[] if kind == STAFF else [kind],
        password="correct horse battery staple",
    )
    if kind == STAFF:
        User.objects.filter(pk=user.pk).update(is_staff=True)
        user.refresh_from_db()
    return user


def _expected(actor_kind, target_kind) -> bool:
    """The rule, written out: only the business unit manages accounts; a superuser may change
    anyone's; an admin may not touch a superuser or staff account, nor one holding a role only a
    superuser grants (admin, auditor)."""
    if actor_kind == SUPERUSER:
        return True
    if actor_kind != Role.ADMIN:
        return False
    return target_kind not in {SUPERUSER, STAFF} and target_kind not in RESTRICTED_ROLES


def _walk_the_chain(actor_client, target, agency, new_email) -> str:
    """Returns how far the takeover got: 'email', 'authenticator', 'password' or 'signed in'."""
    roles = sorted(target.memberships.first().role_codes) if target.memberships.exists() else []
    actor_client.post(
        f"/people/{target.pk}/edit/",
        {
            "given_name": target.given_name or "Tess",
            "family_name": target.family_name or "Target",
            "email": new_email,
            "agency": agency.pk,
            "roles": roles or [Role.PRACTITIONER],
            "job_title": "",
        },
    )
    target.refresh_from_db()
    if target.email != new_email:
        return "email"
    actor_client.post(f"/people/{target.pk}/reset-two-factor/")
    if TOTPDevice.objects.filter(user=target).exists():
        return "authenticator"
    mail.outbox.clear()
    anonymous = Client()
    anonymous.post("/password-reset/", {"email": new_email})
    links = [m for m in mail.outbox if new_email in m.to]
    if not links:
        return "password"
    link = re.search(r"https?://[^/\s]+(/password-reset/\S+/)", links[0].body).group(1)
    form_page = anonymous.get(link, follow=True)
    anonymous.post(
        form_page.redirect_chain[-1][0] if form_page.redirect_chain else link,
        {"new_password1": NEW_PASSWORD, "new_password2": NEW_PASSWORD},
    )
    target.refresh_from_db()
    if not target.check_password(NEW_PASSWORD):
        return "password"
    return "signed in"


@pytest.mark.django_db
@pytest.mark.parametrize("target_kind", TARGETS)
@pytest.mark.parametrize("actor_kind", ACTORS)
def test_takeover_chain_for_every_pair_of_roles(actor_kind, target_kind, business_unit, agency_a):
    actor = _make(f"actor.{actor_kind}@scp.example", business_unit, actor_kind)
    target = _make(f"tess.{target_kind}@police.example", agency_a, target_kind)
    TOTPDevice.objects.create(user=target, name="phone", confirmed=True)
    actor_client = signed_in(Client(), actor)
    got = _walk_the_chain(actor_client, target, agency_a, "attacker@police.example")
    if _expected(actor_kind, target_kind):
        assert got == "signed in"
    else:
        assert got == "email"
        assert TOTPDevice.objects.filter(user=target).exists()
        # The authenticator step is refused on its own too, not only because the e-mail was.
        actor_client.post(f"/people/{target.pk}/reset-two-factor/")
        assert TOTPDevice.objects.filter(user=target).exists()
        target.refresh_from_db()
        assert target.email == f"tess.{target_kind}@police.example"


@pytest.mark.django_db
def test_admin_is_told_why_the_email_change_is_refused(business_unit, agency_a):
    actor = _make("ada.admin@scp.example", business_unit, Role.ADMIN)
    target = _make("aud.itor@police.example", agency_a, Role.AUDITOR)
    response = signed_in(Client(), actor).post(
        f"/people/{target.pk}/edit/",
        {
            "given_name": "Aud",
            "family_name": "Itor",
            "email": "attacker@police.example",
            "agency": agency_a.pk,
            "roles": [Role.AUDITOR],
        },
    )
    assert response.status_code == 200
    page = response.content.decode()
    assert "govuk-error-summary" in page
    assert "it holds a role you cannot grant (Auditor)" in page
    target.refresh_from_db()
    assert target.email == "aud.itor@police.example"


@pytest.mark.django_db
def test_refused_authenticator_removal_shows_an_error(business_unit, agency_a):
    actor = _make("ada.admin@scp.example", business_unit, Role.ADMIN)
    target = _make("root.user@scp.example", agency_a, SUPERUSER)
    TOTPDevice.objects.create(user=target, name="phone", confirmed=True)
    client = signed_in(Client(), actor)
    page = client.get(f"/people/{target.pk}/").content.decode()
    assert "Remove their authenticator app" not in page
    response = client.post(f"/people/{target.pk}/reset-two-factor/")
    assert response.status_code == 403
    assert "govuk-error-summary" in response.content.decode()
    assert "superuser or staff account" in response.content.decode()
    assert not AuditEntry.objects.filter(action="people.user.second_factor_removed").exists()
    assert TOTPDevice.objects.filter(user=target).exists()


@pytest.mark.django_db(transaction=True)
def test_an_email_change_notifies_the_old_address(business_unit, agency_a):
    actor = _make("ada.admin@scp.example", business_unit, Role.ADMIN)
    target = _make("pat.prac@police.example", agency_a, Role.PRACTITIONER)
    mail.outbox.clear()
    services.person_update(user=target, actor=actor, email="Pat.New@police.example")
    target.refresh_from_db()
    assert target.email == "pat.new@police.example"
    (notice,) = [m for m in mail.outbox if m.to == ["pat.prac@police.example"]]
    assert "pat.new@police.example" in notice.body
    assert "ada.admin@scp.example" in notice.body
    entry = AuditEntry.objects.filter(action="people.user.updated", object_id=str(target.pk)).get()
    assert "pat.new@police.example" in str(entry.changes)


@pytest.mark.django_db(transaction=True)
def test_removing_an_authenticator_is_audited_and_notifies_the_person(business_unit, agency_a):
    actor = _make("ada.admin@scp.example", business_unit, Role.ADMIN)
    target = _make("pat.prac@police.example", agency_a, Role.PRACTITIONER)
    TOTPDevice.objects.create(user=target, name="phone", confirmed=True)
    mail.outbox.clear()
    services.second_factor_remove(user=target, actor=actor)
    assert AuditEntry.objects.filter(
        action="people.user.second_factor_removed", object_id=str(target.pk), actor=actor
    ).exists()
    (notice,) = [m for m in mail.outbox if m.to == ["pat.prac@police.example"]]
    assert "authenticator app" in notice.body
    assert "ada.admin@scp.example" in notice.body


@pytest.mark.django_db
@pytest.mark.parametrize("target_kind", [Role.ADMIN, Role.AUDITOR, SUPERUSER, STAFF])
def test_the_services_refuse_an_admin_whatever_the_caller(target_kind, business_unit, agency_a):
    actor = _make("ada.admin@scp.example", business_unit, Role.ADMIN)
    target = _make("tess.target@police.example", agency_a, target_kind)
    with pytest.raises(ValidationError):
        services.person_update(user=target, actor=actor, email="attacker@police.example")
    with pytest.raises(PermissionDenied):
        services.second_factor_remove(user=target, actor=actor)
