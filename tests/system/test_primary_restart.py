"""SPEC 15, "MariaDB restarted mid-stream", on a private mariadbd (tests/support/mariadbd.py):
the shared server on 3306 is never restarted by a test.

The app (nginx, two daphnes, Redis) serves a board with sockets open; clients behave like the
page (tests/faults/client.py: no `resume`, a closed socket comes back with `since`). A writer
PATCHes one task continuously while the primary is SIGKILLed (or shut down cleanly), held
down until REST has answered for it, and started again on the same datadir and port."""

from __future__ import annotations

import asyncio
import json
import secrets
import time
from dataclasses import dataclass

import pytest

from tests.faults.checks import events_exactly_once_in_order, no_1011, wait_for_head
from tests.faults.client import FaultClient
from tests.faults.harness import tracebacks
from tests.support.http import HttpClient
from tests.support.mariadbd import MariaDB

from .conftest import create_user, running
from .private_db import PrivateDbStack

SOCKETS = 4
RATE = 20  # PATCHes per second, paced by the clock
# Generous on a loaded machine; far below what a stalled pool or a stuck socket would need.
RECOVERY_S = 10.0
DEADLINE_S = 40.0
DAPHNES = ("daphne0", "daphne1")


@pytest.fixture
def private_db():
    db = MariaDB(server_id=11)
    try:
        yield db.start()
    finally:
        db.remove()


def test_a_private_mariadbd_keeps_committed_rows_across_a_crash_and_a_clean_restart(private_db):
    db = private_db
    db.create_database("kept")
    db.execute("CREATE TABLE t (id INT PRIMARY KEY) ENGINE=InnoDB", database="kept")
    db.execute("INSERT INTO t VALUES (1), (2)", database="kept")
    port, first_pid = db.port, db.pid

    db.kill()
    assert not db.answers(), "a SIGKILLed server still answered"
    db.start()
    assert (db.port, db.pid != first_pid) == (port, True)
    assert db.execute("SELECT id FROM t ORDER BY id", database="kept") == ((1,), (2,))

    db.stop()
    assert not db.alive()
    db.start()
    assert db.execute("SELECT @@server_id, COUNT(*) FROM kept.t") == ((11, 2),)


# --- the app on a primary that restarts ------------------------------------------------------


@pytest.fixture(scope="module")
def stack():
    yield from running(PrivateDbStack())


@pytest.fixture(scope="module")
def token(stack) -> str:
    return create_user(stack, "dana")["access"]


@dataclass
class Patch:
    n: int
    op: str
    sent: float
    status: int | None
    body: str
    retry_after: str | None


class Writer:
    """PATCHes one task at RATE per second until stopped; one try each, every answer kept."""

    def __init__(self, api: HttpClient, task_id: int) -> None:
        self.api, self.task_id = api, task_id
        self.patches: list[Patch] = []
        self.stopping = False

    def _patch(self, n: int) -> Patch:
        op, sent = f"w-{secrets.token_hex(3)}-{n}", time.monotonic()
        try:
            resp = self.api.request(
                "PATCH", f"/api/tasks/{self.task_id}/", {"description": op}, X_Client_Op_Id=op
            )
        except OSError as exc:  # no answer at all (15 s timeout): recorded, asserted on
            return Patch(n, op, sent, None, f"{type(exc).__name__}: {exc}", None)
        body = resp.body.decode(errors="replace")
        return Patch(n, op, sent, resp.status, body, resp.headers.get("Retry-After"))

    async def run(self) -> None:
        t0, n = time.monotonic(), 0
        while not self.stopping:
            delay = t0 + n / RATE - time.monotonic()
            if delay > 0:
                await asyncio.sleep(delay)
            self.patches.append(await asyncio.to_thread(self._patch, n))
            n += 1

    def count(self, status: int, after: float = 0.0) -> int:
        return sum(1 for p in self.patches if p.status == status and p.sent >= after)

    def refused_since(self, after: float) -> int:
        return sum(1 for p in self.patches if p.status != 200 and p.sent >= after)


async def until(predicate, timeout: float, what: str) -> None:
    deadline = time.monotonic() + timeout
    while not predicate():
        assert time.monotonic() < deadline, f"not within {timeout}s: {what}"
        await asyncio.sleep(0.05)


def answers_that_are_not_503_json(patches: list[Patch]) -> list[str]:
    bad = []
    for p in patches:
        if p.status == 200:
            continue
        try:
            body = json.loads(p.body)
        except ValueError:
            body = None
        ok = (
            p.status == 503
            and isinstance(body, dict)
            and body.get("code") == "database_unavailable"
            and isinstance(body.get("detail"), str)
            and p.retry_after is not None
            and p.retry_after.isdigit()
        )
        if not ok:
            bad.append(f"write {p.n} -> {p.status} {p.body[:160]!r} Retry-After {p.retry_after}")
    return bad


def the_log(stack: PrivateDbStack, board_id: int) -> tuple[int, list[tuple[int, str]]]:
    """The board's last_seq and its event log (seq, client_op_id), read from the primary."""
    db = stack.primary
    ((last_seq,),) = db.execute(
        "SELECT last_seq FROM board_board WHERE id = %s", [board_id], stack.db_name
    )
    rows = db.execute(
        "SELECT seq, client_op_id FROM board_boardevent WHERE board_id = %s ORDER BY seq",
        [board_id],
        stack.db_name,
    )
    return last_seq, [(seq, op) for seq, op in rows]


