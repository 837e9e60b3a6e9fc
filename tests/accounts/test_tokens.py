"""One access-token check for REST and sockets (accounts.tokens.authenticate_access)."""

from __future__ import annotations

import datetime as dt
import secrets

import pytest
from rest_framework.test import APIClient
from rest_framework_simplejwt.tokens import AccessToken

from realtime_scrum.accounts import ws_auth
from realtime_scrum.accounts.models import LoginSession
from realtime_scrum.accounts.sessions import session_revoke
from realtime_scrum.accounts.tokens import TokenRejected, authenticate_access
from realtime_scrum.cache import shared_cache
from tests.accounts.conftest import bearer, login

ME = "/api/auth/me/"
NO_USER_CLAIM = "Token contained no recognizable user identification"
ENDED = {"code": "token_not_valid", "detail": "This session has ended. Log in again."}


def _not_valid(message: str) -> dict:
    return {
        "code": "token_not_valid",
        "detail": "Given token not valid for any token type",
        "messages": [{"message": message, "token_class": "AccessToken", "token_type": "access"}],
    }


def _access(user, sid: str | None, **claims) -> str:
    token = AccessToken.for_user(user)
    if sid is not None:
        token["sid"] = sid
    for name, value in claims.items():
        if value is None:
            del token[name]
        else:
            token[name] = value
    return str(token)


def _expired(user, sid: str) -> str:
    token = AccessToken.for_user(user)
    token["sid"] = sid
    token.set_exp(lifetime=-dt.timedelta(seconds=5))
    return str(token)


@pytest.fixture
def sid(alice) -> str:
    """A live session of alice's, with an id of this test's own: the cache outlives a test."""
    sid = secrets.token_hex(16)
    LoginSession.objects.create(sid=sid, user=alice)
    return sid


# The bodies REST answered with before sockets and REST shared the check (captured from the
# previous implementation): the refactor must not change a byte of them.
REFUSALS = {
    "garbage": (lambda u, sid: "not-a-jwt", _not_valid("Token is invalid")),
    "expired": (_expired, _not_valid("Token is expired")),
    "no session claim": (lambda u, sid: _access(u, None), ENDED),
    "unknown session": (lambda u, sid: _access(u, "unknown"), ENDED),
    "no user claim": (
        lambda u, sid: _access(u, sid, user_id=None),
        {"code": "token_not_valid", "detail": NO_USER_CLAIM},
    ),
    "user not found": (
        lambda u, sid: _access(u, sid, user_id="99999"),
        {"detail": "User not found"},
    ),
}


@pytest.mark.parametrize("case", REFUSALS)
def test_rest_refusals_answer_as_before(alice, sid, case):
    make, body = REFUSALS[case]
    response = bearer(make(alice, sid)).get(ME)
    assert response.status_code == 401
    assert response.json() == body
    assert response["WWW-Authenticate"] == 'Bearer realm="api"'


def test_rest_refuses_an_inactive_user_and_a_refresh_token_as_before(alice):
    tokens = login()
    assert bearer(tokens["refresh"]).get(ME).json() == _not_valid("Token has wrong type")
    assert bearer(tokens["access"]).get(ME).status_code == 200  # session cached as live
    alice.is_active = False
    alice.save()
    response = bearer(tokens["access"]).get(ME)
    assert (response.status_code, response.json()) == (401, {"detail": "User is inactive"})
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION="Bearer two values")
    assert client.get(ME).json() == {
        "code": "bad_authorization_header",
        "detail": "Authorization header must contain two space-delimited values",
    }


def test_sockets_run_the_rest_check():
    assert ws_auth.authenticate_token is authenticate_access
    assert ws_auth.TokenRejected is TokenRejected


def test_a_live_session_gives_its_user_and_claims(alice, sid):
    user, claims = authenticate_access(_access(alice, sid))
    assert user.pk == alice.pk and user.is_active
    assert claims["sid"] == sid and claims["token_type"] == "access"
    assert authenticate_access(_access(alice, sid).encode())[0].pk == alice.pk


@pytest.mark.parametrize(
    ("make", "code"),
    [
        (lambda u, sid: None, "token_not_valid"),
        (lambda u, sid: "", "token_not_valid"),
        (lambda u, sid: "not-a-jwt", "token_not_valid"),
        (_expired, "token_not_valid"),
        (lambda u, sid: _access(u, None), "token_not_valid"),
        (lambda u, sid: _access(u, sid, user_id="99999"), "user_not_found"),
    ],
)
def test_every_bad_token_is_one_exception(alice, sid, make, code):
    with pytest.raises(TokenRejected) as refused:
        authenticate_access(make(alice, sid))
    assert refused.value.code == code


def test_a_revoked_session_is_refused_on_both_sides_after_it_was_cached(
    alice, sid, django_capture_on_commit_callbacks
):
    token = _access(alice, sid)
    assert authenticate_access(token)[0].pk == alice.pk  # cached "live" now
    with django_capture_on_commit_callbacks(execute=True):
        session_revoke(sid=sid)
    with pytest.raises(TokenRejected, match="session has ended"):
        authenticate_access(token)
    assert bearer(token).get(ME).json() == ENDED


def test_an_inactive_user_is_refused_by_the_shared_check(alice, sid):
    token = _access(alice, sid)
    authenticate_access(token)  # session cached as live
    alice.is_active = False
    alice.save()  # a save, not user_deactivate: the session itself stays live
    with pytest.raises(TokenRejected) as refused:
        authenticate_access(token)
    assert (refused.value.code, refused.value.reason) == ("user_inactive", "User is inactive")


def test_a_rest_request_is_one_cache_read_and_no_query(
    alice, monkeypatch, django_assert_num_queries
):
    client = bearer(login()["access"])
    assert client.get(ME).status_code == 200  # fills the session state and the user row

    calls, depth = [], [0]
    backend = shared_cache.backend
    for name in ("get", "get_many", "add", "set", "set_many", "delete", "delete_many", "incr"):
        original = getattr(backend, name)

        def counted(*args, _name=name, _original=original, **kwargs):
            # Only calls made by our code: locmem's get_many is a loop of its own gets.
            if not depth[0]:
                calls.append(_name)
            depth[0] += 1
            try:
                return _original(*args, **kwargs)
            finally:
                depth[0] -= 1

        monkeypatch.setattr(backend, name, counted)

    with django_assert_num_queries(0):
        assert client.get(ME).status_code == 200
    assert calls == ["get_many"]


def test_a_socket_token_is_checked_with_the_cached_user_row(alice, django_assert_num_queries):
    # The handshake used to load the user with a query of its own; the shared check reads it
    # from the cache beside the session state, as REST does.
    access = login()["access"]
    authenticate_access(access)
    with django_assert_num_queries(0):
        user, _ = authenticate_access(access)
    assert user.pk == alice.pk
