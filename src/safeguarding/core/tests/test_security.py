"""Security headers on every response, and anonymous visitors sent to sign in."""

from __future__ import annotations

import pytest


@pytest.mark.django_db
@pytest.mark.parametrize("path", ["/", "/sign-in/", "/accessibility/", "/no-such-page/"])
def test_security_headers(client, path):
    response = client.get(path)
    csp = response["Content-Security-Policy"]
    assert "script-src 'self'" in csp and "unsafe-inline" not in csp
    assert "frame-ancestors 'none'" in csp
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Referrer-Policy"] == "same-origin"
    assert response["X-Frame-Options"] == "DENY"


@pytest.mark.django_db
def test_signed_in_pages_are_not_cached(personas):
    assert personas["admin"].get("/account/")["Cache-Control"] == "no-store"


@pytest.mark.django_db
def test_pages_have_no_inline_script(personas):
    for path in ["/", "/agencies/", "/people/", "/account/"]:
        body = personas["admin"].get(path).content.decode()
        for tag in body.split("<script")[1:]:
            assert "src=" in tag.split(">")[0], f"inline script on {path}"
