"""Shared fixtures: a small partnership and the personas every module's tests use.

Personas (extend them, don't reinvent them):
- admin: business unit admin (agency: the partnership's business unit)
- practitioner_a / practitioner_b: practitioners in agency A (police) and agency B (health)
- line_manager_a: line manager in agency A who manages practitioner_a
- auditor: information governance
- anonymous: the `client` fixture, not signed in

`signed_in(client, user)` signs a test client in with a verified second factor.
"""

from __future__ import annotations

import os

import pytest
from django.test import Client
from django_otp import DEVICE_ID_SESSION_KEY
from django_otp.plugins.otp_totp.models import TOTPDevice
from rest_framework.test import APIClient

from safeguarding.people import services
from safeguarding.people.models import Role, Sector

# On PostgreSQL the audit table refuses TRUNCATE unless the session asks for it and the role owns
# the table (core migration 0002). The flush between transactional tests truncates every table, so
# the test database's connections ask for it; tests that check the refusal switch it off.
os.environ.setdefault("PGOPTIONS", "-c safeguarding.allow_audit_truncate=on")


def signed_in(client: Client, user) -> Client:
    device, _ = TOTPDevice.objects.get_or_create(
        user=user, name="test", defaults={"confirmed": True}
    )
    client.force_login(user)
    session = client.session
    session[DEVICE_ID_SESSION_KEY] = device.persistent_id
    session.save()
    return client


@pytest.fixture(autouse=True)
def _fast_settings(settings):
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    settings.AXES_ENABLED = True


@pytest.fixture
def partnership(db):
    partnership = services.partnership_create(
        name="Test Safeguarding Children Partnership", area="Testshire"
    )
    for name in ["North", "South", "East", "West"]:
        services.locality_create(partnership=partnership, name=name)
    return partnership


@pytest.fixture
def business_unit(partnership):
    return services.agency_create(
        partnership=partnership,
        name="Partnership business unit",
        sector=Sector.OTHER,
        email_domains=["scp.example"],
    )


@pytest.fixture
def agency_a(partnership):
    return services.agency_create(
        partnership=partnership,
        name="Testshire Police",
        sector=Sector.POLICE,
        is_statutory_partner=True,
        funds_partnership=True,
        email_domains=["police.example"],
    )


@pytest.fixture
def agency_b(partnership):
    return services.agency_create(
        partnership=partnership,
        name="Testshire Community Health",
        sector=Sector.COMMUNITY_HEALTH,
        is_statutory_partner=True,
        email_domains=["health.example"],
    )


def _person(email, agency, roles, **extra):
    given, family = email.split("@")[0].split(".")
    return services.person_create(
        email=email,
        given_name=given.title(),
        family_name=family.title(),
        agency=agency,
        roles=roles,
        password="correct horse battery staple",
        **extra,
    )


@pytest.fixture
def admin(business_unit):
    return _person(
        "ada.admin@scp.example", business_unit, [Role.ADMIN], job_title="Business manager"
    )


@pytest.fixture
def line_manager_a(agency_a):
    return _person(
        "lena.manager@police.example",
        agency_a,
        [Role.PRACTITIONER, Role.LINE_MANAGER],
        job_title="Detective inspector",
    )


@pytest.fixture
def practitioner_a(agency_a, line_manager_a):
    return _person(
        "paul.police@police.example",
        agency_a,
        [Role.PRACTITIONER],
        job_title="Detective constable",
        line_manager=line_manager_a,
    )


@pytest.fixture
def practitioner_b(agency_b):
    return _person(
        "hana.health@health.example", agency_b, [Role.PRACTITIONER], job_title="Health visitor"
    )


@pytest.fixture
def auditor(business_unit):
    return _person(
        "ian.governance@scp.example",
        business_unit,
        [Role.AUDITOR],
        job_title="Information governance officer",
    )


@pytest.fixture
def board_member(agency_a):
    return _person(
        "bea.board@police.example",
        agency_a,
        [Role.BOARD_MEMBER],
        job_title="Assistant chief constable",
    )


