"""One channel-layer subscription per board per process; the process fans out to its sockets.

Channels gives every socket its own channel, so a `group_send` to a board with N sockets in
this process costs N layer deliveries, N queue hand-offs and N consumer wake-ups (each one
an asyncio task in `await_many_dispatch`) before a byte is written. Here the process joins
the board group once, with a channel of its own, and calls the handlers of its local
consumers directly: one layer delivery per process per event.

What Channels' per-consumer loop guaranteed (one message at a time, in arrival order) is
kept where it matters: `board.event` runs under the consumer's `seq_lock`. While that lock
is held (the hello + replay) or earlier messages still wait for it, a message is handed to
a task that queues on the lock (asyncio locks are FIFO), so the loop never waits on a
connecting socket and a socket's messages keep their order.
"""

from __future__ import annotations

import asyncio
import logging
import time
import weakref
from typing import Any

from .. import realtime

log = logging.getLogger(__name__)


class BoardFanout:
    def __init__(self, layer) -> None:
        self.layer = layer
        self.boards: dict[int, _Board] = {}
        self.lock = asyncio.Lock()  # joins/leaves of one board never interleave their I/O

    async def join(self, board_id: int, consumer) -> None:
        async with self.lock:
            board = self.boards.get(board_id)
            if board is None:
                # The default prefix: the core layer reads every channel of a process through
                # one "specific.<client>!" queue; another prefix would never be read.
                channel = await self.layer.new_channel()
                await self.layer.group_add(realtime.board_group(board_id), channel)
                board = self.boards[board_id] = _Board(self, board_id, channel)
            board.consumers.add(consumer)

    async def leave(self, board_id: int, consumer) -> None:
        async with self.lock:
            board = self.boards.get(board_id)
            if board is None:
                return
            board.consumers.discard(consumer)
            if not board.consumers:
                del self.boards[board_id]
                board.reader.cancel()
                await self.layer.group_discard(realtime.board_group(board_id), board.channel)


class _Board:
    def __init__(self, fanout: BoardFanout, board_id: int, channel: str) -> None:
        self.fanout = fanout
        self.board_id = board_id
        self.channel = channel
        self.consumers: set = set()
        self.reader = asyncio.get_running_loop().create_task(self.read())

    async def read(self) -> None:
        layer = self.fanout.layer
        renewed = time.monotonic()
        expiry = getattr(layer, "group_expiry", 86400)
        while True:
            message = await layer.receive(self.channel)
            handler = message["type"].replace(".", "_")
            for consumer in list(self.consumers):
                # Free lock, nothing queued: the handler only writes to the transport, so
                # awaiting it here does not suspend (a rare gap fill reads the log: the
                # board's other sockets wait for that one read).
                pending = deliver(consumer, handler, message)
                if pending is not None:
                    try:
                        await pending
                    except Exception:
                        log.exception("board fan-out handler %s failed", handler)
            # The layer forgets group members after group_expiry (24 h by default).
            if time.monotonic() - renewed > expiry / 2:
                await layer.group_add(realtime.board_group(self.board_id), self.channel)
                renewed = time.monotonic()


def deliver(consumer, handler: str, message: dict[str, Any]):
    """The handler's coroutine to await now, or None when it was queued behind the lock."""
    method = getattr(consumer, handler, None)
    if method is None or consumer.closed:
        return None
    if consumer.queued or consumer.seq_lock.locked():
        consumer.queued += 1
        task = asyncio.get_running_loop().create_task(_queued(consumer, handler, method, message))
        _running.add(task)
        task.add_done_callback(_running.discard)
        return None
    return method(message)


async def _queued(consumer, handler: str, method, message: dict[str, Any]) -> None:
    """Behind the socket's hello/replay or earlier queued messages, in arrival order: every
    queued message waits its turn on the FIFO lock (board_event takes it itself)."""
    try:
        if handler == "board_event":
            await method(message)
        else:
            async with consumer.seq_lock:
                await method(message)
    except Exception:
        log.exception("board fan-out handler %s failed", handler)
    finally:
        consumer.queued -= 1


_running: set[asyncio.Task] = set()


# Tasks and channels belong to one loop (tests run one loop each): one fan-out per loop.
_fanouts: weakref.WeakKeyDictionary = weakref.WeakKeyDictionary()


def board_fanout(layer) -> BoardFanout:
    loop = asyncio.get_running_loop()
    fanout = _fanouts.get(loop)
    if fanout is None or fanout.layer is not layer:
        fanout = _fanouts[loop] = BoardFanout(layer)
    return fanout
