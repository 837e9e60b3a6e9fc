"""Socket test helpers: a communicator on the full ASGI stack (origin + token middleware)."""

from __future__ import annotations

import asyncio
import datetime as dt
import json
import secrets
from concurrent.futures import ThreadPoolExecutor
from typing import Any

from channels.db import database_sync_to_async
from channels.testing import WebsocketCommunicator
from rest_framework_simplejwt.tokens import AccessToken

from realtime_scrum.accounts.models import LoginSession


def token_for(user, sid: str | None = None, lifetime: dt.timedelta | None = None) -> str:
    """An access token of a real login session (LoginSession row), so the socket's revocation
    check runs for real. Callable from sync and async tests alike."""
    sid = sid or secrets.token_hex(8)

    def ensure_session() -> None:
        LoginSession.objects.get_or_create(sid=sid, defaults={"user": user})

    try:
        asyncio.get_running_loop()
    except RuntimeError:
        ensure_session()
    else:
        # The ORM refuses event-loop threads; these tests commit (transactional_db), so a
        # worker thread's connection sees the user row.
        with ThreadPoolExecutor(1) as pool:
            pool.submit(ensure_session).result()
    token = AccessToken.for_user(user)
    token["sid"] = sid
    if lifetime is not None:
        token.set_exp(lifetime=lifetime)
    return str(token)


async def ws_open(
    path: str, token: str | None = None, since: int | None = None, headers=None
) -> WebsocketCommunicator:
    from realtime_scrum.asgi import application

    query = []
    if token is not None:
        query.append(f"token={token}")
    if since is not None:
        query.append(f"since={since}")
    url = path + ("?" + "&".join(query) if query else "")
    comm = WebsocketCommunicator(application, url, headers=headers or [])
    connected, _ = await comm.connect()
    assert connected
    return comm


async def board_socket(user, board, since: int | None = None, **kw) -> WebsocketCommunicator:
    return await ws_open(f"/ws/boards/{board.pk}/", token_for(user, **kw), since)


async def recv(comm: WebsocketCommunicator, timeout: float = 1) -> dict[str, Any]:
    return json.loads(await comm.receive_from(timeout))


async def recv_type(
    comm: WebsocketCommunicator, kind: str, timeout: float = 1, also: tuple[str, ...] = ()
) -> dict[str, Any]:
    """The next frame of a kind, skipping presence/heartbeat noise (and `also`) in between."""
    while True:
        frame = await recv(comm, timeout)
        if frame["type"] == kind:
            return frame
        assert frame["type"] in ("presence", "heartbeat", *also), frame


async def closed_with(comm: WebsocketCommunicator, timeout: float = 2) -> int:
    """The close code, asserting that nothing but presence/heartbeats came before it."""
    while True:
        out = await comm.receive_output(timeout)
        if out["type"] == "websocket.close":
            return out.get("code", 1000)
        frame = json.loads(out["text"])
        assert frame["type"] in ("presence", "heartbeat"), frame


def run_sync(fn, *args, **kwargs):
    """Call a service (sync ORM + on_commit broadcast) from an async test."""
    return database_sync_to_async(fn)(*args, **kwargs)
