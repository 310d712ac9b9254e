"""The sign-in journey in a real browser, and axe-core on every page: no violations."""

from __future__ import annotations

import pytest
from django_otp.oath import totp
from django_otp.plugins.otp_totp.models import TOTPDevice

from safeguarding.browser_tests.conftest import assert_accessible, screenshot
from safeguarding.core.models import AuditEntry
from safeguarding.people import services
from safeguarding.people.models import RegistrationRequest

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
PASSWORD = "correct horse battery staple"


def _code(device, drift: int = 0) -> str:
    return f"{totp(device.bin_key, step=device.step, t0=device.t0, drift=drift):06d}"


def _sign_in(page, email, password=PASSWORD):
    page.goto("/sign-in/")
    page.get_by_label("Work e-mail address").fill(email)
    page.get_by_label("Password").fill(password)
    page.get_by_role("button", name="Sign in").click()


def _verify(page, user):
    device = TOTPDevice.objects.get(user=user, confirmed=True)
    # A code can be used once; the next time step's code is accepted too (tolerance 1).
    page.get_by_label("Code from your authenticator app").fill(_code(device, drift=1))
    page.get_by_role("button", name="Continue").click()


def test_practitioner_signs_in_and_sets_up_two_factor(page, practitioner_a):
    page.goto("/")
    assert_accessible(page)
    screenshot(page, "home-anonymous")

    page.goto("/sign-in/")
    assert_accessible(page)
    screenshot(page, "sign-in")
    page.get_by_role("button", name="Sign in").click()
    page.locator(".govuk-error-summary").wait_for(state="visible")
    assert_accessible(page)

    _sign_in(page, practitioner_a.email)
    assert "/two-factor/set-up/" in page.url
    assert page.locator("img[src$='qr.svg']").is_visible()
    assert_accessible(page)
    screenshot(page, "two-factor-set-up")
    device = TOTPDevice.objects.get(user=practitioner_a, confirmed=False)
    page.get_by_label("Code from your authenticator app").fill(_code(device))
    page.get_by_role("button", name="Turn on two-factor authentication").click()
    assert page.get_by_role("heading", level=1).inner_text().startswith("Welcome")
    assert_accessible(page)
    screenshot(page, "home-practitioner")
    assert not page.console_errors, page.console_errors

    # Next time: the code is asked for after the password.
    page.get_by_role("button", name="Sign out").click()
    _sign_in(page, practitioner_a.email)
    assert "/two-factor/verify/" in page.url
    assert_accessible(page)
    _verify(page, practitioner_a)
    assert page.get_by_role("heading", level=1).inner_text().startswith("Welcome")
    assert AuditEntry.objects.filter(action="people.user.second_factor_verified").exists()


def test_lockout_message_in_the_browser(page, board_member, settings):
    for _ in range(settings.AXES_FAILURE_LIMIT):
        _sign_in(page, board_member.email, "wrong password")
    assert "locked" in page.locator("h1").inner_text().lower()
    assert_accessible(page)


def _admin_pages(admin, agency_a, practitioner_a):
    services.registration_submit(
        email="nia@police.example",
        given_name="Nia",
        family_name="Newstarter",
        agency=agency_a,
        job_title="PC",
    )
    registration = RegistrationRequest.objects.get()
    return [
        ("/", "home-admin"),
        ("/agencies/", "agency-list"),
        (f"/agencies/{agency_a.pk}/", None),
        ("/agencies/new/", None),
        (f"/agencies/{agency_a.pk}/edit/", None),
        ("/agencies/import/", None),
        ("/people/", "person-list"),
        (f"/people/{practitioner_a.pk}/", None),
        ("/people/new/", None),
        (f"/people/{practitioner_a.pk}/edit/", None),
        ("/people/import/", None),
        ("/registrations/", None),
        (f"/registrations/{registration.pk}/", None),
        ("/account/", "account"),
        ("/no-such-page/", "not-found"),
    ]


def test_every_admin_page_is_accessible(page, admin, agency_a, practitioner_a):
    pages = _admin_pages(admin, agency_a, practitioner_a)
    _sign_in(page, admin.email)
    device = TOTPDevice.objects.filter(user=admin).first()
    if device is None:
        device = TOTPDevice.objects.create(user=admin, name="app", confirmed=True)
    if "/two-factor/set-up/" in page.url:
        device = TOTPDevice.objects.get(user=admin, confirmed=False)
        page.get_by_label("Code from your authenticator app").fill(_code(device))
        page.get_by_role("button", name="Turn on two-factor authentication").click()
    elif "/two-factor/verify/" in page.url:
        _verify(page, admin)
    for path, name in pages:
        page.goto(path)
        assert_accessible(page)
        if name:
            screenshot(page, name)
    # A form with errors: the error summary is accessible too.
    page.goto("/agencies/new/")
    page.get_by_role("button", name="Save").click()
    page.locator(".govuk-error-summary").wait_for(state="visible")
    assert_accessible(page)
    screenshot(page, "agency-form-errors")


def test_public_pages_are_accessible(page):
    for path in ["/accessibility/", "/privacy/", "/register/", "/password-reset/", "/api/v1/docs/"]:
        page.goto(path)
        if path != "/api/v1/docs/":  # Swagger UI is third-party; checked for loading only
            assert_accessible(page)
    page.goto("/register/")
    page.get_by_role("button", name="Send request").click()
    page.locator(".govuk-error-summary").wait_for(state="visible")
    assert_accessible(page)


def test_auditor_pages_are_accessible(page, auditor):
    TOTPDevice.objects.create(user=auditor, name="app", confirmed=True)
    _sign_in(page, auditor.email)
    _verify(page, auditor)
    page.goto("/audit/")
    assert_accessible(page)
    screenshot(page, "audit")
