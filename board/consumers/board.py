"""/ws/boards/{id}/: a member's live view of one board.

Gap-free switch-over: the socket joins the board group *before* reading the head, so every
event committed after that read arrives live; events up to the head come from the log.
Channels dispatches one message at a time, so live events wait in the channel while the
replay runs, and `deliver` then drops those at or below `last_seq` (duplicates) and fills
any hole above it from the log. A hole is a group message that the core layer dropped at
capacity or that overtook another (channels#2025): either way the server repairs it, and
the client only ever sees seq rising by exactly one.
"""

from __future__ import annotations

import asyncio
import re
import time
from typing import Any

from channels.db import database_sync_to_async

from realtime_scrum.accounts.ws_auth import query_param

from ..selectors import membership_role
from . import limits as lim
from .base import ProtocolConsumer, ProtocolError
from .fanout import board_fanout
from .presence import presence_sender, presence_store, users_from
from .replay import board_head, can_replay, frames_between

db = database_sync_to_async
SINCE_RE = re.compile(r"[0-9]{1,20}")


def int_or_none(value: Any) -> int | None:
    """A non-negative int, refusing bools (JSON true is an int in Python)."""
    if isinstance(value, int) and not isinstance(value, bool) and value >= 0:
        return value
    return None


class BoardConsumer(ProtocolConsumer):
    handlers = {**ProtocolConsumer.handlers, "resume": "on_resume", "focus": "on_focus"}

    async def authorize(self) -> bool:
        self.board_id = int(self.scope["url_route"]["kwargs"]["board_id"])
        # The REST permission's own selector: sockets and REST cannot disagree on access.
        self.role = await db(membership_role)(user=self.user, board_id=self.board_id)
        return self.role is not None

    async def join_groups(self) -> None:
        """The board's messages come through the process's BoardFanout (fanout.py), not a
        group membership of this socket's own channel. Joining it happens before the head
        is read (gap-free switch-over), with seq_lock held until hello and the replay are
        out: live messages queue behind it instead of overtaking the hello."""
        self.seq_lock = asyncio.Lock()
        await self.seq_lock.acquire()
        self.queued = 0
        self.last_seq = 0
        self.dirty = False
        self.focus: int | None = None
        self.focus_changed = 0.0
        self.in_presence = False
        self.presence_version = 0
        self.in_fanout = True
        self.started = False
        await board_fanout(self.channel_layer).join(self.board_id, self)
        await super().join_groups()

    async def start(self) -> None:
        self.started = True
        try:
            await self.hello_and_replay()
        finally:
            self.seq_lock.release()

    async def hello_and_replay(self) -> None:
        """Caller holds seq_lock."""
        head = await db(board_head)(self.board_id)
        if head is None:
            await self.close_with(lim.CLOSE_FORBIDDEN)
            return
        version, entries = await self.presence_put()
        self.presence_version = version
        await self.send_json(
            {
                "type": "hello",
                "board": self.board_id,
                "seq": head,
                "user": {"id": self.user.pk, "username": self.user.username},
                "role": self.role,
                "heartbeat_s": self.limits.heartbeat_s,
                "presence": users_from(entries, self.stale_s),
            }
        )
        self.presence_publish()
        self.last_seq = head
        raw = self.query_since()
        if raw is not None:
            # ASCII digits only, bounded: str.isdigit() accepts "²", which int() refuses,
            # and int() refuses more than 4300 digits; either ended the socket with 1011.
            since = int(raw) if SINCE_RE.fullmatch(raw) else None
            if since is None:
                await self.protocol_error("bad_since", "`since` must be a non-negative int.")
            else:
                await self.replay_from(since, head)

    def query_since(self) -> str | None:
        return query_param(self.scope, "since")

    # --- the event stream -----------------------------------------------------------------

    async def replay_from(self, since: int, head: int) -> None:
        """Send every event after `since` up to `head` (caller holds seq_lock)."""
        ok = await db(can_replay)(self.board_id, since, head, self.limits.replay_max)
        if not ok:
            await self.send_json({"type": "resync_required", "seq": head})
            self.last_seq = head
            return
        self.last_seq = since
        await self.fill(head)

    async def fill(self, upto: int | None) -> None:
        for frame in await db(frames_between)(self.board_id, self.last_seq, upto):
            await self.send_json(frame)
            self.last_seq = frame["seq"]

    async def board_event(self, message: dict[str, Any]) -> None:
        seq = message["seq"]
        async with self.seq_lock:
            if seq <= self.last_seq:
                return  # already sent by the replay or a gap fill
            if seq > self.last_seq + 1:
                await self.fill(seq - 1)
            await self.send_text(message["text"])
            self.last_seq = seq
            self.dirty = True

    async def tick(self) -> None:
        await super().tick()
        await presence_store().touch(self.board_id, self.channel_name, self.entry(), self.stale_s)
        if not self.dirty:
            return
        # A dropped *last* message leaves no later event to reveal the hole. Drops need a
        # full channel, i.e. traffic, so only sockets that saw events since the last
        # heartbeat pay for this one primary-key read.
        self.dirty = False
        head = await db(board_head)(self.board_id)
        if head is None:
            await self.close_with(lim.CLOSE_FORBIDDEN)
        elif head > self.last_seq:
            async with self.seq_lock:
                await self.fill(head)

    def heartbeat_fields(self) -> dict[str, Any]:
        return {"seq": self.last_seq}

    async def on_resume(self, frame: dict[str, Any]) -> None:
        since = int_or_none(frame.get("since"))
        if since is None:
            raise ProtocolError("bad_since", "`resume` needs `since`, a non-negative int.")
        async with self.seq_lock:
            head = await db(board_head)(self.board_id)
            if head is None:
                await self.close_with(lim.CLOSE_FORBIDDEN)
                return
            await self.replay_from(since, head)

    # --- presence -------------------------------------------------------------------------

    @property
    def stale_s(self) -> float:
        return self.limits.heartbeat_s * 3

    def entry(self) -> dict[str, Any]:
        return {
            "id": self.user.pk,
            "username": self.user.username,
            "focus": self.focus,
            "ts": time.time(),
            "changed": self.focus_changed,
        }

    async def presence_put(self) -> tuple[int, list[dict[str, Any]]]:
        self.in_presence = True
        store = presence_store()
        return await store.put(self.board_id, self.channel_name, self.entry(), self.stale_s)

    def presence_publish(self) -> None:
        """Everyone on the board gets the new list, coalesced per process (PresenceSender)."""
        presence_sender().changed(self.board_id, self.channel_layer, self.stale_s)

    async def on_focus(self, frame: dict[str, Any]) -> None:
        task = frame.get("task")
        if task is not None and int_or_none(task) is None:
            raise ProtocolError("bad_focus", "`focus` needs `task`, a task id or null.")
        self.focus, self.focus_changed = task, time.time()
        await self.presence_put()
        self.presence_publish()

    async def board_presence(self, message: dict[str, Any]) -> None:
        # Versions order the snapshots: an older one arriving late is dropped.
        if message["version"] > self.presence_version:
            self.presence_version = message["version"]
            await self.send_text(message["text"])

    async def leave(self) -> None:
        if getattr(self, "in_fanout", False):
            self.in_fanout = False
            await board_fanout(self.channel_layer).leave(self.board_id, self)
        if not getattr(self, "started", True) and self.seq_lock.locked():
            self.started = True  # connect failed before start(): free what queued behind it
            self.seq_lock.release()
        if getattr(self, "in_presence", False):
            self.in_presence = False
            store = presence_store()
            await store.remove(self.board_id, self.channel_name, self.stale_s)
            self.presence_publish()

    # --- board lifecycle ------------------------------------------------------------------

    async def board_member_removed(self, message: dict[str, Any]) -> None:
        if message["user_id"] == self.user.pk:
            await self.close_with(lim.CLOSE_FORBIDDEN)

    async def board_deleted(self, message: dict[str, Any]) -> None:
        await self.close_with(lim.CLOSE_FORBIDDEN)
