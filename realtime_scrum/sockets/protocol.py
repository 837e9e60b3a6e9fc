"""What every socket shares: token checks, caps, frame parsing and limits, heartbeats,
expiry, `auth.refresh`, revocation and personal pushes. Subclasses add their own frames.

A consumer has no channel of its own on the layer: its groups are joined through the
process's hub (hub.py), so a Redis fault never reaches a consumer's receive loop (where
Channels would end it with 1011) and is healed once per process.
"""

from __future__ import annotations

import asyncio
import json
import logging
import random
import time
from collections.abc import Callable
from typing import Any

from autobahn.exception import Disconnected
from channels.db import aclose_old_connections, database_sync_to_async
from channels.exceptions import StopConsumer
from channels.generic.websocket import AsyncWebsocketConsumer

from realtime_scrum import db_unavailable, direct_send, metrics
from realtime_scrum.accounts.grants import grant_of
from realtime_scrum.accounts.sessions import SESSION_CLAIM
from realtime_scrum.accounts.ws_auth import TokenRejected, authenticate_token

from . import groups
from . import limits as lim
from .caps import caps, scope_address
from .frames import frame_text
from .hub import hub

log = logging.getLogger(__name__)

# Channels >= 4.2 hops to a thread for aclose_old_connections() before *every* handler (TRAPS.md).
# Our ORM calls all go through database_sync_to_async, which closes stale connections itself,
# so only the handshake and teardown keep the hop.
DB_HANDLERS = frozenset({"websocket.connect", "websocket.disconnect"})

# An alias with no layer configured: Channels then gives the consumer no channel and no
# receive on the layer (the hub reads for the whole process).
NO_LAYER = "sockets-read-through-the-hub"


class ProtocolError(Exception):
    def __init__(self, code: str, detail: str):
        super().__init__(detail)
        self.code = code
        self.detail = detail


class _Inbox:
    """The consumer's personal groups' listener: each message runs as its own task, so the
    hub's reader never waits on one socket."""

    def __init__(self, consumer: ProtocolConsumer) -> None:
        self.consumer = consumer

    def group_message(self, message: dict[str, Any]) -> None:
        handler = {
            "auth.revoked": self.consumer.auth_revoked,
            "user.frame": self.consumer.user_frame,
        }
        method = handler.get(message.get("type", ""))
        if method is not None and not self.consumer.closed:
            self.consumer.track(asyncio.get_running_loop().create_task(method(message)))


