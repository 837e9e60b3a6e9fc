"""The worked socket client of docs/integrations.md (docs/examples/board_follower.py) does
what the page says, against a real daphne: with a personal access token it follows a board,
and after its server went away and came back it resumes with `since` and `epoch` and ends
with every event exactly once, in order, without ever sending `resume` itself.

Two daphnes share one SQLite file: changes keep being made through the second while the
first (the follower's) is down. Each has its own in-memory channel layer, so what reaches
the follower after the restart comes from the replay its `since` asks for."""

from __future__ import annotations

import asyncio
import importlib.util
from pathlib import Path

import pytest
from django.conf import settings

from tests.support.servers import ROOT, migrate, sqlite_env, start_daphne

from ..board.test_sqlite_writers import _ok

pytestmark = pytest.mark.sqlite

EXAMPLE = ROOT / "docs" / "examples" / "board_follower.py"


def _example():
    spec = importlib.util.spec_from_file_location("board_follower", EXAMPLE)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


@pytest.fixture
def servers(tmp_path: Path):
    assert settings.DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3"
    env = sqlite_env(tmp_path, REDIS_URL="")
    migrate(env)
    first = start_daphne(tmp_path / "first.log", **env)
    second = start_daphne(tmp_path / "second.log", **env)
    yield first, second
    for server in (first, second):
        server.stop()


def test_the_follower_resumes_after_its_server_restarts(servers, tmp_path):
    first, second = servers
    base = second.base
    login = _ok(base, "POST", "/api/auth/signup/", body={
        "username": "robot-owner", "email": "owner@example.test", "password": "a-Long-pass-9921",
    })  # fmt: skip
    board = _ok(base, "POST", "/api/boards/", login["access"], {"name": "Followed"})["id"]
    pat = _ok(base, "POST", "/api/auth/tokens/", login["access"], {
        "name": "follower", "scope": "write", "boards": [board],
    })["token"]  # fmt: skip
    follower = _example()
    applied: list[int] = []
    hellos: list[int] = []

    async def scenario() -> None:
        loop = asyncio.get_running_loop()
        stop = asyncio.Event()

        def on_frame(state, frame) -> None:
            if frame["type"] == "hello":
                hellos.append(frame["seq"])
            elif frame["type"] == "event" and frame["seq"] == state.seq:
                applied.append(frame["seq"])

        async def until(check, what: str) -> None:
            deadline = loop.time() + 60
            while not check():
                assert loop.time() < deadline, (what, hellos, applied)
                await asyncio.sleep(0.05)

        def create(server, name: str) -> None:
            _ok(server.base, "POST", "/api/tasks/", pat, {"board": board, "name": name})

        follow = asyncio.create_task(
            follower.follow(first.base, pat, board, on_frame=on_frame, stop=stop)
        )
        await until(lambda: hellos, "connected")
        # Live: a change made through the follower's own server.
        await asyncio.to_thread(create, first, "live")
        await until(lambda: len(applied) == 1, "the live event")
        # The follower's server goes away; the team goes on working through the other one.
        await asyncio.to_thread(first.stop)
        for n in range(3):
            await asyncio.to_thread(create, second, f"while away {n}")
        await asyncio.to_thread(lambda: first.start().wait_ready())
        # Back: the follower reconnects by itself with `since`; the replay brings the three.
        await until(lambda: len(hellos) == 2 and len(applied) == 4, "the replay")
        await asyncio.to_thread(create, first, "after")
        await until(lambda: len(applied) == 5, "live again")
        stop.set()
        follow.cancel()  # it would return at its next frame; no need to wait for a heartbeat

    asyncio.run(scenario())
    start = hellos[0]
    assert applied == list(range(start + 1, start + 6)), (hellos, applied)
    tasks = _ok(base, "GET", f"/api/tasks/?board={board}", pat)
    names = sorted(t["name"] for t in tasks.get("results", tasks))
    assert names == ["after", "live", "while away 0", "while away 1", "while away 2"]
