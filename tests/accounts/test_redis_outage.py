"""REST with its cache's Redis stopped, continued and restarted (SPEC section 15: REST keeps
serving, authentication falls back to the database, rate limits to the process).

Each test runs a private redis-server on a free port and stops it by its own PID: the shared
Redis of the machine is never touched. The database is whatever the tier uses."""

from __future__ import annotations

import logging
import os
import pickle
import shutil
import signal
import time
from pathlib import Path

import pytest
import redis
from django.test import override_settings
from rest_framework.test import APIClient
from rest_framework_simplejwt.tokens import AccessToken

from realtime_scrum import cache as cache_module
from tests.accounts.conftest import PASSWORD, bearer, login
from tests.support.ports import free_port
from tests.support.servers import redis_server

pytestmark = [
    pytest.mark.django_db(transaction=True),
    pytest.mark.skipif(shutil.which("redis-server") is None, reason="needs redis-server"),
]

BOARDS = "/api/boards/"
ME = "/api/auth/me/"
PREFIX = "outage-test"


class PrivateRedis:
    def __init__(self, workdir: Path) -> None:
        self.port = free_port()
        self.server = redis_server(self.port, workdir)
        self.paused = False

    @property
    def url(self) -> str:
        return f"redis://127.0.0.1:{self.port}/0"

    def client(self) -> redis.Redis:
        return redis.Redis.from_url(self.url, socket_timeout=2)

    def pings(self) -> bool:
        try:
            return self.client().ping()
        except redis.ConnectionError:
            return False

    def start(self) -> None:
        self.server.start().wait_until(self.pings, timeout=10, interval=0.05)

    def stop(self) -> None:
        self.resume()
        self.server.stop()

    def pause(self) -> None:
        """SIGSTOP: connections are accepted but nothing answers, and the data stays."""
        os.kill(self.server.pid, signal.SIGSTOP)
        self.paused = True

    def resume(self) -> None:
        if self.paused:
            os.kill(self.server.pid, signal.SIGCONT)
            self.paused = False

    def auth_keys(self) -> dict[str, str]:
        """The session states the cache holds: "1" live, "0" revoked."""
        client = self.client()
        keys = client.keys(f"{PREFIX}:*auth:sid:*")
        return {k.decode(): pickle.loads(client.get(k)) for k in keys}  # noqa: S301


@pytest.fixture
def private_redis(monkeypatch, tmp_path):
    server = PrivateRedis(tmp_path)
    server.start()
    # Recovery is tried once per probe period; keep the tests short.
    monkeypatch.setattr(cache_module, "PROBE_SECONDS", 0.2)
    caches = {
        "default": {
            "BACKEND": "realtime_scrum.cache.RedisCache",
            "LOCATION": server.url,
            "KEY_PREFIX": PREFIX,
        }
    }
    try:
        with override_settings(CACHES=caches):
            yield server
    finally:
        server.stop()


def _after_probe() -> None:
    time.sleep(cache_module.PROBE_SECONDS + 0.05)


def _cache_warnings(caplog) -> list[logging.LogRecord]:
    return [
        r
        for r in caplog.records
        if r.name == "realtime_scrum.cache" and r.levelno >= logging.WARNING
    ]


def _sid_key(tokens: dict) -> str:
    return f"{PREFIX}:1:auth:sid:{AccessToken(tokens['access'])['sid']}"


def _board_and_task_writes(client: APIClient) -> None:
    assert client.get(BOARDS).status_code == 200
    created = client.post(BOARDS, {"name": "Written while Redis was away"})
    assert created.status_code == 201, created.content
    task = client.post("/api/tasks/", {"board": created.json()["id"], "name": "Task"})
    assert task.status_code == 201, task.content
    patched = client.patch(f"/api/tasks/{task.json()['id']}/", {"name": "Renamed"})
    assert patched.status_code == 200, patched.content
    assert client.get(BOARDS).json()["count"] >= 1