class ProtocolConsumer(AsyncWebsocketConsumer):
    channel_layer_alias = NO_LAYER
    send_now: Callable[[str], None] | None = None  # the server's direct send, if it has one
    # client message type -> method name; subclasses extend it
    handlers: dict[str, str] = {"ping": "on_ping", "auth.refresh": "on_auth_refresh"}

    async def dispatch(self, message: dict[str, Any]) -> None:
        handler = getattr(self, message["type"].replace(".", "_"), None)
        if handler is None:
            raise ValueError(f"No handler for message type {message['type']}")
        if message["type"] in DB_HANDLERS:
            await aclose_old_connections()
        try:
            await handler(message)
        except Exception as exc:
            if message["type"] != "websocket.connect":
                raise
            if not db_unavailable.is_unavailable(exc):
                # A bug in a handshake: daphne closes 1011 and this consumer is gone, so no
                # websocket.disconnect runs its cleanup. Give back what the handshake took
                # (its place under the caps, its groups) or every such failure would leave
                # the user one socket fewer until 4429.
                await self.disconnect(1011)  # what daphne closes it with
                raise
            # The handshake needed the database and it is away: a documented close the
            # client retries, not daphne's 1011 and a traceback. disconnect() cleans up.
            db_unavailable.note(f"socket {self.scope.get('path')} closed 4503", exc)
            await self.close_with(lim.CLOSE_UNAVAILABLE)

    # --- lifecycle ------------------------------------------------------------------------

    async def connect(self) -> None:
        self.groups_joined: list[str] = []
        self.tasks: set[asyncio.Task] = set()
        self.closed = False
        self.counted: tuple[int, str] | None = None
        self.inbox = _Inbox(self)
        self.limits = lim.limits()
        self.bucket = lim.TokenBucket(self.limits.rate_per_s, self.limits.burst)
        self.errors = 0
        self.last_heard = time.monotonic()
        self.close_code: int | None = None
        # Accept first: a close before accept reaches browsers as HTTP 403 / 1006, no code.
        await self.accept()
        self.send_now = self.scope.get("extensions", {}).get(direct_send.EXTENSION)
        self.metered = True  # counted open until disconnect, whatever happens next
        metrics.SOCKET_CONNECTS.inc()
        metrics.SOCKETS_OPEN.inc()
        self.user = self.scope.get("user")
        self.session_id: str | None = self.scope.get("session_id")
        if self.scope.get("db_unavailable"):
            await self.close_with(lim.CLOSE_UNAVAILABLE)
            return
        if self.scope.get("auth_error") is not None or not self.scope.get("jwt"):
            await self.close_with(lim.CLOSE_AUTH)
            return
        address = scope_address(self.scope)
        if not caps.take(
            self.user.pk, address, self.limits.max_per_user, self.limits.max_per_address
        ):
            await self.close_with(lim.CLOSE_RATE)
            return
        self.counted = (self.user.pk, address)
        if not await self.authorize():
            await self.close_with(lim.CLOSE_FORBIDDEN)
            return
        await self.join(groups.user_group(self.user.pk))
        if self.session_id:
            await self.join(groups.session_group(self.session_id))
        self.expiry = self.expire_at(self.scope["jwt"]["exp"])
        # The first beat at a random point of the period's second half: sockets that
        # connected together (a deploy, a Redis blip, a bench) would otherwise beat together
        # for ever, each period one burst of sends and presence writes that live events wait
        # behind. Later beats keep the period, so no gap is ever longer than it.
        first = self.limits.heartbeat_s * random.uniform(0.5, 1.0)
        self.beat = self.later(first, self.heartbeat)
        await self.start()

    def track(self, task: asyncio.Task) -> asyncio.Task:
        """Cancelled at disconnect; forgotten once done."""
        self.tasks.add(task)
        task.add_done_callback(self.tasks.discard)
        return task

    async def authorize(self) -> bool:
        return True

    async def join(self, group: str) -> None:
        self.groups_joined.append(group)
        await hub().subscribe(group, self.inbox)

    async def start(self) -> None:
        """Send `hello` and whatever follows it; the socket is authorized and in its groups."""

    async def close_with(self, code: int) -> None:
        if not self.closed:
            self.closed = True
            self.close_code = code
            await self.close(code=code)

    async def disconnect(self, code: int) -> None:
        self.closed = True
        if getattr(self, "metered", False):
            self.metered = False
            metrics.SOCKETS_OPEN.dec()
            metrics.socket_closed(getattr(self, "close_code", None) or code)
        self.cancel_timers()
        for task in list(getattr(self, "tasks", ())):
            if task is not asyncio.current_task():
                task.cancel()
        for group in getattr(self, "groups_joined", []):
            await hub().unsubscribe(group, self.inbox)
        counted = getattr(self, "counted", None)
        if counted is not None:
            self.counted = None
            caps.give_back(*counted)
        await self.leave()

    async def leave(self) -> None:
        """Subclass cleanup after the groups are left (the board stream, presence)."""

    async def websocket_disconnect(self, message: dict[str, Any]) -> None:
        await self.disconnect(message.get("code", 1000))
        raise StopConsumer()

    # --- timers ---------------------------------------------------------------------------
    # Timer handles, not a task per timer: an idle socket holds two TimerHandles instead of
    # two tasks with their coroutine frames and sleep futures (B2's memory per socket).

    def later(self, delay: float, method: Any, *args: Any) -> asyncio.TimerHandle:
        """Run the coroutine method `method(*args)` as a tracked task after `delay` s."""
        return asyncio.get_running_loop().call_later(max(0.0, delay), self._spawn, method, args)

    def _spawn(self, method: Any, args: tuple[Any, ...]) -> None:
        if not self.closed:
            self.track(asyncio.get_running_loop().create_task(method(*args)))

    def expire_at(self, exp: float | None) -> asyncio.TimerHandle | None:
        """An open socket outlives its token unless we close it at `exp` (TRAPS.md). A
        personal access token made without an expiry has `exp` None: only its revocation
        (its session group) closes the socket."""
        if exp is None:
            return None
        return self.later(exp - time.time(), self.close_with, lim.CLOSE_AUTH)

    async def heartbeat(self) -> None:
        """One beat; the next is scheduled when it ends (so beats never overlap)."""
        if time.monotonic() - self.last_heard > self.limits.idle_timeout_s:
            await self.close_with(lim.CLOSE_HEARTBEAT)
            return
        try:
            await self.tick()
        except Exception:  # one failed tick must not end the heartbeat
            log.exception("socket heartbeat tick failed")
        if not self.closed:
            self.beat = self.later(self.limits.heartbeat_s, self.heartbeat)

    def cancel_timers(self) -> None:
        for handle in (getattr(self, "expiry", None), getattr(self, "beat", None)):
            if handle is not None:
                handle.cancel()

    async def tick(self) -> None:
        await self.send_json({"type": "heartbeat", **self.heartbeat_fields()})

    def heartbeat_fields(self) -> dict[str, Any]:
        return {}

    # --- client frames --------------------------------------------------------------------

    async def send_json(self, frame: dict[str, Any]) -> None:
        await self.send_text(frame_text(frame))

    async def send_text(self, text: str) -> None:
        """The one way a frame leaves: already serialized (one encoding per broadcast)."""
        if self.closed:
            return
        try:
            # What AsyncWebsocketConsumer.send does, two coroutine layers fewer: this runs
            # once per socket per event (the fan-out's inner loop). Under our daphne, four
            # fewer (realtime_scrum/direct_send.py).
            if self.send_now is not None:
                self.send_now(text)
            else:
                await self.base_send({"type": "websocket.send", "text": text})
        except (Disconnected, OSError):
            # The client is mid-close (its close frame is in, daphne's disconnect not yet):
            # autobahn raises on send, which would end this consumer with a traceback before
            # websocket.disconnect runs its cleanup. The disconnect follows.
            self.closed = True
            log.debug("send on a closing socket dropped")

    async def receive(self, text_data: str | None = None, bytes_data: bytes | None = None):
        if self.closed:
            return
        self.last_heard = time.monotonic()
        size = len(text_data.encode()) if text_data is not None else len(bytes_data or b"")
        if size > self.limits.max_frame_bytes:
            await self.close_with(lim.CLOSE_TOO_BIG)
            return
        if not self.bucket.take():
            await self.close_with(lim.CLOSE_RATE)
            return
        try:
            await self.handle_frame(self.parse(text_data))
        except ProtocolError as exc:
            await self.protocol_error(exc.code, exc.detail)
        except Exception as exc:
            if db_unavailable.is_unavailable(exc):
                # Not the client's fault (no protocol error counted) and no traceback.
                db_unavailable.note("socket frame answered `unavailable`", exc)
                await self.send_json(
                    {"type": "error", "code": "unavailable", "detail": db_unavailable.DETAIL}
                )
                return
            # A bug triggered by one frame must not take the socket (or the process) down.
            log.exception("socket frame handler failed")
            await self.send_json({"type": "error", "code": "internal", "detail": "Server error."})

    def parse(self, text_data: str | None) -> dict[str, Any]:
        if text_data is None:
            raise ProtocolError("bad_frame", "Binary frames are not supported; send JSON text.")
        try:
            frame = json.loads(text_data)
        except (ValueError, RecursionError):
            # RecursionError: nesting deeper than the interpreter's limit ("[" * 5000 fits in
            # a 64 KiB frame); it is the client's malformed frame, not a server fault.
            raise ProtocolError("bad_json", "The frame is not valid JSON.") from None
        if not isinstance(frame, dict) or not isinstance(frame.get("type"), str):
            raise ProtocolError("bad_frame", "A frame is a JSON object with a string `type`.")
        return frame

    async def handle_frame(self, frame: dict[str, Any]) -> None:
        method = self.handlers.get(frame["type"])
        if method is None:
            raise ProtocolError("unknown_type", f"Unknown message type {frame['type']!r}.")
        await getattr(self, method)(frame)

    async def protocol_error(self, code: str, detail: str) -> None:
        self.errors += 1
        await self.send_json({"type": "error", "code": code, "detail": detail})
        if self.errors >= self.limits.max_errors:
            await self.close_with(lim.CLOSE_PROTOCOL)

    async def on_ping(self, frame: dict[str, Any]) -> None:
        await self.send_json({"type": "pong"})

    async def on_auth_refresh(self, frame: dict[str, Any]) -> None:
        token = frame.get("token")
        if not isinstance(token, str) or not token:
            raise ProtocolError("bad_token", "`auth.refresh` needs a `token` string.")
        try:
            user, claims = await database_sync_to_async(authenticate_token)(token)
        except TokenRejected:
            await self.close_with(lim.CLOSE_AUTH)
            return
        if user.pk != self.user.pk:
            await self.close_with(lim.CLOSE_AUTH)
            return
        if not await self.authorize():
            # A refreshed token is no new licence: access is checked again, as at connect.
            await self.close_with(lim.CLOSE_FORBIDDEN)
            return
        sid = claims.get(SESSION_CLAIM)
        if sid and str(sid) != self.session_id:
            await self.switch_session(str(sid))
        if self.expiry is not None:
            self.expiry.cancel()
        self.expiry = self.expire_at(claims["exp"])

    async def switch_session(self, sid: str) -> None:
        """A refreshed token from another login session: follow that session's revocation."""
        if self.session_id:
            old = groups.session_group(self.session_id)
            self.groups_joined.remove(old)
            await hub().unsubscribe(old, self.inbox)
        self.session_id = sid
        await self.join(groups.session_group(sid))

    # --- group messages -------------------------------------------------------------------

    async def auth_revoked(self, message: dict[str, Any]) -> None:
        if message.get("except_session") and message["except_session"] == self.session_id:
            return
        await self.close_with(lim.CLOSE_AUTH)

    async def user_frame(self, message: dict[str, Any]) -> None:
        grant = grant_of(self.user)
        if grant is not None and grant.board_limited:
            # Personal pushes (notifications, membership changes) may name any board; a
            # board-limited token sees none of them, as it cannot read the inbox over REST.
            return
        await self.send_json(message["frame"])