@pytest.fixture
def personas(client, admin, practitioner_a, practitioner_b, line_manager_a, auditor):
    """Signed-in clients by persona name, plus the anonymous client."""
    return {
        "admin": signed_in(Client(), admin),
        "practitioner_a": signed_in(Client(), practitioner_a),
        "practitioner_b": signed_in(Client(), practitioner_b),
        "line_manager_a": signed_in(Client(), line_manager_a),
        "auditor": signed_in(Client(), auditor),
        "anonymous": client,
    }


@pytest.fixture
def world(agency_a, agency_b, practitioner_a, practitioner_b, session):
    """Objects the persona URL tables refer to. Modules add theirs here."""
    from safeguarding.learning.services import booking as learning

    booking_a = learning.booking_create(
        session=session, person=practitioner_a, actor=practitioner_a
    )
    registration = services.registration_submit(
        email="nia.newstarter@police.example",
        given_name="Nia",
        family_name="Newstarter",
        agency=agency_a,
        job_title="Police constable",
    )
    return {
        "agency_a": agency_a,
        "agency_b": agency_b,
        "practitioner_a": practitioner_a,
        "practitioner_b": practitioner_b,
        "registration": registration,
        # A colleague of practitioner_a who is not a persona: a target for admin actions.
        "colleague_a": _person("colin.colleague@police.example", agency_a, [Role.PRACTITIONER]),
        "session": session,
        "course": session.course,
        "booking_a": booking_a,
    }


# Training programme ----------------------------------------------------------------------------


@pytest.fixture
def trainer_a(agency_a):
    return _person(
        "tia.trainer@police.example",
        agency_a,
        [Role.PRACTITIONER, Role.TRAINER],
        job_title="Detective sergeant",
    )


@pytest.fixture
def course(partnership):
    from safeguarding.learning.models import Course, FeeSchedule, Level

    FeeSchedule.objects.get_or_create(partnership=partnership)
    level = Level.objects.create(
        partnership=partnership,
        code="G3",
        name="Group 3",
        description="Regular contact with children",
        order=3,
    )
    return Course.objects.create(
        partnership=partnership,
        title="Safeguarding children: working together",
        slug="working-together",
        summary="How agencies share concerns about a child.",
        learning_outcomes="Recognise signs of abuse\nKnow how to refer",
        level=level,
        status=Course.Status.PUBLISHED,
    )


@pytest.fixture
def venue(partnership):
    from safeguarding.learning.models import Venue

    return Venue.objects.create(
        partnership=partnership,
        name="Shire Hall, Room 2",
        address="Castle Street\nTestford",
        postcode="TE1 1ST",
        access_information="Step-free entrance; hearing loop.",
    )


@pytest.fixture
def session(course, venue, trainer_a, admin):
    """A published course's session 30 days ahead, 10 places, booking open."""
    import datetime

    from django.utils import timezone

    from safeguarding.learning.models import Accreditation
    from safeguarding.learning.services import sessions as session_services

    today = timezone.localdate()
    Accreditation.objects.create(
        trainer=trainer_a,
        course=course,
        accredited_on=today - datetime.timedelta(days=365),
        expires_on=today + datetime.timedelta(days=365),
    )
    start = timezone.make_aware(
        datetime.datetime.combine(today + datetime.timedelta(days=30), datetime.time(9, 30))
    )
    return session_services.session_create(
        course=course,
        starts_at=start,
        ends_at=start + datetime.timedelta(hours=6),
        capacity=10,
        trainers=[trainer_a],
        venue=venue,
        joining_instructions="Sign in at reception.",
        actor=admin,
    )


@pytest.fixture
def api():
    """api(user) -> an APIClient sending that user's new token; api() -> an anonymous one."""

    def make(user=None) -> APIClient:
        client = APIClient()
        if user is not None:
            token = services.api_token_create(user=user)
            client.credentials(HTTP_AUTHORIZATION=f"Token {token.key}")
        return client

    return make
