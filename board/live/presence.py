"""Who is on a board, what they focus and whether they view or edit it, shared by every
daphne process.

One entry per socket, keyed by channel name, in a Redis hash per board (an in-process dict
without Redis). Every change bumps a per-board version in the same MULTI/EXEC as the write
and the read, so a `presence` frame with a higher version always contains every change with
a lower one: consumers drop frames older than the newest they sent, which defeats group
messages overtaking each other (Channels does not order group delivery). Entries carry a
timestamp refreshed on each heartbeat; those of a crashed process stop counting after
`stale_s` and are pruned.

Presence is best effort: while Redis is away a write is skipped (one log line per outage),
and each socket's heartbeat writes its entry again once Redis is back.
"""

from __future__ import annotations

import asyncio
import json
import time
import uuid
import weakref
from typing import Any

from django.conf import settings

from realtime_scrum.sockets import groups
from realtime_scrum.sockets.frames import frame_text
from realtime_scrum.sockets.outage import Outage

from .. import realtime

Entry = dict[str, Any]  # {id, username, full_name, focus, mode, ts, changed}

VIEW, EDIT = "view", "edit"
MODES = (VIEW, EDIT)


def _rank(entry: Entry) -> tuple[bool, float]:
    # An open edit outranks any later look elsewhere: a user editing a card in one tab while
    # browsing in another can still save over it, and that is what the others must see.
    return entry.get("mode") == EDIT, entry.get("changed", 0)


def users_from(entries: list[Entry], stale_s: float) -> list[dict[str, Any]]:
    """One row per user: their socket that edits, else the most recently changed focus."""
    cutoff = time.time() - stale_s
    latest: dict[int, Entry] = {}
    for entry in entries:
        if entry["ts"] < cutoff:
            continue
        seen = latest.get(entry["id"])
        if seen is None or _rank(entry) >= _rank(seen):
            latest[entry["id"]] = entry
    # .get: entries written by a process of the previous release lack the newer keys.
    rows = [
        {
            "id": e["id"],
            "username": e["username"],
            "full_name": e.get("full_name", ""),
            "focus": e["focus"],
            "mode": e.get("mode", VIEW),
        }
        for e in latest.values()
    ]
    return sorted(rows, key=_by_name)


def _by_name(row: dict[str, Any]) -> tuple[str, int]:
    return row["username"], row["id"]


class MemoryPresence:
    """The embedded default: one process, so a dict is the whole truth."""

    def __init__(self) -> None:
        self.boards: dict[int, dict[str, Entry]] = {}
        self.versions: dict[int, int] = {}

    async def put(self, board_id: int, channel: str, entry: Entry, stale_s: float) -> int:
        self.boards.setdefault(board_id, {})[channel] = entry
        return self._bump(board_id)

    async def remove(self, board_id: int, channel: str, stale_s: float) -> int:
        self.boards.get(board_id, {}).pop(channel, None)
        return self._bump(board_id)

    async def touch(self, board_id: int, channel: str, entry: Entry, stale_s: float) -> None:
        self.boards.setdefault(board_id, {})[channel] = entry

    async def read(self, board_id: int, stale_s: float) -> tuple[int, list[Entry]]:
        return self.versions.get(board_id, 0), list(self.boards.get(board_id, {}).values())

    def _bump(self, board_id: int) -> int:
        self.versions[board_id] = self.versions.get(board_id, 0) + 1
        return self.versions[board_id]


