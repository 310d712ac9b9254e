"""The demo partnership (load_demo) and the synthetic-data generator (generate_synthetic)."""

from __future__ import annotations

import base64
import re
from io import StringIO

import pytest
from django.contrib.auth import authenticate
from django.core.management import call_command, load_command_class
from django.core.management.base import CommandError
from django.test import RequestFactory
from django_otp.oath import totp
from django_otp.plugins.otp_totp.models import TOTPDevice

from safeguarding.core.models import AuditEntry
from safeguarding.people import demo, synthetic
from safeguarding.people.models import (
    Agency,
    Locality,
    Membership,
    Partnership,
    Role,
    RoleGrant,
    Sector,
    Team,
    User,
)

ACCOUNT_ROW = re.compile(
    r"^\s+(?P<role>\S.*?)\s{2,}(?P<email>\S+@\S+)\s+(?P<password>\S+)\s+"
    r"(?P<key>[A-Z2-7]{16,})$"
)


def _load_demo() -> tuple[str, dict[str, dict[str, str]]]:
    out = StringIO()
    call_command("load_demo", stdout=out)
    text = out.getvalue()
    accounts = {m["email"]: m.groupdict() for m in map(ACCOUNT_ROW.match, text.splitlines()) if m}
    return text, accounts


def _counts() -> dict[str, int]:
    return {
        "partnerships": Partnership.objects.count(),
        "localities": Locality.objects.count(),
        "agencies": Agency.objects.count(),
        "teams": Team.objects.count(),
        "users": User.objects.count(),
        "memberships": Membership.objects.count(),
        "role_grants": RoleGrant.objects.count(),
        "devices": TOTPDevice.objects.count(),
    }


def _sign_in(email: str, password: str):
    return authenticate(
        request=RequestFactory().post("/sign-in/"), username=email, password=password
    )


@pytest.mark.django_db
def test_load_demo_is_idempotent_and_prints_working_persona_accounts():
    first_text, first = _load_demo()
    counts = _counts()
    second_text, second = _load_demo()

    assert _counts() == counts  # nothing added twice
    assert counts["localities"] == 4
    assert counts["agencies"] >= 35
    assert counts["users"] >= 900
    assert counts["devices"] == len(demo.PERSONAS)
    assert set(first) == set(second) == {p.email for p in demo.PERSONAS}
    assert "oathtool --totp -b" in second_text
    assert "Business unit admin" in second_text

    for email, account in second.items():
        assert first[email]["password"] != account["password"]  # new passwords every run
        assert first[email]["key"] == account["key"]  # the same authenticator on every run
        user = _sign_in(email, account["password"])
        assert user is not None and user.email == email
        assert not user.check_password(first[email]["password"])  # (a failed sign-in would
        # count towards the lockout of the test client's address)
        device = TOTPDevice.objects.get(user=user, confirmed=True)
        padded = account["key"] + "=" * (-len(account["key"]) % 8)
        assert base64.b32decode(padded) == device.bin_key
        assert device.verify_token(f"{totp(device.bin_key, step=device.step, t0=device.t0):06d}")

    assert AuditEntry.objects.filter(action="people.user.password_set_by_demo").count() == (
        2 * len(demo.PERSONAS)
    )
    bulk = AuditEntry.objects.filter(action="people.demo.bulk_created")
    assert {e.object_type for e in bulk} == {
        "people.agency",
        "people.team",
        "people.user",
        "people.membership",
        "people.rolegrant",
    }
    assert bulk.count() == 5  # the second run inserted nothing, so it audited no bulk insert
    assert AuditEntry.objects.filter(action="people.demo.loaded").count() == 2


@pytest.mark.django_db
def test_demo_partnership_shape():
    _load_demo()
    partnership = Partnership.objects.get(name=demo.DEMO_PARTNERSHIP)
    agencies = partnership.agencies.all()
    assert set(agencies.values_list("sector", flat=True)) == set(Sector.values)
    assert agencies.filter(sector=Sector.DISTRICT_COUNCIL).count() == 5
    for agency in agencies:
        assert all(d.endswith(".example") for d in agency.email_domains)
        assert RoleGrant.objects.filter(
            membership__agency=agency, role=Role.AGENCY_APPROVER
        ).exists(), agency
    statutory = agencies.filter(is_statutory_partner=True)
    assert RoleGrant.objects.filter(role=Role.BOARD_MEMBER).count() == statutory.count()
    assert 25 <= RoleGrant.objects.filter(role=Role.TRAINER).count() <= 35
    assert RoleGrant.objects.filter(role=Role.HEALTH_RECORDS_ANALYST).exists()
    assert RoleGrant.objects.filter(role=Role.AUDITOR).exists()
    assert RoleGrant.objects.filter(role=Role.ADMIN).count() >= 3

    # Every team has a line manager, and its practitioners report to someone.
    for team in Team.objects.filter(agency__partnership=partnership):
        managers = team.memberships.filter(role_grants__role=Role.LINE_MANAGER)
        assert managers.exists(), team
    practitioners = Membership.objects.filter(role_grants__role=Role.PRACTITIONER).exclude(
        role_grants__role=Role.LINE_MANAGER
    )
    assert not practitioners.filter(line_manager__isnull=True).exists()

    police_lm = User.objects.get(email="grace.okonkwo@cambs.police.example")
    police_pa = Membership.objects.get(user__email="tom.fairbairn@cambs.police.example")
    assert police_pa.line_manager == police_lm
    assert police_lm.managed_memberships.count() > 1
    assert not User.objects.exclude(email__endswith=".example").exists()


