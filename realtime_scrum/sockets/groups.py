"""Sending to socket groups, and the groups every socket is in (its user, its session).

Every message names its group: a process reads all of its groups through one channel
(hub.py) and routes by that name. A send never raises and never holds a request for long
(SEND_TIMEOUT_S, and not at all for a second after one failed: outage.py): the change it
announces is committed and in the board's log, and sockets repair from there.
"""

from __future__ import annotations

import asyncio
from typing import Any

from asgiref.sync import async_to_sync
from channels.layers import get_channel_layer

from .outage import Outage

SEND_TIMEOUT_S = 2.0


def user_group(user_id: int) -> str:
    return f"user.{user_id}"


def session_group(session_id: str) -> str:
    return f"session.{session_id}"


_outage = Outage("channel layer send", "sockets repair from the event log")


async def send(group: str, message: dict[str, Any]) -> None:
    layer = get_channel_layer()
    if layer is None or not _outage.allow():
        return
    try:
        await asyncio.wait_for(layer.group_send(group, {**message, "group": group}), SEND_TIMEOUT_S)
    except asyncio.CancelledError:
        raise
    except Exception as exc:
        _outage.failed(exc)
    else:
        _outage.worked()


async def send_many(items: list[tuple[str, dict[str, Any]]]) -> None:
    for group, message in items:
        await send(group, message)


def send_sync(group: str, message: dict[str, Any]) -> None:
    """From sync code (on_commit callbacks, Huey): one event loop for the call."""
    async_to_sync(send)(group, message)


def send_many_sync(items: list[tuple[str, dict[str, Any]]]) -> None:
    """Many sends in one async_to_sync call: each call from a plain thread starts a thread
    and an event loop, and the Redis layer keeps a connection pool per loop (the digest's
    2,000 pushes one call each took 7 s of a 15 s B7 run)."""
    if items:
        async_to_sync(send_many)(items)


def close_session(session_id: str) -> None:
    """Close every socket opened with a token of this session (4401): logout, revocation."""
    send_sync(session_group(session_id), {"type": "auth.revoked"})


def close_user(user_id: int, except_session: str | None = None) -> None:
    """Close every socket of this user (4401): password change or reset, deactivation.
    A password change keeps the caller's own session: its sockets stay open."""
    send_sync(user_group(user_id), {"type": "auth.revoked", "except_session": except_session})


def push_to_user(user_id: int, frame: dict[str, Any]) -> None:
    """A personal frame (e.g. `notification`) to every open socket of a user."""
    send_sync(user_group(user_id), {"type": "user.frame", "frame": frame})


def push_to_users(pushes: list[tuple[int, dict[str, Any]]]) -> None:
    send_many_sync([(user_group(uid), {"type": "user.frame", "frame": f}) for uid, f in pushes])
