"""`make run` in a fresh copy of this tree, used the way its README says (issue 15).

The world is `make run` itself on a free port, in a temp copy of the tracked files with no
.env and nothing in the environment but PATH, HOME and LANG: the embedded default (SQLite,
in-memory channel layer, SqliteHuey consumed inside daphne), as a new clone gets it. The
second terminal is `manage.py send_due_today` with that same bare environment.
"""

from __future__ import annotations

import asyncio
import datetime as dt
import gzip
import json
import os
import secrets
import shutil
import signal
import sqlite3
import subprocess
import sys
from pathlib import Path

import brotli
import pytest
from websockets.asyncio.client import connect

from tests.support.http import HttpClient, http_ok
from tests.support.ports import free_port
from tests.support.servers import ROOT, Process

pytestmark = pytest.mark.sqlite  # the embedded default only: the services tier skips it

BIN = Path(sys.executable).parent
STAMP = BIN.parent / ".installed"
TIMEOUT = 30


def copy_tree(dest: Path) -> None:
    """The tracked files (and new ones not ignored) as a clone would have them."""
    names = subprocess.run(
        ["git", "ls-files", "-z", "--cached", "--others", "--exclude-standard"],
        cwd=ROOT, capture_output=True, check=True,
    ).stdout.decode().split("\0")  # fmt: skip
    for name in filter(None, names):
        source = ROOT / name
        if source.is_file():
            (dest / name).parent.mkdir(parents=True, exist_ok=True)
            shutil.copy2(source, dest / name)


class MakeRun(Process):
    """`make run` on `port`. Its recipe's shell and daphne are in its session: stopped as a
    group, through the PID we started."""

    def __init__(self, clone: Path, port: int, env: dict[str, str]):
        # Our venv, never reinstalled from the copy (-o: its stamp counts as up to date).
        argv = ["make", "run", f"VENV={BIN.parent}", f"PORT={port}", "-o", str(STAMP)]
        super().__init__("make run", argv, clone.parent / "make-run.log", env, clone)
        self.base = f"http://127.0.0.1:{port}"

    def stop(self, timeout: float = 10) -> None:
        if self.alive():
            os.killpg(self.pid, signal.SIGTERM)
            try:
                self.proc.wait(timeout)
            except subprocess.TimeoutExpired:
                os.killpg(self.pid, signal.SIGKILL)
                self.proc.wait(timeout)


class World:
    def __init__(self, tmp: Path):
        self.clone = tmp / "clone"
        self.clone.mkdir()
        copy_tree(self.clone)
        self.port = free_port()
        self.env = {"PATH": os.environ["PATH"], "HOME": str(tmp), "LANG": "C.UTF-8"}
        self.server = MakeRun(self.clone, self.port, self.env)
        self.http = HttpClient(self.server.base)

    def manage(self, *args: str, **env: str) -> subprocess.CompletedProcess:
        return subprocess.run(
            [str(BIN / "python"), "manage.py", *args], cwd=self.clone, env={**self.env, **env},
            capture_output=True, text=True, timeout=120,
        )  # fmt: skip

    def signup(self) -> HttpClient:
        name = f"u{secrets.token_hex(4)}"
        body = {"username": name, "email": f"{name}@example.com", "password": "pw-" + name * 2}
        resp = self.http.post("/api/auth/signup/", {**body, "timezone": "UTC"})
        assert resp.status == 201, resp.body
        client = HttpClient(self.server.base, resp.json()["access"])
        client.username = name  # type: ignore[attr-defined]
        return client

    def task_due(self, user: HttpClient, day: dt.date) -> tuple[int, int]:
        board = user.ok("POST", "/api/boards/", {"name": "Launch"})["id"]
        task = user.ok(
            "POST", "/api/tasks/",
            {"board": board, "name": "Ship it", "assigned": user.username, "due": day.isoformat()},
        )["id"]  # fmt: skip
        return board, task


@pytest.fixture(scope="module")
def world(tmp_path_factory):
    world = World(tmp_path_factory.mktemp("make-run"))
    # A fresh clone's first `make run` migrates and compresses every static file.
    world.server.start().wait_until(lambda: http_ok(world.server.base + "/healthz"), 240)
    yield world
    world.server.stop()


def test_make_run_ends_with_the_url_once_the_server_answers(world):
    log = world.server.log_text().rstrip().splitlines()
    url = f"http://127.0.0.1:{world.port}/"
    assert log[-1] == f"Open {url} in a browser (Ctrl-C stops the server)."
    # The demo logins just before it, after the server's own startup lines.
    assert "username: alice   password: demo-password-123" in log[-3]
    assert any("Listening on TCP address" in line for line in log[:-4])