def test_rest_keeps_serving_while_redis_is_stopped_and_after_it_restarts_empty(
    alice, private_redis, caplog
):
    before = login()
    assert bearer(before["access"]).get(BOARDS).status_code == 200
    assert _sid_key(before) in private_redis.auth_keys()  # the cache is in use

    private_redis.stop()
    with caplog.at_level(logging.INFO, logger="realtime_scrum.cache"):
        during = login()
        client = bearer(during["access"])
        _board_and_task_writes(client)
        assert bearer(before["access"]).get(ME).status_code == 200
        assert APIClient().post("/api/auth/logout/", {"refresh": before["refresh"]}).status_code
        # Logged out while the cache was away: refused at once, from the database.
        refused = bearer(before["access"]).get(ME)
        assert refused.status_code == 401
        assert refused.json()["detail"] == "This session has ended. Log in again."
        for _ in range(20):
            assert client.get(ME).status_code == 200

    warnings = _cache_warnings(caplog)
    assert len(warnings) == 1, [r.getMessage() for r in warnings]
    assert warnings[0].exc_info is None and "ConnectionError" in warnings[0].getMessage()
    assert all(r.exc_info is None for r in caplog.records)

    private_redis.start()  # empty: everything it held is gone
    _after_probe()
    _board_and_task_writes(client)
    assert bearer(before["access"]).get(ME).status_code == 401
    assert login()["access"]
    keys = private_redis.auth_keys()
    assert keys[_sid_key(during)] == "1"  # cached again
    assert keys[_sid_key(before)] == "0"


def test_a_session_revoked_while_redis_was_paused_stays_revoked_when_its_stale_entry_returns(
    alice, private_redis, caplog, monkeypatch
):
    # Long enough that no request in the pause is the one that probes (a probe waits for the
    # socket timeout like the first failure does).
    monkeypatch.setattr(cache_module, "PROBE_SECONDS", 3.0)
    tokens = login()
    client = bearer(tokens["access"])
    assert client.get(ME).status_code == 200
    assert private_redis.auth_keys()[_sid_key(tokens)] == "1"

    private_redis.pause()
    with caplog.at_level(logging.INFO, logger="realtime_scrum.cache"):
        started = time.monotonic()
        assert client.get(ME).status_code == 200
        # One cache timeout (1 s), not redis-py's default 5 s per call.
        assert time.monotonic() - started < 2
        assert APIClient().post("/api/auth/logout/", {"refresh": tokens["refresh"]}).status_code
        for _ in range(10):
            started = time.monotonic()
            assert client.get(ME).status_code == 401
            assert time.monotonic() - started < 0.5  # the cache is skipped, not waited for

        # Redis continues with what it held: the "live" entry from before the logout.
        private_redis.resume()
        assert private_redis.auth_keys()[_sid_key(tokens)] == "1"
        _after_probe()

        assert client.get(ME).status_code == 401
    assert private_redis.auth_keys()[_sid_key(tokens)] == "0"
    assert [r.levelno for r in caplog.records if r.name == "realtime_scrum.cache"] == [
        logging.WARNING,
        logging.INFO,
    ]


def test_one_warning_per_outage_and_another_for_the_next(alice, private_redis, caplog):
    client = bearer(login()["access"])
    with caplog.at_level(logging.WARNING, logger="realtime_scrum.cache"):
        for outage in range(2):
            private_redis.stop()
            for _ in range(5):
                assert client.get(ME).status_code == 200
            assert len(_cache_warnings(caplog)) == outage + 1
            private_redis.start()
            _after_probe()
            for _ in range(5):
                assert client.get(ME).status_code == 200
            assert len(_cache_warnings(caplog)) == outage + 1


def test_login_limits_count_in_the_process_while_redis_is_away(alice, private_redis, settings):
    settings.AUTH_THROTTLES = {**settings.AUTH_THROTTLES, "login_account": (3, 600)}
    private_redis.stop()
    client = APIClient()

    # A right password gives its attempt back, locally too.
    for _ in range(5):
        assert (
            client.post("/api/auth/login/", {"username": "alice", "password": PASSWORD}).status_code
            == 200
        )
    for _ in range(3):
        wrong = client.post("/api/auth/login/", {"username": "alice", "password": "guess"})
        assert wrong.status_code == 401
    locked = client.post("/api/auth/login/", {"username": "alice", "password": PASSWORD})
    assert locked.status_code == 429
    assert int(locked["Retry-After"]) > 0
