from __future__ import annotations

import pytest
from rest_framework.test import APIClient

from safeguarding.api.services import api_token_create


@pytest.fixture
def api():
    """api(user) -> an APIClient sending that user's new token; api() -> an anonymous one."""

    def make(user=None) -> APIClient:
        client = APIClient()
        if user is not None:
            client.credentials(HTTP_AUTHORIZATION=f"Token {api_token_create(user=user).key}")
        return client

    return make
