"""Concurrent writers on the embedded SQLite default, through a real daphne (issue 14).

Each request runs on its own thread with its own SQLite connection, as in `make run`. With only
a busy timeout, 20 concurrent PATCHes of one task gave 13 "database is locked" 500s and 20
concurrent moves 17: a deferred transaction reads, then fails to upgrade to the write lock
(SQLite answers SQLITE_BUSY at once, without waiting). The settings' WAL + IMMEDIATE + timeout
must make every one wait its turn: no 500, versions and the event log consistent.

SQLite only: the services tier's MariaDB serializes writers with the board's row lock
(tests/board/test_concurrency_mysql.py)."""

from __future__ import annotations

import json
import threading
import urllib.error
import urllib.request
from collections import Counter
from pathlib import Path

import pytest
from django.conf import settings

from tests.support.servers import migrate, sqlite_env, start_daphne

# The unit tier's (the services tier deselects `sqlite`; MariaDB: test_concurrency_mysql.py).
# Run on another database it fails rather than skips.
pytestmark = pytest.mark.sqlite


@pytest.fixture(autouse=True)
def _on_sqlite():
    engine = settings.DATABASES["default"]["ENGINE"]
    assert engine == "django.db.backends.sqlite3", f"SQLite writers need SQLite, not {engine}"


WRITERS = 20


def _call(base: str, method: str, path: str, token: str | None = None, body=None):
    data = None if body is None else json.dumps(body).encode()
    req = urllib.request.Request(base + path, data=data, method=method)  # noqa: S310 - loopback
    req.add_header("Content-Type", "application/json")
    if token:
        req.add_header("Authorization", f"Bearer {token}")
    try:
        with urllib.request.urlopen(req, timeout=60) as resp:  # noqa: S310 - loopback
            raw = resp.read()
            return resp.status, json.loads(raw) if raw else None
    except urllib.error.HTTPError as err:
        raw = err.read()
        try:
            return err.code, json.loads(raw) if raw else None
        except ValueError:
            return err.code, raw.decode(errors="replace")[:300]


def _ok(base, method, path, token=None, body=None):
    status, out = _call(base, method, path, token, body)
    assert 200 <= status < 300, (method, path, status, out)
    return out