def test_plans_are_deterministic():
    assert demo.demo_plan() == demo.demo_plan()
    one = synthetic.synthetic_plan(seed=7, index=0, agencies=40, practitioners=300)
    again = synthetic.synthetic_plan(seed=7, index=0, agencies=40, practitioners=300)
    other = synthetic.synthetic_plan(seed=8, index=0, agencies=40, practitioners=300)
    assert one == again
    assert [p.email for p in one.people] != [p.email for p in other.people]
    assert one.counts()["agencies"] == 40
    assert one.counts()["practitioners"] == 300


def test_synthetic_county_plan_shape():
    plan = synthetic.synthetic_plan(seed=1, index=0, agencies=600, practitioners=20_000)
    sectors = [a.sector for a in plan.agencies]
    assert len(plan.agencies) == 600
    assert 230 <= sectors.count(Sector.SCHOOL) <= 270
    assert 70 <= sectors.count(Sector.GP_PRACTICE) <= 90
    assert set(sectors) == set(Sector.values)
    assert len(plan.people) == 20_000
    emails = [p.email.lower() for p in plan.people]
    assert len(set(emails)) == len(emails)
    assert all("barsetshire" in e for e in emails)
    positions = {p.email: i for i, p in enumerate(plan.people)}
    assert all(positions[p.manager] < positions[p.email] for p in plan.people if p.manager)


def _synthetic_emails() -> list[str]:
    return sorted(
        User.objects.filter(
            memberships__agency__partnership__name__in=[
                synthetic.synthetic_partnership_name(c) for c in synthetic.COUNTIES
            ]
        ).values_list("email", flat=True)
    )


def _delete_synthetic() -> None:
    partnerships = Partnership.objects.exclude(name=demo.DEMO_PARTNERSHIP)
    User.objects.filter(memberships__agency__partnership__in=partnerships).delete()
    Agency.objects.filter(partnership__in=partnerships).delete()
    Locality.objects.filter(partnership__in=partnerships).delete()
    partnerships.delete()


@pytest.mark.django_db
def test_generate_synthetic_small_scale_is_deterministic():
    # People only: learning/tests/test_synthetic.py checks the training history.
    out = StringIO()
    call_command(
        "generate_synthetic",
        "--scale",
        "test",
        "--seed",
        "7",
        "--no-training",
        stdout=out,
        stderr=StringIO(),
    )
    assert "Total: 40 agencies" in out.getvalue()
    assert "300 practitioners" in out.getvalue()
    first = _synthetic_emails()
    assert len(first) == 300
    assert Membership.objects.filter(line_manager__isnull=False).count() > 200
    entry = AuditEntry.objects.get(action="people.synthetic.generated")
    assert entry.changes["totals"]["practitioners"] == 300
    assert not User.objects.filter(password__regex=r"^[^!]").exists()  # all unusable

    with pytest.raises(CommandError, match="fresh database"):
        call_command(
            "generate_synthetic",
            "--scale",
            "test",
            "--seed",
            "7",
            stdout=StringIO(),
            stderr=StringIO(),
        )

    _delete_synthetic()
    call_command(
        "generate_synthetic",
        "--scale",
        "test",
        "--seed",
        "7",
        "--no-training",
        stdout=StringIO(),
        stderr=StringIO(),
    )
    assert _synthetic_emails() == first


@pytest.mark.django_db
def test_generate_synthetic_options():
    call_command(
        "generate_synthetic",
        "--counties",
        "2",
        "--agencies-per-county",
        "30",
        "--practitioners-per-county",
        "150",
        stdout=StringIO(),
        stderr=StringIO(),
    )
    assert Partnership.objects.count() == 2
    assert Agency.objects.count() == 60
    assert User.objects.count() == 300
    emails = _synthetic_emails()
    assert len({e.lower() for e in emails}) == 300
    with pytest.raises(CommandError):
        call_command("generate_synthetic", "--agencies-per-county", "5", stdout=StringIO())
    parser = load_command_class("safeguarding.core", "generate_synthetic").create_parser(
        "manage.py", "generate_synthetic"
    )
    assert "--scale" in parser.format_help() and "region" in parser.format_help()


@pytest.mark.django_db
def test_demo_and_synthetic_data_live_side_by_side():
    _load_demo()
    demo_users = User.objects.count()
    call_command(
        "generate_synthetic", "--scale", "test", "--seed", "1", stdout=StringIO(), stderr=StringIO()
    )
    assert User.objects.count() == demo_users + 300
    _, accounts = _load_demo()  # the demo still loads, and adds nothing
    assert User.objects.count() == demo_users + 300
    assert len(accounts) == len(demo.PERSONAS)
