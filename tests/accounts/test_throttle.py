"""Attempt limits on login, password change and reset: per (account, address), per account at a
higher threshold, and per client address."""

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


def try_login(username: str, password: str, address: str):
    return APIClient().post(
        LOGIN, {"username": username, "password": password}, REMOTE_ADDR=address
    )


def test_a_stranger_elsewhere_cannot_lock_the_owner_out(alice, limits):
    limits("login_account_address", 3)
    limits("login_account", 10)
    home, stranger = other_address(), other_address()

    # Far more guesses than either limit: past the pair limit they are refused unchecked and
    # do not count against the account.
    codes = [try_login(alice.username, "guess", stranger).status_code for _ in range(30)]
    assert codes == [401] * 3 + [429] * 27
    # The right password from the stranger's address is refused too: that pair is locked.
    assert try_login(alice.username, PASSWORD, stranger).status_code == 429

    assert try_login(alice.username, PASSWORD, home).status_code == 200


def test_one_address_is_locked_at_the_lower_threshold(alice, limits):
    limits("login_account_address", 3)
    limits("login_account", 10)
    address = other_address()
    for _ in range(3):
        assert try_login(alice.username, "guess", address).status_code == 401

    # Locked: even the right password, in another case, gets the generic refusal.
    locked = try_login(alice.username.upper(), PASSWORD, address)
    assert locked.status_code == 429
    assert 0 < int(locked["Retry-After"]) <= 600
    assert locked["Content-Type"].startswith("application/json")
    assert "detail" in locked.json()
    assert alice.username not in locked.content.decode().lower()
    assert "token" not in locked.json() and "access" not in locked.json()


def test_many_addresses_lock_the_account_at_the_higher_threshold(alice, limits):
    limits("login_account_address", 3)
    limits("login_account", 8)
    home = other_address()
    # Four addresses, two guesses each: no pair reaches its limit, the account does.
    for _ in range(4):
        address = other_address()
        for _ in range(2):
            assert try_login(alice.username, "guess", address).status_code == 401

    locked = try_login(alice.username, PASSWORD, other_address())
    assert locked.status_code == 429
    assert 0 < int(locked["Retry-After"]) <= 600
    # The owner's own address too: that is the price of stopping distributed guessing.
    assert try_login(alice.username, PASSWORD, home).status_code == 429


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


@pytest.mark.parametrize("scope", ["login_account", "login_account_address"])
def test_password_change_guesses_count_against_the_account(alice, limits, address, scope):
    limits(scope, 2)
    client = bearer(login(alice.username)["access"])
    url = "/api/auth/password/change/"
    body = {"old_password": "guess", "new_password": "another-long-passphrase"}

    assert [client.post(url, body).status_code for _ in range(3)] == [400, 400, 429]


def test_a_weak_new_password_after_the_right_old_one_is_no_wrong_guess(alice, limits):
    limits("login_account_address", 2)
    client = bearer(login(alice.username)["access"])
    url = "/api/auth/password/change/"
    body = {"old_password": PASSWORD, "new_password": "123"}

    answers = [client.post(url, body) for _ in range(4)]
    assert [a.status_code for a in answers] == [400] * 4
    assert all("new_password" in a.json() for a in answers)


def test_a_guess_another_limit_refuses_does_not_count_for_the_pair(alice, limits, address):
    limits("login_address", 2)
    limits("login_account_address", 3)
    for name in ("bob", "carol"):
        assert try_login(name, "x", address).status_code == 401
    # The address is now refused for every account, before any password check ...
    for _ in range(5):
        assert try_login(alice.username, "guess", address).status_code == 429
    limits("login_address", 1000)
    # ... so none of those used up alice's pair counter at this address.
    assert [try_login(alice.username, "guess", address).status_code for _ in range(4)] == [
        401,
        401,
        401,
        429,
    ]


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
