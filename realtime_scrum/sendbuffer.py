"""The frames a socket holds back while its transport is full, against a byte limit.

The transport says "full" (pause) when its own buffer passes its high-water mark and "empty"
(resume) when it has handed everything to the kernel; it exposes no byte count. So frames are
not written into it while it is full: they wait here, where their bytes are counted exactly,
and go out when it is empty again. The transport then never holds much more than its
high-water mark, and what a client has not taken is this queue plus that: a client that
reads slowly is credited for every byte it takes.

Past the limit a frame is still held, up to a hard cap, because the server may have written
a burst in one go (a replay, a repair from the log) before the transport had a turn to send
any of it: that is not the client's doing. The caller then looks again a little later: back
under the limit, fine; still over but the transport emptied meanwhile, the client is reading
(look again later); still over and nothing taken, the client is not reading. Past the hard
cap, or not reading: closed.

Nothing here runs for a frame while the transport is not full (the steady state): the caller
tests `paused` and writes. No syscalls, no locks: one reactor thread."""

from __future__ import annotations

from collections import deque
from typing import Any

# A server frame's header: 2 bytes, 4 past 125 bytes of payload, 10 past 65535 (never
# masked). Counting the largest keeps the sum an upper bound without a branch per size.
FRAME_HEADER_MAX = 10

# hold()
HELD = 0  # within the limit
OVER = 1  # held, but past the limit: look again later (verdict)
REFUSED = 2  # past the hard cap: not held

# verdict()
UNDER = 0  # back within the limit
READING = 1  # still over, but the transport emptied since: look again later
STUCK = 2  # still over and nothing taken since


class SendBuffer:
    __slots__ = ("capacity", "drains", "frames", "hard_capacity", "paused", "size")

    def __init__(self, capacity: int, hard_capacity: int):
        self.capacity = capacity
        self.hard_capacity = hard_capacity
        self.paused = False
        # A deque (~0.7 KiB empty) only once a frame is held: most sockets never hold one.
        self.frames: deque[tuple[Any, int]] | tuple[()] = ()
        self.size = 0  # bytes held, headers included
        self.drains = 0  # times the transport emptied

    def hold(self, frame: Any, payload_bytes: int) -> int:
        """Keep a frame until the transport is empty (only while paused: otherwise the
        caller writes it). HELD, OVER (held past the limit) or REFUSED (not held)."""
        size = self.size + payload_bytes + FRAME_HEADER_MAX
        if size > self.hard_capacity:
            return REFUSED
        if not isinstance(self.frames, deque):
            self.frames = deque()
        self.frames.append((frame, payload_bytes + FRAME_HEADER_MAX))
        self.size = size
        return OVER if size > self.capacity else HELD

    def verdict(self, drains_then: int) -> int:
        """Where a socket that went OVER stands now: UNDER, READING or STUCK."""
        if self.size <= self.capacity:
            return UNDER
        return READING if self.drains != drains_then else STUCK

    def pause(self) -> None:
        self.paused = True

    def resume(self) -> None:
        self.paused = False
        self.drains += 1

    def next_frame(self) -> Any | None:
        """The oldest held frame, to write now; None when there is none or the transport
        filled up again (a write can pause it)."""
        if self.paused or not isinstance(self.frames, deque) or not self.frames:
            return None
        frame, size = self.frames.popleft()
        self.size -= size
        return frame

    def clear(self) -> None:
        self.frames = ()
        self.size = 0
