"""One board's events in this process: a stream per board, a subscriber per socket.

The stream is the board group's one listener in the process (realtime_scrum/sockets/hub.py).
Its worker takes the board's messages one at a time and hands each event to every socket's
Feed (cursor.py) in seq order: a hole is read from the log once for the whole board, not
once per socket. The watcher (watcher.py) feeds it from the log as well: on every heartbeat
period, and every WS_DEGRADED_POLL_SECONDS while the layer is away, it compares the board's
head in the database with what the stream delivered and asks for the difference.

Gap-free switch-over for a new socket: the stream is in the board group before the socket
takes its starting seq (`delivered`), so every later event reaches it live or from the log.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Awaitable, Callable
from typing import Any, Protocol

from channels.db import database_sync_to_async

from realtime_scrum import metrics
from realtime_scrum.direct_send import shared
from realtime_scrum.sockets.frames import frame_text
from realtime_scrum.sockets.hub import hub

from .. import realtime, selectors
from .cursor import Close, Feed, Fill, Outgoing, Send, Step

log = logging.getLogger(__name__)


class Socket(Protocol):
    """What a stream needs of a socket: one way to hand it a frame, one way to close it."""

    async def send_text(self, text: str) -> None: ...

    async def close_with(self, code: int) -> None: ...


def outgoing(event: Any) -> Outgoing:
    frame = realtime.event_frame(event)
    return Outgoing(
        event.seq, shared(frame_text(frame)), realtime.removed_user(event.name, event.data)
    )


def _read_log(board_id: int, after: int, upto: int) -> list[Outgoing]:
    events = selectors.board_events_between(board_id=board_id, after=after, upto=upto)
    return [outgoing(event) for event in events]


read_log: Callable[[int, int, int], Awaitable[list[Outgoing]]] = database_sync_to_async(_read_log)


class Subscriber:
    """One socket on a stream: its Feed, and the one task at a time that reads for it."""

    __slots__ = (
        "_held_presence",
        "_reading",
        "feed",
        "joined_at",
        "presence_version",
        "socket",
        "stream",
        "stuck",
    )

    def __init__(self, stream: BoardStream, socket: Socket, user_id: int, sent: int) -> None:
        self.stream = stream
        self.socket = socket
        self.feed = Feed(user_id, sent)
        self.feed.hold()  # until the socket's hello (and replay) are out: `start`
        self.presence_version = 0
        self._held_presence: tuple[int, str] | None = None
        self._reading = asyncio.Lock()
        self.stuck: tuple[int, int] | None = None  # a log read that failed, to retry
        self.joined_at = asyncio.get_running_loop().time()

    @property
    def sent(self) -> int:
        return self.feed.sent

    async def start(self, since: int | None, epoch: str | None, replay_max: int) -> None:
        """After hello: replay what the client missed (or tell it to resync), then go live."""
        if since is None:
            await self.catch_up(None, None)
        else:
            await self.replay(since, epoch, replay_max, head=self.sent)

    async def replay(self, since: int, epoch: str | None, replay_max: int, head: int) -> None:
        stream = self.stream
        ok = (epoch is None or epoch == stream.epoch) and await database_sync_to_async(
            selectors.replay_possible
        )(board_id=stream.board_id, since=since, head=head, replay_max=replay_max)
        if not ok:
            async with self._reading:
                self.feed.hold(rewind_to=max(head, self.sent))
                await self.socket.send_text(stream.resync_text(self.sent))
                await self._read_and_release(None, None)
            return
        await self.catch_up(since, head)

    async def catch_up(self, after: int | None, upto: int | None) -> None:
        """Send events after < seq <= upto from the log (after=None: nothing to read), then
        what was held back meanwhile."""
        async with self._reading:
            self.feed.hold(rewind_to=after)
            await self._read_and_release(after, upto)

    async def _fill(self, step: Fill) -> None:
        async with self._reading:
            await self._read_and_release(step.after, step.upto)

    async def _read_and_release(self, after: int | None, upto: int | None) -> None:
        """Caller holds _reading and the feed is holding."""
        events: list[Outgoing] = []
        if after is not None and upto is not None and upto > after:
            try:
                events = await read_log(self.stream.board_id, after, upto)
            except Exception as exc:
                # The feed keeps holding: live events wait, the next heartbeat retries. Not a
                # traceback per socket: the watcher logs the database outage once.
                log.debug("board %s: log read failed: %s", self.stream.board_id, exc)
                self.stuck = (after, upto)
                return
            if [e.seq for e in events] != list(range(after + 1, upto + 1)):
                # Pruned from the log: no replay can make this socket whole.
                self.feed.hold(rewind_to=upto)
                events = []
                await self.socket.send_text(self.stream.resync_text(upto))
        self.stuck = None
        await self.run(self.feed.release(events))
        if self._held_presence is not None and not self.feed.holding:
            version, text = self._held_presence
            self._held_presence = None
            await self.presence(version, text)

    async def offer(self, out: Outgoing) -> None:
        text = self.feed.next_text(out)
        if text is not None:
            metrics.DELIVERIES.inc()
            await self.socket.send_text(text)
        else:
            await self.run(self.feed.offer(out))

    async def revoke(self) -> None:
        await self.run(self.feed.revoke())

    async def run(self, steps: list[Step]) -> None:
        for step in steps:
            if isinstance(step, Send):
                metrics.DELIVERIES.inc()
                await self.socket.send_text(step.text)
            elif isinstance(step, Close):
                await self.socket.close_with(step.code)
            elif isinstance(step, Fill):
                # Not on the stream's worker: the board's other sockets go on meanwhile.
                task = asyncio.get_running_loop().create_task(self._fill(step))
                self.stream.track(task)

    async def repair(self) -> None:
        """Heartbeat: retry a log read that failed, or catch up with what the stream
        delivered (known per process: no query unless something is missing)."""
        if self.feed.closed or self._reading.locked():
            return
        if self.stuck is not None:
            async with self._reading:
                await self._read_and_release(*self.stuck)
        elif not self.feed.holding and self.stream.delivered > self.sent:
            await self.catch_up(self.sent, self.stream.delivered)

    async def presence(self, version: int, text: str) -> None:
        # Versions order the snapshots: an older one arriving late is dropped.
        if self.feed.holding:
            self._held_presence = (version, text)
        elif version > self.presence_version:
            self.presence_version = version
            await self.socket.send_text(text)


class BoardStream:
    def __init__(self, board_id: int, registry: dict[int, BoardStream]) -> None:
        self.board_id = board_id
        self.registry = registry
        self.subscribers: set[Subscriber] = set()
        self.delivered = 0
        self.epoch = ""
        self.queue: asyncio.Queue[dict[str, Any]] = asyncio.Queue()
        self.ready = asyncio.Event()
        self.gone = False
        # The starting head could not be read (the database away): not a board that is gone.
        self.failed: Exception | None = None
        self.tasks: set[asyncio.Task] = set()

    def open(self) -> None:
        """Start taking messages; called once the board group is joined."""
        self.track(asyncio.get_running_loop().create_task(self._work()))

    def track(self, task: asyncio.Task) -> None:
        self.tasks.add(task)
        task.add_done_callback(self.tasks.discard)

    # --- the hub's listener -------------------------------------------------------------

    def group_message(self, message: dict[str, Any]) -> None:
        self.queue.put_nowait(message)

    def repair_to(self, head: int) -> None:
        """The log's head as the watcher read it: deliver whatever is missing up to it."""
        if head > self.delivered:
            self.queue.put_nowait({"type": "stream.repair", "head": head})

    async def _work(self) -> None:
        await self._open()
        while True:
            message = await self.queue.get()
            try:
                await self._handle(message)
            except asyncio.CancelledError:
                raise
            except Exception:
                log.exception("board %s stream: %s failed", self.board_id, message.get("type"))
            # Sends to sockets never suspend, nor does get() on a full queue: without this a
            # burst would hold the loop until the queue is empty (heartbeats, the hub's probe
            # and other boards waiting behind it).
            await asyncio.sleep(0)

    async def _open(self) -> None:
        """The starting point, read after the board group was joined (see the module doc)."""
        try:
            head = await database_sync_to_async(selectors.board_head)(board_id=self.board_id)
        except Exception as exc:  # the database away: an outage, not a bug (no traceback)
            log.warning("board %s: head read failed: %s", self.board_id, exc)
            self.failed = exc
        else:
            if head is None:
                self.gone = True
            else:
                self.delivered, self.epoch = head
        self.ready.set()

    async def _handle(self, message: dict[str, Any]) -> None:
        kind = message["type"]
        if kind == "board.event":
            seq = message["seq"]
            if seq <= self.delivered:
                return
            if seq > self.delivered + 1 and not await self._fill(seq - 1):
                return  # the watcher's next read brings it, in order
            await self._deliver(Outgoing(seq, shared(message["text"]), message.get("removes")))
        elif kind == "stream.repair":
            await self._fill(message["head"])
        elif kind == "stream.roles":
            await self._check_roles(message["roles"], message["read_at"])
        elif kind == "board.presence":
            text = shared(message["text"])
            for sub in list(self.subscribers):
                await sub.presence(message["version"], text)
        elif kind == "board.deleted":
            await self.board_gone()

    async def _fill(self, upto: int) -> bool:
        if upto <= self.delivered:
            return True
        try:
            events = await read_log(self.board_id, self.delivered, upto)
        except Exception as exc:  # the database away: the watcher's next read retries
            log.warning("board %s: log read failed: %s", self.board_id, exc)
            return False
        metrics.GAP_REPAIRS.inc()
        for out in events:
            if out.seq == self.delivered + 1:
                await self._deliver(out)
        return self.delivered >= upto

    async def _deliver(self, out: Outgoing) -> None:
        # Before the sends: a socket joining during them starts after this event.
        self.delivered = out.seq
        for sub in list(self.subscribers):
            try:
                await sub.offer(out)
            except Exception:
                log.exception("board %s: delivery to a socket failed", self.board_id)

    def resync_text(self, seq: int) -> str:
        """Built only to be sent (both callers send it at once): counted here."""
        metrics.RESYNCS.inc()
        return frame_text({"type": "resync_required", "seq": seq, "epoch": self.epoch})

    async def board_gone(self) -> None:
        self.gone = True
        for sub in list(self.subscribers):
            await sub.revoke()

    def check_roles(self, roles: dict[int, str], read_at: float) -> None:
        """Close the sockets of users who are no longer members (watcher.py), in turn with
        the events: a removal already in the log is delivered first. Only sockets older than
        the read: one that joined after it may be a member the read missed."""
        self.queue.put_nowait({"type": "stream.roles", "roles": roles, "read_at": read_at})

    async def _check_roles(self, roles: dict[int, str], read_at: float) -> None:
        for sub in list(self.subscribers):
            if sub.feed.user_id not in roles and sub.joined_at < read_at:
                await sub.revoke()

    # --- sockets --------------------------------------------------------------------------

    async def subscribe(self, socket: Socket, user_id: int) -> Subscriber | None:
        await self.ready.wait()
        if self.failed is not None:
            # The socket fails as its handshake would have (the consumer closes 4503), and
            # the next one opens this board's stream afresh instead of finding it "gone".
            await self._retire()
            raise self.failed
        if self.gone:
            return None
        sub = Subscriber(self, socket, user_id, self.delivered)
        self.subscribers.add(sub)
        return sub

    async def unsubscribe(self, sub: Subscriber) -> None:
        self.subscribers.discard(sub)
        await self._retire()

    async def _retire(self) -> None:
        """Leave the registry and the board group once no socket is left on the stream."""
        if not self.subscribers and self.registry.get(self.board_id) is self:
            del self.registry[self.board_id]
            for task in list(self.tasks):
                task.cancel()
            await hub().unsubscribe(realtime.board_group(self.board_id), self)