@pytest.mark.parametrize("crash", [True, False], ids=["sigkill", "clean-shutdown"])
async def test_the_primary_restarted_mid_stream_loses_and_half_writes_nothing(stack, token, crash):
    api = HttpClient(stack.base_url, token)
    board = api.write("POST", "/api/boards/", {"name": f"restart {secrets.token_hex(3)}"}, 201)
    board_id = board.json()["id"]
    task = api.write("POST", "/api/tasks/", {"board": board_id, "name": "t"}, 201).json()
    daphne_pids = {name: stack.procs[name].pid for name in DAPHNES}
    marks = {name: stack.procs[name].log_size() for name in DAPHNES}

    clients = [FaultClient(stack.ws_url, board_id, token, f"c{i}") for i in range(SOCKETS)]
    await asyncio.gather(*(c.start() for c in clients))
    # A socket that opens while the primary is away: its handshake needs the database.
    late = FaultClient(stack.ws_url, board_id, token, "late")
    writer = Writer(api, task["id"])
    writing = asyncio.create_task(writer.run())
    try:
        await until(lambda: writer.count(200) >= 10, 20, "10 PATCHes before the restart")
        await asyncio.to_thread(stack.stop_primary, crash)
        down = time.monotonic()
        await late.start_no_wait()
        # Held down until REST and the socket handshake have both met the outage.
        await until(
            lambda: writer.refused_since(down) >= 3 and late.close_codes,
            30,
            f"3 refused PATCHes and a refused handshake; {late.summary()}",
        )
        await asyncio.to_thread(stack.start_primary)
        back = time.monotonic()
        # Pooled connections are replaced: PATCHes succeed again, with no daphne restarted.
        await until(
            lambda: writer.count(200, back) >= 20, RECOVERY_S, "20 PATCHes after the restart"
        )
    finally:
        writer.stopping = True
        await writing
    try:
        patches = writer.patches
        refused = [p for p in patches if p.status != 200]
        problems = answers_that_are_not_503_json(patches)
        if not any(p.sent >= down for p in refused):
            problems.append("no PATCH was refused while the primary was down")
        first_ok_after = min(p.sent for p in patches if p.sent >= back and p.status == 200)
        late_fails = [p.n for p in patches if p.sent >= first_ok_after and p.status != 200]
        if late_fails:
            problems.append(f"PATCHes failed after REST was serving again: {late_fails}")

        # Nothing half-written: the log is gap-free up to last_seq, each 200 in it once,
        # a refused write at most once (it may have committed as its connection died).
        last_seq, log = await asyncio.to_thread(the_log, stack, board_id)
        seqs = [seq for seq, _ in log]
        if seqs != list(range(1, last_seq + 1)):
            problems.append(f"event log is not 1..{last_seq}: {seqs[:5]}...{seqs[-5:]}")
        ops = [op for _, op in log]
        for p in patches:
            times = ops.count(p.op)
            if (p.status == 200 and times != 1) or times > 1:
                problems.append(f"write {p.n} ({p.status}) is in the log {times} times")
        live = api.ok("GET", f"/api/boards/{board_id}/snapshot/")
        replayed = api.ok("GET", f"/api/boards/{board_id}/snapshot/?seq={last_seq}")
        if live["tasks"] != replayed["tasks"]:
            problems.append(f"task rows {live['tasks']} != replay {replayed['tasks']}")
        row = api.ok("GET", f"/api/tasks/{task['id']}/")
        if row["description"] != patches[-1].op:
            problems.append(f"the task holds {row['description']!r}, the last 200 wrote "
                            f"{patches[-1].op!r}")  # fmt: skip

        # Every socket ends with every event once, in order (the late one from its hello).
        everyone = [*clients, late]
        problems += await wait_for_head(everyone, last_seq, time.monotonic() + DEADLINE_S)
        await asyncio.sleep(0.5)  # a duplicate would arrive now
        for c in everyone:
            problem = events_exactly_once_in_order(c, c.start_seq + 1, last_seq) if c.hellos else (
                f"{c.name} never got a hello: {c.summary()}"
            )  # fmt: skip
            if problem:
                problems.append(problem)
            if c.gave_up_code is not None:
                problems.append(f"{c.name} was told to give up: {c.summary()}")
        problems += no_1011(everyone)
        if 4503 not in late.close_codes:
            problems.append(f"the handshake during the outage did not close 4503: {late.summary()}")

        # An expected outage, not a bug: no traceback, no 500; the same daphnes throughout.
        logs = {n: stack.procs[n].log_since(marks[n]) for n in DAPHNES}
        problems += tracebacks(logs)
        errors = [line for text in logs.values() for line in text.splitlines() if " ERROR " in line]
        if errors:
            problems.append(f"{len(errors)} ERROR lines in the daphne logs, first: {errors[0]}")
        if {n: stack.procs[n].pid for n in DAPHNES} != daphne_pids or not all(
            stack.procs[n].alive() for n in DAPHNES
        ):
            problems.append("a daphne was restarted or died")
        summary = (
            f"{len(patches)} PATCHes, {len(refused)} refused, first 200 "
            f"{first_ok_after - back:.2f}s after the primary answered, last_seq {last_seq}; "
            + "; ".join(c.summary() for c in everyone)
        )
        print(summary)  # the figures of the run, with -s
        assert not problems, "\n".join([summary, *problems])
    finally:
        await asyncio.gather(*(c.stop() for c in [*clients, late]))
