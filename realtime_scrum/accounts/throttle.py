"""Attempt limits for login and password reset, per account and per client address.

Login (and the old password of a password change) is limited three ways, checked in this order
and each before the password is: per (account, address) at a low threshold
(`login_account_address`, 5 per 15 min), per address across accounts (`login_address`), and per
account from every address at a higher threshold (`login_account`, 50 per 15 min). A stranger
guessing from address B uses up B's pair counter, not the owner's at A, so the owner still
logs in from A; the per-account limit stops guessing spread over many addresses. An attempt a
later limit refuses gives back what an earlier one counted (no password was checked), so one
address adds at most its pair limit to the account's counter per window. Reset keeps per
account and per address limits (`reset_account`, `reset_address`).

The pair limit is counted by the views (`login_limits`, around the service call); the service
counts per address and per account (accounts.services.user_login, password_change).

A fixed window per (scope, identity) counted with the cache's atomic incr. The attempt is
counted *before* the password is checked, so N parallel guesses cannot all pass a check made
before any of them was recorded (the race that makes DRF throttles unfit here, DRF#8127).
The same counter, the same 429 and the same body apply to existing and unknown accounts, so a
lockout reveals nothing about which usernames exist.

While the cache is away the counters live in this process (SPEC section 15: rate limits fall
back to the process): each process then allows the limit on its own, and what the cache
counted before the outage is not seen until it returns. A login never fails for want of Redis.
"""

from __future__ import annotations

import contextlib
import hashlib
import itertools
import threading
import time
from collections.abc import Callable, Iterator

from django.conf import settings
from rest_framework.exceptions import Throttled
from rest_framework.request import Request

from realtime_scrum.cache import CacheUnavailable, outage
from realtime_scrum.cache import shared_cache as cache

# A scope that an AUTH_THROTTLES override (written before the scope existed) leaves out.
DEFAULT_LIMITS = {"login_account_address": (5, 15 * 60)}


class _LocalCounters:
    """Fixed-window counters in this process's memory, for while the cache is away."""

    # Every address an attacker sprays gets an entry; past this many, the least recently
    # counted go first (a tenth at a time, so a full table is not scanned per attempt).
    MAX_ENTRIES = 100_000

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._counts: dict[str, tuple[int, float]] = {}

    def incr(self, key: str, timeout: int) -> int:
        now = time.monotonic()
        with self._lock:
            count, expires = self._counts.pop(key, (0, 0.0))
            if expires <= now:
                count, expires = 0, now + timeout
            if len(self._counts) >= self.MAX_ENTRIES:
                self._prune(now)
            self._counts[key] = (count + 1, expires)
            return count + 1

    def decr(self, key: str) -> bool:
        """False if this process did not count the key (the cache did)."""
        with self._lock:
            entry = self._counts.get(key)
            if entry is None or entry[1] <= time.monotonic():
                return False
            self._counts[key] = (max(entry[0] - 1, 0), entry[1])
            return True

    def _prune(self, now: float) -> None:
        for key in [k for k, (_, expires) in self._counts.items() if expires <= now]:
            del self._counts[key]
        excess = len(self._counts) - self.MAX_ENTRIES * 9 // 10
        for key in list(itertools.islice(self._counts, max(excess, 0))):
            del self._counts[key]


_local = _LocalCounters()


def client_address(request: Request) -> str:
    """REMOTE_ADDR, or the address our own proxies recorded in X-Forwarded-For.

    Only the hops added by TRUSTED_PROXY_COUNT proxies are believed: anything further left
    is whatever the client chose to send."""
    hops = settings.TRUSTED_PROXY_COUNT
    remote = request.META.get("REMOTE_ADDR", "")
    if hops <= 0:
        return remote
    forwarded = [a.strip() for a in request.META.get("HTTP_X_FORWARDED_FOR", "").split(",")]
    forwarded = [a for a in forwarded if a]
    return forwarded[-hops] if len(forwarded) >= hops else remote


def attempt(scope: str, identity: str) -> str:
    """Count one attempt; raise Throttled (429, Retry-After) past the scope's limit.

    Returns the counter key, so a successful login can give its attempt back."""
    limits = settings.AUTH_THROTTLES
    limit, period = limits[scope] if scope in limits else DEFAULT_LIMITS[scope]
    now = int(time.time())
    # Hash the identity: keys stay short and valid for any backend, and the cache holds no
    # email addresses.
    digest = hashlib.sha256(identity.strip().lower().encode()).hexdigest()[:32]
    key = f"auth:throttle:{scope}:{digest}:{now // period}"
    try:
        count = outage.call(_count, key, period + 5)
    except CacheUnavailable:
        count = _local.incr(key, period + 5)
    if count > limit:
        raise Throttled(wait=period - now % period)
    return key


def _count(key: str, timeout: int) -> int:
    cache.add(key, 0, timeout)
    try:
        return cache.incr(key)
    except ValueError:
        # Evicted between add and incr: start the window again.
        cache.add(key, 1, timeout)
        return 1


def attempt_refund(key: str) -> None:
    """Give back an attempt that turned out legitimate (a correct password)."""
    if _local.decr(key):
        return
    # Gone (window over, evicted, the cache away): nothing to give back.
    with contextlib.suppress(ValueError, CacheUnavailable):
        outage.call(cache.decr, key)


@contextlib.contextmanager
def login_limits(
    username: str, address: str, wrong_password: Callable[[Exception], bool]
) -> Iterator[None]:
    """Count one guess of `username`'s password from `address` around the block that checks it.

    Raises Throttled (429) past the (account, address) limit before the block runs. The attempt
    is given back when the block succeeds, and when it fails for any reason other than a wrong
    password (`wrong_password(exc)` false): another limit refused it, or the password was right
    and something later failed."""
    # NUL cannot occur in a username or an address: no two pairs share an identity.
    key = attempt("login_account_address", f"{username.strip()}\0{address}")
    try:
        yield
    except Exception as exc:
        if not wrong_password(exc):
            attempt_refund(key)
        raise
    attempt_refund(key)
