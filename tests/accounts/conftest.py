import secrets

import pytest
from rest_framework.test import APIClient

from tests.factories import UserFactory

PASSWORD = "pw-secret-123"


@pytest.fixture(autouse=True)
def generous_limits(settings):
    """Counters live in the shared cache for their whole window; tests that are not about
    limits must not trip them, tests that are set their own small limits."""
    settings.AUTH_THROTTLES = {
        "login_account_address": (1000, 900),
        "login_account": (2000, 900),
        "login_address": (1000, 300),
        "reset_account": (1000, 3600),
        "reset_address": (1000, 3600),
    }


@pytest.fixture
def address() -> str:
    """A client address of this test's own, so its counters start at zero in any cache."""
    return "10.{}.{}.{}".format(*secrets.token_bytes(3))


@pytest.fixture
def alice(db):
    return UserFactory(username="alice", email="alice@example.com")


def bearer(access: str) -> APIClient:
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Bearer {access}")
    return client


def login(username: str = "alice", password: str = PASSWORD, **extra) -> dict:
    response = APIClient().post(
        "/api/auth/login/", {"username": username, "password": password}, **extra
    )
    assert response.status_code == 200, response.content
    return response.json()
