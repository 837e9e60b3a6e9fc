"""Per-connection protocol limits and close codes (docs/realtime.md, SPEC section 5)."""

from __future__ import annotations

import time
from dataclasses import dataclass

from django.conf import settings

CLOSE_PROTOCOL = 4400  # repeated protocol errors
CLOSE_AUTH = 4401  # token missing, invalid, expired or revoked
CLOSE_FORBIDDEN = 4403  # not a member, membership removed, board deleted
CLOSE_HEARTBEAT = 4408  # nothing heard from the client for idle_timeout_s
CLOSE_SLOW = 4409  # unread output passed WS_SEND_BUFFER_BYTES (realtime_scrum/server.py)
CLOSE_RATE = 4429  # message rate limit, or too many sockets for this user or address
# Frame over max_frame_bytes. Not RFC 6455's 1009: daphne (autobahn) refuses application close
# codes other than 1000 and 3000-4999 and turns a 1009 into 1011 plus a server traceback
# (found by tests/security/test_ws_fuzz.py). 4413 mirrors HTTP 413 like 4401/4403/4429.
CLOSE_TOO_BIG = 4413
# The database server is away (a MariaDB restart) when the handshake needs it: reconnect with
# `since` after a pause (realtime_scrum/db_unavailable.py). Mirrors HTTP 503.
CLOSE_UNAVAILABLE = 4503


@dataclass(frozen=True)
class Limits:
    heartbeat_s: float
    idle_timeout_s: float
    rate_per_s: float
    burst: int
    max_errors: int
    max_frame_bytes: int
    replay_max: int
    max_per_user: int
    max_per_address: int


_shared: dict[Limits, Limits] = {}


def limits() -> Limits:
    """Read at connect time, so tests can shrink them with override_settings; one object
    for every socket that reads the same values."""
    read = _read()
    return _shared.setdefault(read, read)


def _read() -> Limits:
    heartbeat = float(settings.WS_HEARTBEAT_SECONDS)
    return Limits(
        heartbeat_s=heartbeat,
        # Three missed client pings, so one slow network round never closes a socket.
        idle_timeout_s=float(getattr(settings, "WS_IDLE_TIMEOUT_SECONDS", heartbeat * 3)),
        rate_per_s=float(getattr(settings, "WS_RATE_PER_SECOND", 20)),
        burst=int(getattr(settings, "WS_RATE_BURST", 40)),
        max_errors=int(getattr(settings, "WS_MAX_PROTOCOL_ERRORS", 5)),
        max_frame_bytes=int(getattr(settings, "WS_MAX_FRAME_BYTES", 64 * 1024)),
        # Past this many missed events a snapshot is cheaper than a replay.
        replay_max=int(getattr(settings, "WS_REPLAY_MAX", 5000)),
        max_per_user=int(settings.WS_MAX_SOCKETS_PER_USER),
        max_per_address=int(settings.WS_MAX_SOCKETS_PER_ADDRESS),
    )


class TokenBucket:
    """Allows `burst` messages at once and `rate` per second sustained."""

    __slots__ = ("capacity", "rate", "stamp", "tokens")

    def __init__(self, rate: float, burst: int):
        self.rate = rate
        self.capacity = float(burst)
        self.tokens = float(burst)
        self.stamp = time.monotonic()

    def take(self) -> bool:
        now = time.monotonic()
        self.tokens = min(self.capacity, self.tokens + (now - self.stamp) * self.rate)
        self.stamp = now
        if self.tokens < 1:
            return False
        self.tokens -= 1
        return True