class RedisPresence:
    def __init__(self, url: str, prefix: str, max_connections: int = 20) -> None:
        self.url = url
        self.prefix = prefix
        self.max_connections = max_connections
        # redis.asyncio clients are bound to the loop that created them.
        self.clients: weakref.WeakKeyDictionary = weakref.WeakKeyDictionary()

    def _client(self):
        import redis.asyncio as aioredis

        loop = asyncio.get_running_loop()
        client = self.clients.get(loop)
        if client is None:
            # socket_timeout None for the same reason as the channel layer.
            # A bounded pool that waits: the default one opens a connection per concurrent
            # pipeline, and 10k sockets' connects and heartbeats (bench B2) ran into
            # MaxConnectionsError and Redis's maxclients, failing handshakes with HTTP 500.
            pool = aioredis.BlockingConnectionPool.from_url(
                self.url, max_connections=self.max_connections, timeout=None, socket_timeout=None
            )
            client = aioredis.Redis(connection_pool=pool)
            self.clients[loop] = client
        return client

    def _keys(self, board_id: int) -> tuple[str, str]:
        base = f"{self.prefix}:presence:{board_id}"
        return base, f"{base}:v"

    async def _write(self, board_id: int, op, stale_s: float) -> int:
        """A change and its version bump in one MULTI/EXEC; the entries are not read back
        (with N sockets on a board that read made N joins cost N² entries)."""
        hash_key, version_key = self._keys(board_id)
        async with self._client().pipeline(transaction=True) as pipe:
            op(pipe, hash_key)
            # A Redis restarted empty would count from 1 again, below the versions sockets
            # hold, and they would ignore every frame: restart the count from the clock.
            pipe.set(version_key, time.time_ns() // 1000, nx=True)
            pipe.incr(version_key)
            # Idle boards clean themselves up; a heartbeat touch keeps live ones. The version
            # key never expires: a reset could make consumers ignore newer frames.
            pipe.expire(hash_key, max(60, int(stale_s * 4)))
            results = await pipe.execute()
        return int(results[2])

    async def put(self, board_id: int, channel: str, entry: Entry, stale_s: float) -> int:
        return await self._write(
            board_id, lambda p, k: p.hset(k, channel, json.dumps(entry)), stale_s
        )

    async def remove(self, board_id: int, channel: str, stale_s: float) -> int:
        return await self._write(board_id, lambda p, k: p.hdel(k, channel), stale_s)

    async def read(self, board_id: int, stale_s: float) -> tuple[int, list[Entry]]:
        """The version and the entries it describes, read in one MULTI/EXEC; the entries
        of a crashed process's sockets, stale, are pruned."""
        hash_key, version_key = self._keys(board_id)
        async with self._client().pipeline(transaction=True) as pipe:
            pipe.get(version_key)
            pipe.hgetall(hash_key)
            version, raw = await pipe.execute()
        entries = [json.loads(v) for v in raw.values()]
        cutoff = time.time() - stale_s
        stale = [k for k, e in zip(raw, entries, strict=True) if e["ts"] < cutoff]
        if stale:
            await self._client().hdel(hash_key, *stale)
        return int(version or 0), entries

    async def touch(self, board_id: int, channel: str, entry: Entry, stale_s: float) -> None:
        hash_key, _ = self._keys(board_id)
        async with self._client().pipeline(transaction=False) as pipe:
            pipe.hset(hash_key, channel, json.dumps(entry))
            pipe.expire(hash_key, max(60, int(stale_s * 4)))
            await pipe.execute()


class PresenceSender:
    """At most one `presence` group_send per board per `window` seconds from this process.

    Each join, leave or focus change used to send the whole list to every socket on the
    board: N sockets connecting (a deploy, a Redis blip) cost N²/2 deliveries, and at 1000
    sockets the bench measured 24 s of connect storm with live events starved behind it.
    The first change after a quiet window still goes out at once; changes inside the window
    collapse into one send, made after it, of the state read then. That read carries the
    version, so the ordering argument above is untouched: a frame always holds every change
    up to its version, and the pending marker is cleared *before* the read, so a change
    racing the read schedules another send.
    """

    def __init__(self, window: float) -> None:
        self.window = window
        self.pending: dict[int, asyncio.Task] = {}
        self.last_sent: dict[int, float] = {}
        self.snapshots: dict[int, asyncio.Task] = {}

    async def snapshot(self, board_id: int, stale_s: float) -> tuple[int, list[dict]] | None:
        """(version, users) for the hellos of sockets joining this board: one read per board
        per window for all of them. Each join read every entry before, so N sockets joining
        one board read N² entries (1,000 took ~50 s to connect, and the transient copies
        stayed in the process's RSS). A hello may so show the board up to a window old: the
        join's own change is sent after it with a higher version, which replaces it."""
        task = self.snapshots.get(board_id)
        if task is None:
            loop = asyncio.get_running_loop()
            task = self.snapshots[board_id] = loop.create_task(self._read(board_id, stale_s))
            loop.call_later(self.window, self._forget, board_id, task)
        return await asyncio.shield(task)

    async def _read(self, board_id: int, stale_s: float) -> tuple[int, list[dict]] | None:
        read = await safely(presence_store().read(board_id, stale_s))
        if read is None:
            return None
        version, entries = read
        return version, users_from(entries, stale_s)

    def _forget(self, board_id: int, task: asyncio.Task) -> None:
        if self.snapshots.get(board_id) is task:
            del self.snapshots[board_id]

    def changed(self, board_id: int, stale_s: float) -> None:
        if board_id in self.pending:
            return  # the scheduled send reads the state after this change
        loop = asyncio.get_running_loop()
        delay = self.last_sent.get(board_id, -1e9) + self.window - loop.time()
        self.pending[board_id] = loop.create_task(self._send(board_id, stale_s, delay))

    async def _send(self, board_id: int, stale_s: float, delay: float) -> None:
        if delay > 0:
            await asyncio.sleep(delay)
        self.pending.pop(board_id, None)
        self.last_sent[board_id] = asyncio.get_running_loop().time()
        read = await safely(presence_store().read(board_id, stale_s))
        if read is None:
            return
        version, entries = read
        text = frame_text({"type": "presence", "users": users_from(entries, stale_s)})
        message = {"type": "board.presence", "version": version, "text": text}
        await groups.send(realtime.board_group(board_id), message)


# asyncio tasks belong to one loop (tests run one loop each): one sender per loop.
_senders: weakref.WeakKeyDictionary = weakref.WeakKeyDictionary()


def presence_sender() -> PresenceSender:
    loop = asyncio.get_running_loop()
    sender = _senders.get(loop)
    if sender is None:
        window = float(getattr(settings, "WS_PRESENCE_WINDOW_SECONDS", 0.25))
        sender = _senders[loop] = PresenceSender(window)
    return sender


_store: MemoryPresence | RedisPresence | None = None


def presence_store() -> MemoryPresence | RedisPresence:
    global _store
    if _store is None:
        if settings.REDIS_URL:
            layer: dict[str, Any] = settings.CHANNEL_LAYERS["default"]
            prefix = layer.get("CONFIG", {}).get("prefix", "rs")
            _store = RedisPresence(settings.REDIS_URL, prefix)
        else:
            _store = MemoryPresence()
    return _store


_outage = Outage("presence store", "presence paused")


async def safely(awaitable: Any) -> Any:
    """The store's answer, or None while it cannot be reached."""
    if not _outage.allow():
        awaitable.close()
        return None
    try:
        result = await asyncio.wait_for(awaitable, 2.0)
    except asyncio.CancelledError:
        raise
    except Exception as exc:
        _outage.failed(exc)
        return None
    _outage.worked()
    return result


class PresenceSeat:
    """One socket's entry in its board's presence: what the consumer calls, never raising."""

    __slots__ = ("board_id", "focus", "focus_changed", "key", "mode", "seated", "stale_s", "user")

    def __init__(self, board_id: int, user: Any, stale_s: float) -> None:
        self.board_id = board_id
        self.user = user
        self.stale_s = stale_s
        self.key = uuid.uuid4().hex
        self.focus: int | None = None
        self.mode = VIEW
        self.focus_changed = 0.0
        self.seated = False

    def entry(self) -> Entry:
        return {
            "id": self.user.pk,
            "username": self.user.username,
            "full_name": getattr(self.user, "full_name", ""),
            "focus": self.focus,
            "mode": self.mode,
            "ts": time.time(),
            "changed": self.focus_changed,
        }

    async def enter(self) -> tuple[int, list[dict[str, Any]]]:
        """(version, users) for the hello; everyone else hears of it, coalesced."""
        self.seated = True
        await safely(presence_store().put(self.board_id, self.key, self.entry(), self.stale_s))
        self._publish()
        mine = users_from([self.entry()], self.stale_s)
        seen = await presence_sender().snapshot(self.board_id, self.stale_s)
        if seen is None:
            return 0, mine
        version, users = seen
        if all(row["id"] != self.user.pk for row in users):
            # Read before this join reached Redis: the frame that follows has it.
            users = sorted([*users, *mine], key=_by_name)
        return version, users

    async def set_focus(self, task: int | None, mode: str = VIEW) -> None:
        """A change of mode is a presence change like one of focus: same write, same send."""
        self.focus, self.mode, self.focus_changed = (
            task,
            mode if task is not None else VIEW,
            time.time(),
        )
        await safely(presence_store().put(self.board_id, self.key, self.entry(), self.stale_s))
        self._publish()

    async def touch(self) -> None:
        await safely(presence_store().touch(self.board_id, self.key, self.entry(), self.stale_s))

    async def leave(self) -> None:
        if self.seated:
            self.seated = False
            await safely(presence_store().remove(self.board_id, self.key, self.stale_s))
            self._publish()

    def _publish(self) -> None:
        presence_sender().changed(self.board_id, self.stale_s)
