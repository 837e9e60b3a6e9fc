"""One socket's place in its board's event log, and what to send it next. No I/O, no Channels.

Live events arrive out of order, twice, or not at all (the layer drops at capacity, reorders
group messages, loses everything in a Redis restart); a replay from the log
runs while live events keep coming. The socket must still see every event once, in seq
order. A Feed decides, for each event offered, whether to send it, drop it as already sent,
or first fill a hole from the log; while a fill or replay is being read it holds the live
events back and sends them after it.

It is also where the removal of the socket's user takes effect: events leave in seq order,
so nothing after a `member.removed` of this user is ever sent, whichever path (live, gap
fill, replay, resume, heartbeat repair) brought it, and even if the message announcing the
removal was lost.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Outgoing:
    seq: int
    text: str  # the `event` frame, serialized once for every socket
    removes: int | None = None  # the user a member.removed event takes off the board


@dataclass(frozen=True)
class Send:
    text: str


@dataclass(frozen=True)
class Close:
    code: int


@dataclass(frozen=True)
class Fill:
    """Read events after < seq <= upto from the log and `release` them."""

    after: int
    upto: int


Step = Send | Close | Fill

CLOSE_REMOVED = 4403


class Feed:
    # Slots: one Feed, Subscriber and PresenceSeat per open socket (B2's memory per socket).
    __slots__ = ("_held", "closed", "holding", "sent", "user_id")

    def __init__(self, user_id: int, sent: int) -> None:
        self.user_id = user_id
        self.sent = sent  # the last seq this socket was sent (what `heartbeat` reports)
        self.holding = False
        self.closed = False
        self._held: list[Outgoing] = []

    def next_text(self, out: Outgoing) -> str | None:
        """The frame to send when `out` is simply the next event (the steady state), taken as
        sent; None when `offer` must decide. Saves two objects per socket per event."""
        if out.seq != self.sent + 1 or self.holding or self.closed or out.removes == self.user_id:
            return None
        self.sent = out.seq
        return out.text

    def offer(self, out: Outgoing) -> list[Step]:
        """A live event, in the order its board stream got it."""
        if self.closed:
            return []
        if self.holding:
            self._held.append(out)
            return []
        return self._place(out)

    def hold(self, rewind_to: int | None = None) -> None:
        """A fill or replay is being read: keep live events back until `release`.
        `rewind_to`: the client asked for everything after this seq again (`resume`)."""
        self.holding = True
        if rewind_to is not None:
            self.sent = rewind_to

    def release(self, events: list[Outgoing]) -> list[Step]:
        """Events read from the log, in seq order; then whatever was held back."""
        self.holding = False
        steps: list[Step] = []
        for out in events:
            steps += self._place(out)
        while self._held and not self.holding and not self.closed:
            steps += self._place(self._held.pop(0))
        if self.closed:
            self._held.clear()
        return steps

    def _place(self, out: Outgoing) -> list[Step]:
        if self.closed or out.seq <= self.sent:
            return []  # sent already (a replay overlapping live events, a duplicate)
        if out.seq > self.sent + 1:
            # A hole: read it from the log first; this event waits behind the fill.
            self.holding = True
            self._held.insert(0, out)
            return [Fill(self.sent, out.seq - 1)]
        self.sent = out.seq
        if out.removes == self.user_id:
            # The removal itself is theirs to see (the page says so); nothing after it.
            self.closed = True
            self._held.clear()
            return [Send(out.text), Close(CLOSE_REMOVED)]
        return [Send(out.text)]

    def revoke(self) -> list[Step]:
        """No longer a member (found by a membership check): close, send nothing more."""
        if self.closed:
            return []
        self.closed = True
        self._held.clear()
        return [Close(CLOSE_REMOVED)]
