"""Every kind of bad credential, refused the same way over REST (401, or 404 for a board the
user is not on) and WebSocket (4401, or 4403), through the full ASGI stack."""

from __future__ import annotations

import base64
import datetime as dt
import json

import jwt
import pytest
from django.conf import settings
from rest_framework.test import APIClient

from realtime_scrum.accounts.services import user_deactivate
from realtime_scrum.accounts.sessions import session_revoke, session_start
from tests.board.conftest import closed_with, recv_type, run_sync, token_for, ws_open
from tests.factories import BoardFactory, UserFactory

pytestmark = pytest.mark.django_db(transaction=True)


def _b64(data: dict) -> str:
    raw = json.dumps(data, separators=(",", ":")).encode()
    return base64.urlsafe_b64encode(raw).rstrip(b"=").decode()


def _claims(token: str) -> dict:
    return jwt.decode(token, options={"verify_signature": False})


def _expired(user) -> str:
    return token_for(user, lifetime=dt.timedelta(seconds=-5))


def _wrong_signature(user) -> str:
    return jwt.encode(
        _claims(session_start(user=user).access), "not-our-key-but-long-enough-for-hs256", "HS256"
    )


def _signed_with_secret_key(user) -> str:
    # JWT_SIGNING_KEY is not SECRET_KEY: a leak of one must not mint tokens for the other.
    return jwt.encode(_claims(session_start(user=user).access), settings.SECRET_KEY, "HS256")


def _alg_none(user) -> str:
    claims = _claims(session_start(user=user).access)
    return f"{_b64({'alg': 'none', 'typ': 'JWT'})}.{_b64(claims)}."


def _refresh_as_access(user) -> str:
    return session_start(user=user).refresh


def _revoked(user) -> str:
    tokens = session_start(user=user)
    session_revoke(sid=tokens.sid)
    return tokens.access


def _no_session_claim(user) -> str:
    claims = _claims(session_start(user=user).access)
    claims.pop("sid")
    return jwt.encode(claims, settings.SIMPLE_JWT["SIGNING_KEY"], "HS256")


def _inactive(user) -> str:
    access = session_start(user=user).access
    user_deactivate(user=user)
    return access


def _garbage(user) -> str:
    return "not.a.jwt"


BAD_TOKENS = [
    _expired, _wrong_signature, _signed_with_secret_key, _alg_none, _refresh_as_access,
    _revoked, _no_session_claim, _inactive, _garbage,
]  # fmt: skip


def _setup(make_token):
    user = UserFactory()
    board = BoardFactory(owner=user)
    return board, make_token(user)


def _rest(token: str, path: str):
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Bearer {token}")
    return client.get(path)


@pytest.mark.parametrize("make_token", BAD_TOKENS, ids=lambda f: f.__name__.strip("_"))
def test_rest_refuses_with_401(make_token):
    board, token = _setup(make_token)
    for path in (f"/api/boards/{board.pk}/", "/api/auth/me/", "/api/tasks/"):
        response = _rest(token, path)
        assert response.status_code == 401, (path, response.status_code)
        assert response.headers["WWW-Authenticate"].startswith("Bearer")


@pytest.mark.parametrize("make_token", BAD_TOKENS, ids=lambda f: f.__name__.strip("_"))
@pytest.mark.parametrize("path", ["/ws/boards/{board}/", "/ws/me/"])
async def test_websocket_refuses_with_4401(make_token, path):
    board, token = await run_sync(_setup, make_token)
    comm = await ws_open(path.format(board=board.pk), token)
    assert await closed_with(comm) == 4401


async def test_missing_token_is_4401():
    assert await closed_with(await ws_open("/ws/me/")) == 4401


def _outsider_and_board():
    board = BoardFactory(owner=UserFactory())
    outsider = UserFactory()
    return board, outsider, session_start(user=outsider).access


def test_rest_another_users_board_is_404_everywhere_inside_it():
    board, _outsider, token = _outsider_and_board()
    for path in ("", "snapshot/", "events/", "members/"):
        assert _rest(token, f"/api/boards/{board.pk}/{path}").status_code == 404, path
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Bearer {token}")
    assert client.patch(f"/api/boards/{board.pk}/", {"name": "x"}).status_code == 404
    assert client.delete(f"/api/boards/{board.pk}/").status_code == 404
    created = client.post("/api/tasks/", {"board": board.pk, "name": "x"}, format="json")
    assert created.status_code == 400  # "board" is not a choice for this user
    assert board.tasks.count() == 0


async def test_websocket_another_users_board_is_4403():
    board, _outsider, token = await run_sync(_outsider_and_board)
    comm = await ws_open(f"/ws/boards/{board.pk}/", token)
    assert await closed_with(comm) == 4403


async def test_refresh_on_a_socket_with_a_bad_token_closes_4401():
    user = await run_sync(UserFactory)
    board = await run_sync(BoardFactory, owner=user)
    comm = await ws_open(f"/ws/boards/{board.pk}/", token_for(user))
    await recv_type(comm, "hello")
    await comm.send_json_to({"type": "auth.refresh", "token": await run_sync(_alg_none, user)})
    assert await closed_with(comm) == 4401


@pytest.mark.parametrize("kind", ["access", "alg_none", "revoked", "garbage"])
def test_refresh_endpoint_takes_only_a_live_refresh_token(kind):
    user = UserFactory()
    tokens = session_start(user=user)
    raw = {
        "access": tokens.access,
        "alg_none": f"{_b64({'alg': 'none'})}.{_b64(_claims(tokens.refresh))}.",
        "revoked": _revoked_refresh(user),
        "garbage": "x.y.z",
    }[kind]
    response = APIClient().post("/api/auth/refresh/", {"refresh": raw}, format="json")
    assert response.status_code == 401, response.json()


def _revoked_refresh(user) -> str:
    tokens = session_start(user=user)
    session_revoke(sid=tokens.sid)
    return tokens.refresh
