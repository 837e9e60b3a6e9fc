"""/ws/boards/{id}/: a member's live view of one board. The protocol only: authorize, join
the board's stream (board/live/), say hello, forward, answer `resume` and `focus` (which
carries the user's intent: `mode` view or edit, edit only for those who may write).

Delivery, replay, gap repair and the removal check live in board/live/: a socket's events
come through its Subscriber, in seq order, exactly once (docs/realtime.md).
"""

from __future__ import annotations

import re
from typing import Any

from channels.db import database_sync_to_async

from realtime_scrum.accounts.ws_auth import query_param
from realtime_scrum.sockets import limits as lim
from realtime_scrum.sockets.protocol import ProtocolConsumer, ProtocolError

from .. import access, realtime
from ..live.presence import EDIT, MODES, VIEW, PresenceSeat
from ..live.stream import Subscriber
from ..live.watcher import live

SINCE_RE = re.compile(r"[0-9]{1,20}")
EPOCH_RE = re.compile(r"[0-9a-f]{1,32}")


def int_or_none(value: Any) -> int | None:
    """A non-negative int, refusing bools (JSON true is an int in Python)."""
    if isinstance(value, int) and not isinstance(value, bool) and value >= 0:
        return value
    return None


class BoardConsumer(ProtocolConsumer):
    handlers = {**ProtocolConsumer.handlers, "resume": "on_resume", "focus": "on_focus"}
    sub: Subscriber | None = None
    seat: PresenceSeat | None = None

    async def authorize(self) -> bool:
        self.board_id = int(self.scope["url_route"]["kwargs"]["board_id"])
        # The REST rule itself (board/access.py): sockets and REST cannot disagree on access.
        self.role = await database_sync_to_async(access.role_on)(
            user=self.user, board_id=self.board_id
        )
        return self.role is not None

    async def start(self) -> None:
        self.sub = await live().join(self.board_id, self, self.user.pk)
        if self.sub is None:
            await self.close_with(lim.CLOSE_FORBIDDEN)
            return
        self.seat = PresenceSeat(self.board_id, self.user, self.limits.heartbeat_s * 3)
        presence_version, users = await self.seat.enter()
        self.sub.presence_version = presence_version
        await self.send_json(
            {
                "type": "hello",
                "board": self.board_id,
                "seq": self.sub.sent,
                "epoch": self.sub.stream.epoch,
                "user": {"id": self.user.pk, "username": self.user.username},
                "role": self.role,
                "can": access.abilities(self.role, user=self.user),
                "heartbeat_s": self.limits.heartbeat_s,
                "presence": users,
            }
        )
        since, epoch = query_param(self.scope, "since"), query_param(self.scope, "epoch")
        if since is not None and not SINCE_RE.fullmatch(since):
            # ASCII digits only, bounded: str.isdigit() accepts "²", which int() refuses,
            # and int() refuses more than 4300 digits; either ended the socket with 1011.
            await self.protocol_error("bad_since", "`since` must be a non-negative int.")
            since = None
        if epoch is not None and not EPOCH_RE.fullmatch(epoch):
            epoch = "-"  # matches no board: the client resyncs
        await self.sub.start(
            int(since) if since is not None else None, epoch, self.limits.replay_max
        )

    async def tick(self) -> None:
        await super().tick()
        if self.seat is not None:
            await self.seat.touch()
        if self.sub is not None:
            await self.sub.repair()

    async def user_frame(self, message: dict[str, Any]) -> None:
        # A boards-list frame says here what this board's events already say, and arriving
        # beside a removal it would come between the member.removed event and the 4403.
        if message["frame"].get("type") in realtime.BOARDS_LIST_FRAMES:
            return
        await super().user_frame(message)

    def heartbeat_fields(self) -> dict[str, Any]:
        return {"seq": self.sub.sent if self.sub is not None else 0}

    async def on_resume(self, frame: dict[str, Any]) -> None:
        since = int_or_none(frame.get("since"))
        if since is None:
            raise ProtocolError("bad_since", "`resume` needs `since`, a non-negative int.")
        epoch = frame.get("epoch")
        if epoch is not None and not isinstance(epoch, str):
            raise ProtocolError("bad_epoch", "`epoch` must be a string.")
        if self.sub is None:
            return
        # Events leave the server here outside the live path: access is checked afresh.
        if not await self.authorize():
            await self.close_with(lim.CLOSE_FORBIDDEN)
            return
        head = self.sub.stream.delivered
        await self.sub.replay(since, epoch, self.limits.replay_max, head=head)

    async def on_focus(self, frame: dict[str, Any]) -> None:
        task = frame.get("task")
        if task is not None and int_or_none(task) is None:
            raise ProtocolError("bad_focus", "`focus` needs `task`, a task id or null.")
        mode = frame.get("mode")
        if mode is None:
            mode = VIEW
        elif not isinstance(mode, str) or mode not in MODES:
            raise ProtocolError("bad_focus", '`mode` must be "view" or "edit".')
        if mode == EDIT and task is None:
            raise ProtocolError("bad_focus", '`mode` "edit" needs a `task`.')
        if mode == EDIT and not await self.may_edit():
            mode = VIEW  # a reader's dialog is open, but nobody need fear its save
        if self.seat is not None:
            await self.seat.set_focus(task, mode)

    async def may_edit(self) -> bool:
        # Read afresh: the role seen at connect may have been lowered since (member.updated
        # reaches the page, not this consumer). One query, only when a dialog opens to edit.
        role = await database_sync_to_async(access.role_on)(user=self.user, board_id=self.board_id)
        return access.can_write(role)

    async def leave(self) -> None:
        if self.sub is not None:
            sub, self.sub = self.sub, None
            await sub.stream.unsubscribe(sub)
        if self.seat is not None:
            await self.seat.leave()
