"""The Redis cache backend, the process's one handle on the default cache, and what to do
while that cache does not answer.

Authentication and the login limits read the cache on every request, so a Redis outage
would otherwise turn every REST request into a 500 (SPEC section 15: authentication falls
back to the database, rate limits to the process). `outage.call` runs a cache operation and
turns any failure into CacheUnavailable; once one failed, the cache is skipped for
PROBE_SECONDS at a time, so a stopped Redis costs one short wait per probe, not one per
request, and one warning per outage, not a traceback per request.
"""

from __future__ import annotations

import logging
import threading
import time
from collections.abc import Callable
from typing import Any, TypeVar

import redis
from django.core.cache import caches
from django.core.cache.backends import redis as django_redis
from django.core.signals import setting_changed
from django.db import DatabaseError, connection

log = logging.getLogger(__name__)

T = TypeVar("T")

# What a lost, restarted, stopped or unreachable Redis raises: redis-py's own errors
# (ConnectionError, TimeoutError, ...) and the socket's.
CACHE_ERRORS: tuple[type[BaseException], ...] = (redis.exceptions.RedisError, OSError)

# redis-py waits 5 s by default for a connect or a reply: a stopped (not dead) Redis would
# hold every request that long. These bound the wait for the cache only; the channel layer
# sets its own (its blocking reads need None, TRAPS.md). Settings OPTIONS override them.
CACHE_SOCKET_DEFAULTS = {"socket_connect_timeout": 0.5, "socket_timeout": 1.0}

# How long the cache is skipped after a failure before one request tries it again.
PROBE_SECONDS = 1.0


class RedisCache(django_redis.RedisCache):
    """Django's Redis cache with the short socket timeouts above."""

    def __init__(self, server, params) -> None:
        options = {**CACHE_SOCKET_DEFAULTS, **params.get("OPTIONS", {})}
        super().__init__(server, {**params, "OPTIONS": options})


class CacheUnavailable(Exception):
    """The cache failed, or is being skipped because it failed moments ago."""


class _Outage:
    """Whether this process currently considers the default cache down.

    Recovery hooks run before the cache is trusted again (accounts.sessions marks the
    sessions revoked while it was away); they call the cache directly, not through `call`,
    and one that fails keeps the cache down."""

    def __init__(self) -> None:
        self._state_lock = threading.Lock()
        self._probe_lock = threading.Lock()
        self.down_since: float | None = None
        self._next_probe = 0.0
        self._recovery_hooks: list[Callable[[], None]] = []

    def on_recovery(self, hook: Callable[[], None]) -> None:
        if hook not in self._recovery_hooks:
            self._recovery_hooks.append(hook)

    def call(self, fn: Callable[..., T], *args: Any, **kwargs: Any) -> T:
        if self.down_since is not None and not self._try_recovery():
            raise CacheUnavailable
        try:
            return fn(*args, **kwargs)
        except CACHE_ERRORS as exc:
            self.failed(exc)
            raise CacheUnavailable from exc

    def failed(self, exc: BaseException) -> None:
        with self._state_lock:
            self._next_probe = time.monotonic() + PROBE_SECONDS
            if self.down_since is not None:
                return
            self.down_since = time.monotonic()
        # No traceback: the outage is the news, and it is the same in every request.
        log.warning(
            "cache unreachable (%s: %s): authentication reads the database and login limits "
            "count in this process until it answers again",
            type(exc).__name__,
            exc,
        )

    def _try_recovery(self) -> bool:
        if time.monotonic() < self._next_probe:
            return False
        # The hooks read the database: inside a caller's transaction they would see its
        # uncommitted writes (a revocation that may yet roll back) and copy them into the
        # cache. Requests authenticate outside any transaction, so one of them recovers.
        if connection.in_atomic_block:
            return False
        # One thread probes; the others keep to the fallback until it is done, so none of
        # them reads a cached entry the hooks have yet to correct.
        if not self._probe_lock.acquire(blocking=False):
            return False
        try:
            down_since = self.down_since
            if down_since is None:
                return True
            with self._state_lock:
                self._next_probe = time.monotonic() + PROBE_SECONDS
            try:
                shared_cache.get("cache:probe")
                for hook in self._recovery_hooks:
                    hook()
            except (*CACHE_ERRORS, DatabaseError):
                return False
            except Exception:
                # A hook's bug: stay on the fallback and say why, at most once per probe,
                # rather than failing the request that happened to probe.
                log.exception("cache recovery failed; retrying in %.1f s", PROBE_SECONDS)
                return False
            with self._state_lock:
                self.down_since = None
        finally:
            self._probe_lock.release()
        log.info("cache answering again after %.1f s", time.monotonic() - down_since)
        return True

    def reset(self) -> None:
        with self._state_lock:
            self.down_since = None
            self._next_probe = 0.0


outage = _Outage()


class _SharedCache:
    """One handle on the default cache for the whole process.

    `django.core.cache.cache` is one instance per asyncio context (asgiref Local), and a
    RedisCache instance owns its own connection pool: every socket's handshake opened a
    Redis connection that lived as long as the socket. The bench's 10k idle sockets ran
    Redis out of clients ("max number of clients reached", handshakes failed with 500).
    Redis and locmem caches are both safe to share across threads."""

    def __init__(self) -> None:
        self.backend = None

    def __getattr__(self, name: str):
        if self.backend is None:
            self.backend = caches.create_connection("default")
        return getattr(self.backend, name)


shared_cache = _SharedCache()


def _caches_changed(*, setting: str, **kwargs) -> None:
    # Tests point CACHES elsewhere (a private Redis); Django resets its own handles then.
    if setting == "CACHES":
        shared_cache.backend = None
        outage.reset()


setting_changed.connect(_caches_changed, dispatch_uid="realtime-scrum-shared-cache")
