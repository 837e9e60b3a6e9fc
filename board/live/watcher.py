"""This process's board streams, and the watcher that feeds them from the database.

One task per process, not per socket. Every heartbeat period it reads the heads of every
board the process holds sockets on (one statement) and asks each stream for what it has
not delivered: the repair for a message the layer lost when nothing came after it. While
the channel layer is away (hub.py) it does the same every WS_DEGRADED_POLL_SECONDS, which
is then how events reach sockets. Every heartbeat period it also reads who is still a
member of those boards (one statement) and closes the sockets of those who are not: the
check for a removal whose event never reached this process.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import weakref

from channels.db import database_sync_to_async
from django.conf import settings

from realtime_scrum.sockets.hub import hub

from .. import access, realtime, selectors
from .stream import BoardStream, Socket, Subscriber

log = logging.getLogger(__name__)


class Live:
    def __init__(self) -> None:
        self.streams: dict[int, BoardStream] = {}
        self.wake = asyncio.Event()
        self._watcher: asyncio.Task | None = None
        self._failing = False

    async def join(self, board_id: int, socket: Socket, user_id: int) -> Subscriber | None:
        """A socket's subscriber, starting at what the stream delivered; None when the board
        is gone."""
        stream = self.streams.get(board_id)
        if stream is None:
            stream = self.streams[board_id] = BoardStream(board_id, self.streams)
            # In the group before the stream reads its starting head (gap-free switch-over).
            await hub().subscribe(realtime.board_group(board_id), stream)
            stream.open()
            if self._watcher is None or self._watcher.done():
                self._watcher = asyncio.get_running_loop().create_task(self._watch())
        return await stream.subscribe(socket, user_id)

    def _layer_changed(self, healthy: bool) -> None:
        self.wake.set()  # away: start polling now; back: repair what was missed now

    async def _watch(self) -> None:
        layer = hub()
        layer.watch(self._layer_changed)
        loop = asyncio.get_running_loop()
        roles_read = loop.time()
        try:
            while self.streams:
                heartbeat = float(settings.WS_HEARTBEAT_SECONDS)
                poll = float(settings.WS_DEGRADED_POLL_SECONDS)
                period = heartbeat if layer.healthy else min(poll, heartbeat)
                with contextlib.suppress(TimeoutError):
                    await asyncio.wait_for(self.wake.wait(), period)
                self.wake.clear()
                try:
                    await self._repair()
                    if loop.time() - roles_read >= heartbeat:
                        roles_read = loop.time()
                        await self._check_roles(roles_read)
                except asyncio.CancelledError:
                    raise
                except Exception as exc:
                    if not self._failing:
                        log.warning("board watcher: database read failed (%s)", exc)
                    self._failing = True
                else:
                    self._failing = False
        finally:
            layer.unwatch(self._layer_changed)

    async def _repair(self) -> None:
        ids = list(self.streams)
        heads = await database_sync_to_async(selectors.board_heads)(board_ids=ids)
        for board_id in ids:
            stream = self.streams.get(board_id)
            if stream is None:
                continue
            if board_id not in heads:
                await stream.board_gone()
            else:
                stream.repair_to(heads[board_id])

    async def _check_roles(self, read_at: float) -> None:
        ids = list(self.streams)
        roles = await database_sync_to_async(access.roles_on)(board_ids=ids)
        for board_id in ids:
            stream = self.streams.get(board_id)
            if stream is not None:
                stream.check_roles(roles.get(board_id, {}), read_at)


# Tasks belong to one event loop (tests run one loop each): one registry per loop.
_lives: weakref.WeakKeyDictionary = weakref.WeakKeyDictionary()


def live() -> Live:
    loop = asyncio.get_running_loop()
    current = _lives.get(loop)
    if current is None:
        current = _lives[loop] = Live()
    return current
