"""Django's MySQL/MariaDB backend, plus a small per-process pool of idle connections.

Under daphne, Django's ASGI handler serves every request on a thread of its own, and Django's
connections are per thread: each REST request opened a MariaDB connection (the handshake, then
Django's `SELECT VERSION(), @@sql_mode, ...` and `SET SESSION TRANSACTION ISOLATION LEVEL`)
and realtime_scrum/asgi.py closed it when the request finished. Here a closed connection that
is idle and healthy (autocommit on, no transaction or atomic block open, no error seen) goes
back to the pool, and the next thread's connect takes it after a ping instead of opening one.
Django's server data (version, sql_mode, ...) is asked once per process. Session state
set at connect (sql_mode, isolation level, charset) stays as Django set it; this project sets
no other session state (no user locks, temporary tables or SET statements).

DB_POOL_SIZE bounds the idle connections kept per process (0 turns the pool off); connections
in use are bounded by concurrent requests, as before. An idle connection older than
DB_POOL_IDLE_SECONDS is closed instead of reused.

A lever (docs/benchmarks.md "Levers"): against Django's backend it saves a connect and seven
statements per request, against django-db-connection-pool three statements (the server data,
the isolation level, the rollback on return), 0.1-0.6 ms of CPU per request either way. It
overrides parts of Django's backend that are not public API, checked against Django 5.2:
tests/test_mysql_pool.py fails on another Django version and says what to re-check."""

from __future__ import annotations

import contextlib
import threading
import time

from django.conf import settings
from django.db.backends.mysql import base as mysql
from django.utils.functional import cached_property

_lock = threading.Lock()
_idle: dict[tuple, list[tuple[object, float]]] = {}
# What Django asks the server once per connection wrapper (version, sql_mode, ...): the same
# server answers the same, so once per process and database.
_server_data: dict[tuple, dict] = {}


class DatabaseWrapper(mysql.DatabaseWrapper):
    _reused = False

    def _pool_key(self) -> tuple:
        s = self.settings_dict
        return (self.alias, s["NAME"], s["HOST"], s["PORT"], s["USER"])

    @cached_property
    def mysql_server_data(self) -> dict:
        key = self._pool_key()
        data = _server_data.get(key)
        if data is None:
            data = _server_data[key] = mysql.DatabaseWrapper.mysql_server_data.func(self)
        return data

    def get_new_connection(self, conn_params):
        raw = _take(self._pool_key())
        self._reused = raw is not None
        return raw if raw is not None else super().get_new_connection(conn_params)

    def init_connection_state(self) -> None:
        if not self._reused:  # a pooled connection keeps the state its first connect set
            super().init_connection_state()

    def _close(self) -> None:
        raw = self.connection
        reusable = (
            raw is not None
            and not self.in_atomic_block
            and not self.errors_occurred
            and self.get_autocommit()
        )
        if reusable and _give(self._pool_key(), raw):
            return
        super()._close()


def _take(key: tuple):
    idle_max = getattr(settings, "DB_POOL_IDLE_SECONDS", 60)
    while True:
        with _lock:
            entries = _idle.get(key)
            if not entries:
                return None
            raw, since = entries.pop()  # the most recently used: likeliest to be alive
        try:
            if time.monotonic() - since <= idle_max:
                raw.ping()
                return raw
        except Exception:  # noqa: S110 - a dead connection is dropped, the next one tried
            pass
        _discard(raw)


def _give(key: tuple, raw) -> bool:
    with _lock:
        entries = _idle.setdefault(key, [])
        if len(entries) >= getattr(settings, "DB_POOL_SIZE", 0):
            return False
        entries.append((raw, time.monotonic()))
        return True


def _discard(raw) -> None:
    with contextlib.suppress(Exception):  # already closed or broken: nothing left to release
        raw.close()
