"""Attempt limits on login, password change and reset: per account and per client address."""

import datetime as dt
import secrets
from concurrent.futures import ThreadPoolExecutor

import pytest
import time_machine
from rest_framework.exceptions import Throttled
from rest_framework.test import APIClient, APIRequestFactory

from realtime_scrum.accounts import throttle
from tests.accounts.conftest import PASSWORD, bearer, login
from tests.factories import UserFactory

LOGIN = "/api/auth/login/"
RESET = "/api/auth/password/reset/"


def other_address() -> str:
    return "10.{}.{}.{}".format(*secrets.token_bytes(3))


@pytest.fixture
def alice(db):
    """A name of this test's own: account counters outlive a test in the shared cache."""
    return UserFactory(username=f"alice{secrets.token_hex(4)}")


@pytest.fixture
def limits(settings):
    def set_limit(scope: str, attempts: int, window: int = 600) -> None:
        settings.AUTH_THROTTLES = {**settings.AUTH_THROTTLES, scope: (attempts, window)}

    return set_limit


def test_login_locks_the_account_from_any_address(alice, limits):
    limits("login_account", 3)
    client = APIClient()
    for _ in range(3):
        wrong = client.post(
            LOGIN, {"username": alice.username, "password": "guess"}, REMOTE_ADDR=other_address()
        )
        assert wrong.status_code == 401

    # Locked: even the right password, from yet another address, gets the generic refusal.
    locked = client.post(
        LOGIN,
        {"username": alice.username.upper(), "password": PASSWORD},
        REMOTE_ADDR=other_address(),
    )
    assert locked.status_code == 429
    assert 0 < int(locked["Retry-After"]) <= 600
    assert alice.username not in locked.content.decode().lower()
    assert "token" not in locked.json() and "access" not in locked.json()


def test_a_locked_unknown_account_looks_like_a_locked_real_one(alice, limits):
    limits("login_account", 2)
    client = APIClient()
    answers = {}
    for name in (alice.username, f"nobody{secrets.token_hex(4)}"):
        # The same clock for both, so Retry-After cannot differ by a second boundary.
        with time_machine.travel(dt.datetime(2030, 1, 1, tzinfo=dt.UTC), tick=False):
            for _ in range(2):
                client.post(
                    LOGIN, {"username": name, "password": "guess"}, REMOTE_ADDR=other_address()
                )
            locked = client.post(LOGIN, {"username": name, "password": "guess"})
        answers[name] = (locked.status_code, locked.json())

    real, unknown = answers.values()
    assert real == unknown
    assert real[0] == 429


def test_successful_logins_do_not_use_up_the_account_limit(alice, limits, address):
    limits("login_account", 2)

    for _ in range(5):
        assert login(alice.username, REMOTE_ADDR=address)


def test_login_limit_per_address_spans_accounts(alice, limits, address):
    limits("login_address", 3)
    client = APIClient()
    for name in ("bob", "carol", "dave"):
        assert (
            client.post(LOGIN, {"username": name, "password": "x"}, REMOTE_ADDR=address).status_code
            == 401
        )

    blocked = client.post(
        LOGIN, {"username": alice.username, "password": PASSWORD}, REMOTE_ADDR=address
    )
    elsewhere = client.post(
        LOGIN, {"username": alice.username, "password": PASSWORD}, REMOTE_ADDR=other_address()
    )
    assert blocked.status_code == 429 and "Retry-After" in blocked
    assert elsewhere.status_code == 200


def test_password_change_guesses_count_against_the_account(alice, limits, address):
    limits("login_account", 2)
    client = bearer(login(alice.username)["access"])
    url = "/api/auth/password/change/"
    body = {"old_password": "guess", "new_password": "another-long-passphrase"}

    assert [client.post(url, body).status_code for _ in range(3)] == [400, 400, 429]


def test_reset_limit_per_account_is_the_same_for_unknown_addresses(alice, limits):
    limits("reset_account", 2)
    client = APIClient()
    codes = {}
    for email in (alice.email, f"nobody{secrets.token_hex(4)}@example.com"):
        codes[email] = [
            client.post(RESET, {"email": email}, REMOTE_ADDR=other_address()).status_code
            for _ in range(3)
        ]

    real, unknown = codes.values()
    assert real == unknown == [202, 202, 429]


def test_reset_limit_per_address(alice, limits, address):
    limits("reset_address", 2)
    client = APIClient()

    codes = [
        client.post(RESET, {"email": f"u{n}@example.com"}, REMOTE_ADDR=address).status_code
        for n in range(3)
    ]

    assert codes == [202, 202, 429]


def test_parallel_attempts_cannot_overrun_the_limit(limits):
    limits("login_account", 5)
    identity = f"victim-{secrets.token_hex(4)}"

    def one_try(_):
        try:
            throttle.attempt("login_account", identity)
            return True
        except Throttled:
            return False

    with ThreadPoolExecutor(max_workers=8) as pool:
        allowed = sum(pool.map(one_try, range(40)))

    assert allowed == 5


def test_client_address_trusts_only_our_own_proxies(settings):
    request = APIRequestFactory().post(
        LOGIN, REMOTE_ADDR="10.0.0.2", HTTP_X_FORWARDED_FOR="6.6.6.6, 203.0.113.7"
    )

    settings.TRUSTED_PROXY_COUNT = 0
    assert throttle.client_address(request) == "10.0.0.2"
    settings.TRUSTED_PROXY_COUNT = 1
    assert throttle.client_address(request) == "203.0.113.7"