async def test_send_due_today_in_a_second_terminal_reaches_the_open_page(world):
    user = world.signup()
    day = dt.datetime.now(dt.UTC).date()
    board, task = world.task_due(user, day)
    link = f"http://127.0.0.1:{world.port}/boards/{board}/?task={task}"
    url = f"ws://127.0.0.1:{world.port}/ws/me/?token={user.token}"
    async with connect(url, origin=world.server.base) as ws:
        assert json.loads(await asyncio.wait_for(ws.recv(), TIMEOUT))["type"] == "hello"
        command = asyncio.create_task(
            asyncio.to_thread(world.manage, "send_due_today", "--date", day.isoformat())
        )
        frame = await asyncio.wait_for(_next_frame(ws, "notification"), 120)
        done = await asyncio.wait_for(command, 120)
    assert done.returncode == 0, done.stderr
    assert "Sent by the running server" in done.stdout
    assert frame["type"] == "notification" and frame["kind"] == "due_today"
    assert [t["url"] for t in frame["data"]["tasks"]] == [link]
    # The mail was built by the server (console backend: its output), with its real port.
    assert f"Open: {link}" in world.server.log_text()


async def _next_frame(ws, kind: str) -> dict:
    """The next frame of `kind`, answering heartbeats as the page does (else 4408)."""
    while (frame := json.loads(await ws.recv()))["type"] != kind:
        assert frame["type"] in ("heartbeat", "pong"), frame
        if frame["type"] == "heartbeat":
            await ws.send(json.dumps({"type": "ping"}))
    return frame


def _queued_jobs(huey_file: Path) -> int:
    with sqlite3.connect(huey_file) as db:
        return db.execute("select count(*) from task").fetchone()[0]


def test_without_a_server_the_command_sends_once_itself_and_a_late_server_sends_nothing(
    world, tmp_path
):
    # A queue no consumer reads: the command finds no server.
    queue = {"HUEY_SQLITE_PATH": str(tmp_path / "queue.sqlite3")}
    user = world.signup()
    day = dt.date(2031, 5, 6)
    board, task = world.task_due(user, day)

    done = world.manage("send_due_today", "--date", day.isoformat(), "--wait", "1", **queue)

    assert done.returncode == 0, done.stderr
    assert "No server took the job within 1 s" in done.stdout
    assert f"To: {user.username}@example.com" in done.stdout  # the console mail, once
    assert done.stdout.count(f"/boards/{board}/?task={task}") == 2  # text and HTML part
    notes = user.ok("GET", "/api/notifications/")["results"]
    assert [n["kind"] for n in notes] == ["due_today"]

    # A server that starts later on that queue finds the job and must not send it again.
    late = Process("run_huey", [str(BIN / "python"), "manage.py", "run_huey"],
                   tmp_path / "huey.log", {**world.env, **queue}, world.clone)  # fmt: skip
    late.start()
    try:
        late.wait_until(lambda: _queued_jobs(tmp_path / "queue.sqlite3") == 0, TIMEOUT)
        # Its verdict on the job: "... was revoked, not executing" (or "expired"), or
        # "Executing notifications.tasks.due_today_by_hand: ...".
        late.wait_until(lambda: "due_today_by_hand:" in late.log_text(), TIMEOUT)
    finally:
        late.stop()
    assert "not executing" in late.log_text()
    assert "Executing notifications.tasks.due_today_by_hand" not in late.log_text()
    assert len(user.ok("GET", "/api/notifications/")["results"]) == 1


@pytest.mark.parametrize(
    ("asked", "sent", "decode"),
    [("br, gzip", "br", brotli.decompress), ("gzip", "gzip", gzip.decompress)],
)
def test_static_files_are_sent_precompressed(world, asked, sent, decode):
    name = "frontend/board.js"
    original = (world.clone / "staticfiles" / name).read_bytes()
    resp = world.http.get(f"/static/{name}", Accept_Encoding=asked)
    assert resp.status == 200
    assert resp.headers.get("Content-Encoding") == sent
    assert len(resp.body) < len(original) / 2
    assert decode(resp.body) == original
    plain = world.http.get(f"/static/{name}")
    assert "Content-Encoding" not in plain.headers and plain.body == original


def test_the_snapshot_is_gzipped_and_login_answers_are_not(world):
    user = world.signup()
    board, _ = world.task_due(user, dt.date(2031, 1, 1))
    path = f"/api/boards/{board}/snapshot/"
    packed = user.get(path, Accept_Encoding="gzip")
    assert packed.headers.get("Content-Encoding") == "gzip"
    assert json.loads(gzip.decompress(packed.body))["board"]["id"] == board
    assert "Accept-Encoding" in packed.headers.get("Vary", "")
    # Tokens next to what the client sent (its name): BREACH material, never compressed.
    long = {"full_name": "N" * 150, "timezone": "UTC", "password": "pw-" + "x" * 20}
    name = "v" + secrets.token_hex(70)
    body = {**long, "username": name, "email": f"{name}@{'e' * 60}.example.com"}
    resp = world.http.post("/api/auth/signup/", body, Accept_Encoding="gzip")
    assert resp.status == 201, resp.body
    assert len(resp.body) > 1024 and "Content-Encoding" not in resp.headers