def _all_at_once(requests: list[tuple]) -> list[tuple[int, object]]:
    """Every request on its own thread (its own HTTP connection), released together."""
    barrier = threading.Barrier(len(requests))
    results: list = [None] * len(requests)

    def run(i: int, args: tuple) -> None:
        barrier.wait()
        try:
            results[i] = _call(*args)
        except OSError as exc:  # no answer at all: reported with the rest
            results[i] = ("no answer", repr(exc))

    threads = [threading.Thread(target=run, args=(i, a)) for i, a in enumerate(requests)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(120)
    return results


@pytest.fixture(scope="module")
def server(tmp_path_factory):
    tmp: Path = tmp_path_factory.mktemp("sqlite-writers")
    # A file database of its own, with the real settings' SQLite OPTIONS; no Redis.
    env = sqlite_env(tmp, REDIS_URL="")
    migrate(env)
    daphne = start_daphne(tmp / "daphne.log", **env)
    yield daphne
    daphne.stop()


@pytest.fixture(scope="module")
def world(server):
    """A user, a board, a sprint and WRITERS + 1 tasks in it, made through the API."""
    base = server.base
    out = _ok(base, "POST", "/api/auth/signup/", body={
        "username": "writer", "email": "writer@example.test", "password": "a-Long-pass-9921",
    })  # fmt: skip
    token = out["access"]
    board = _ok(base, "POST", "/api/boards/", token, {"name": "Writers"})["id"]
    sprint = _ok(base, "POST", "/api/sprints/", token, {
        "board": board, "name": "S1", "end": "2999-01-01",
    })["id"]  # fmt: skip
    tasks = [
        _ok(base, "POST", "/api/tasks/", token, {"board": board, "sprint": sprint, "name": f"t{n}"})
        for n in range(WRITERS + 1)
    ]
    return {"base": base, "token": token, "board": board, "sprint": sprint, "tasks": tasks}


def _statuses(results) -> list:
    return sorted(str(r[0]) for r in results)


def _tally(results) -> str:
    """What came back, e.g. "200x1 409x6 500x13", and the first non-2xx/409 body."""
    counts = Counter(str(r[0]) for r in results)
    odd = [r for r in results if r[0] not in (200, 409)]
    first = f"; first: {str(odd[0][1])[:200]!r}" if odd else ""
    return " ".join(f"{k}x{v}" for k, v in sorted(counts.items())) + first


def _assert_log_consistent(world) -> list[dict]:
    """The board's seq is its number of events, and the seqs run 1..seq without a gap."""
    base, token, board = world["base"], world["token"], world["board"]
    seq = _ok(base, "GET", f"/api/boards/{board}/", token)["seq"]
    page = _ok(base, "GET", f"/api/boards/{board}/events/?after=0&limit=1000", token)
    assert not page["has_more"]
    seqs = [e["seq"] for e in page["results"]]
    assert seqs == list(range(1, seq + 1)), (seq, seqs)
    assert page["last_seq"] == seq
    return page["results"]


def _no_tracebacks(server, offset: int) -> None:
    """Nothing in the server's log since `offset` (this test's requests) is an error."""
    text = server.log_since(offset)
    assert "database is locked" not in text
    assert "Traceback (most recent call last)" not in text, text[-3000:]


def test_concurrent_patches_without_a_version_all_land(server, world):
    base, token = world["base"], world["token"]
    task = world["tasks"][0]
    events_before = len(_assert_log_consistent(world))
    log_at = server.log_size()
    results = _all_at_once(
        [(base, "PATCH", f"/api/tasks/{task['id']}/", token, {"name": f"edit {n}"})
         for n in range(WRITERS)]
    )  # fmt: skip
    assert _statuses(results) == ["200"] * WRITERS, _tally(results)
    # Each PATCH changed the name, so each bumped the version once: 2..21, no two alike.
    assert sorted(r[1]["version"] for r in results) == list(range(2, WRITERS + 2))
    now = _ok(base, "GET", f"/api/tasks/{task['id']}/", token)
    assert now["version"] == 1 + WRITERS
    # The last writer wins: the row holds the name of the response with the top version.
    winner = max(results, key=lambda r: r[1]["version"])[1]
    assert now["name"] == winner["name"]
    events = _assert_log_consistent(world)
    assert len(events) == events_before + WRITERS
    assert {e["name"] for e in events[events_before:]} == {"task.updated"}
    _no_tracebacks(server, log_at)


def test_concurrent_patches_with_one_stale_version_one_wins_the_rest_409(server, world):
    base, token = world["base"], world["token"]
    task = world["tasks"][1]
    version = _ok(base, "GET", f"/api/tasks/{task['id']}/", token)["version"]
    events_before = len(_assert_log_consistent(world))
    log_at = server.log_size()
    results = _all_at_once(
        [(base, "PATCH", f"/api/tasks/{task['id']}/", token,
          {"name": f"race {n}", "version": version}) for n in range(WRITERS)]
    )  # fmt: skip
    assert _statuses(results) == ["200"] + ["409"] * (WRITERS - 1), _tally(results)
    (won,) = [r[1] for r in results if r[0] == 200]
    for status, body in results:
        if status == 409:
            # The row as it is now: the winner's.
            assert body["current"]["version"] == version + 1
            assert body["current"]["name"] == won["name"]
    now = _ok(base, "GET", f"/api/tasks/{task['id']}/", token)
    assert (now["version"], now["name"]) == (version + 1, won["name"])
    assert len(_assert_log_consistent(world)) == events_before + 1
    _no_tracebacks(server, log_at)


def test_concurrent_moves_of_one_boards_tasks_all_land_in_one_column(server, world):
    base, token, sprint = world["base"], world["token"], world["sprint"]
    movers = world["tasks"][1:]  # task 0 was edited 20 times above; these were created once
    versions = {
        t["id"]: _ok(base, "GET", f"/api/tasks/{t['id']}/", token)["version"] for t in movers
    }
    events_before = len(_assert_log_consistent(world))
    log_at = server.log_size()
    results = _all_at_once(
        [(base, "POST", f"/api/tasks/{t['id']}/move/", token, {"sprint": sprint, "status": 2})
         for t in movers]
    )  # fmt: skip
    assert _statuses(results) == ["200"] * len(movers), _tally(results)
    column = _ok(base, "GET", f"/api/tasks/?sprint={sprint}&status=2&page_size=100", token)
    rows = column["results"]
    assert sorted(r["id"] for r in rows) == sorted(versions)
    assert len({r["order"] for r in rows}) == len(rows), [r["order"] for r in rows]
    for row in rows:
        assert row["version"] == versions[row["id"]] + 1, row
        assert row["status"] == 2 and row["started"] is not None
    events = _assert_log_consistent(world)
    moved = events[events_before:]
    assert [e["name"] for e in moved] == ["task.moved"] * len(movers)
    _no_tracebacks(server, log_at)
