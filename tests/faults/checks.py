"""What every fault case ends with, and the write loop that drives it.

Each helper returns a list of problems (strings) rather than raising, so a failing case reports
everything that went wrong at once: one run shows which of the guarantees hold.
"""

from __future__ import annotations

import asyncio
import re
import time
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from typing import Any

from tests.support.http import HttpClient

from .client import FaultClient
from .harness import FaultStack, tracebacks

SETTLE_S = 0.5  # after every socket reached the head: time for a duplicate to show up


@dataclass
class Write:
    n: int
    op: str
    sent: float
    returned: float
    status: int | None
    detail: str = ""


def timed_write(api: HttpClient, method: str, path: str, data: Any, op: str, n: int = 0) -> Write:
    sent = time.monotonic()
    try:
        resp = api.request(method, path, data, X_Client_Op_Id=op)
        status, detail = resp.status, resp.body[:200].decode(errors="replace")
    except OSError as exc:  # HttpClient has a 15 s timeout per request: bounded
        status, detail = None, f"{type(exc).__name__}: {exc}"
    return Write(n, op, sent, time.monotonic(), status, detail)


async def write_loop(
    api: HttpClient,
    task_id: int,
    count: int,
    rate: float,
    prefix: str,
    faults: dict[int, Callable[[], Awaitable[None]]] | None = None,
    body: Callable[[int], dict] | None = None,
) -> list[Write]:
    """`count` PATCHes of one task at `rate` per second, paced by the clock (a slow write
    does not shift the schedule). `faults[n]` starts as its own task before write n, so the
    writes go on while the fault runs. One try per write: a 5xx is recorded, not retried."""
    faults = faults or {}
    fault_tasks = []
    writes: list[Write] = []
    t0 = time.monotonic()
    for n in range(count):
        if n in faults:
            fault_tasks.append(asyncio.create_task(faults[n]()))
        delay = t0 + n / rate - time.monotonic()
        if delay > 0:
            await asyncio.sleep(delay)
        data = body(n) if body else {"description": f"{prefix} {n}"}
        writes.append(
            await asyncio.to_thread(
                timed_write, api, "PATCH", f"/api/tasks/{task_id}/", data, f"{prefix}-{n}", n
            )
        )
    for task in fault_tasks:
        await task
    return writes


def failed_writes(writes: list[Write], label: str = "") -> list[str]:
    bad = [w for w in writes if w.status != 200]
    if not bad:
        return []
    first = bad[0]
    return [
        f"{len(bad)} of {len(writes)} REST writes{label} failed "
        f"(first: write {first.n} -> {first.status} {first.detail[:120]!r})"
    ]


async def wait_for_head(clients: list[FaultClient], head: int, deadline: float) -> list[str]:
    """Wait (bounded) until every client holds seq `head`; the laggards as problems. A client
    that gave up (closed with a stop code) never will: no point waiting for it."""
    while time.monotonic() < deadline:
        if all(c.last_seq >= head or c.stopped for c in clients):
            break
        await asyncio.sleep(0.02)
    return [
        f"{c.summary()}: did not reach seq {head} in time" for c in clients if c.last_seq < head
    ]


def events_exactly_once_in_order(client: FaultClient, first_seq: int, last_seq: int) -> str | None:
    """None when the client holds events first_seq..last_seq, each once, in seq order."""
    got = client.seqs()
    expected = list(range(first_seq, last_seq + 1))
    if got == expected:
        return None
    missing = sorted(set(expected) - set(got))
    doubled = sorted({s for s in got if got.count(s) > 1})
    extra = sorted(set(got) - set(expected))
    out_of_order = [
        (a, b) for a, b in zip(got, got[1:], strict=False) if b <= a and b not in doubled
    ][:5]
    return (
        f"{client.name}: events {first_seq}..{last_seq} not exactly once in order: "
        f"missing {_ranges(missing)}, doubled {doubled[:10]}, extra {extra[:10]}, "
        f"out of order {out_of_order}; closes {client.close_codes}, "
        f"connections {client.conn + 1}"
    )


def _ranges(seqs: list[int]) -> str:
    if not seqs:
        return "[]"
    parts, start, prev = [], seqs[0], seqs[0]
    for s in seqs[1:] + [None]:
        if s is not None and s == prev + 1:
            prev = s
            continue
        parts.append(f"{start}" if start == prev else f"{start}-{prev}")
        if s is not None:
            start = prev = s
    return "[" + ", ".join(parts) + "]" + f" ({len(seqs)})"


def no_1011(clients: list[FaultClient]) -> list[str]:
    return [
        f"{c.name} saw close code 1011: {c.close_codes}" for c in clients if 1011 in c.close_codes
    ]


def late_events(
    clients: list[FaultClient],
    writes: list[Write],
    deadline_for: Callable[[Write], float],
    what: str,
) -> list[str]:
    """Per client: the events of `writes` that arrived after deadline_for(write), or never."""
    problems = []
    for c in clients:
        arrivals = c.first_arrival()
        missing, late = [], []
        for w in writes:
            if w.status != 200:
                continue
            t = arrivals.get(w.op)
            if t is None:
                missing.append(w.op)
            elif t > deadline_for(w):
                late.append((w.op, round(t - w.returned, 2)))
        if missing or late:
            ok = sum(1 for w in writes if w.status == 200)
            problems.append(
                f"{c.name}: {what}: {len(missing)} of {ok} events never arrived "
                f"({missing[:6]}{'...' if len(missing) > 6 else ''}), {len(late)} late "
                f"(op, seconds after its REST call returned: {late[:6]})"
            )
    return problems


async def final_checks(
    stack: FaultStack,
    board_id: int,
    clients: list[FaultClient],
    deadline: float,
    marks: dict[str, int],
) -> list[str]:
    """Every remaining socket holds every event exactly once in seq order (waited for until
    `deadline`), no 1011 anywhere, no Traceback in any daphne log since `marks`."""
    problems: list[str] = []
    head = await asyncio.to_thread(stack.head, board_id)
    log_seqs = [row["seq"] for row in await asyncio.to_thread(stack.event_log, board_id, 0)]
    if log_seqs != list(range(1, head + 1)):
        problems.append(f"the REST event log is not 1..{head}: {_ranges(log_seqs)}")
    problems += await wait_for_head(clients, head, deadline)
    await asyncio.sleep(SETTLE_S)
    for c in clients:
        if not c.hellos:
            problems.append(f"{c.name}: never got a hello")
            continue
        problem = events_exactly_once_in_order(c, c.start_seq + 1, head)
        if problem:
            problems.append(problem)
    problems += no_1011(clients)
    problems += tracebacks(stack.logs_since(marks))
    return problems


def count_lines(text: str, pattern: str) -> int:
    rx = re.compile(pattern, re.I)
    return sum(1 for line in text.splitlines() if rx.search(line))


def report(problems: list[str]) -> None:
    assert not problems, "\n  - " + "\n  - ".join(problems)


async def delivering(stack: FaultStack, timeout: float = 8.0) -> str | None:
    """None when one REST write on A reaches a fresh socket on each of A and B within
    `timeout`; else what went wrong."""
    board = await asyncio.to_thread(stack.new_board)
    task = await asyncio.to_thread(stack.new_task, board["id"], "probe")
    token = stack.users["owner"].access
    clients = [FaultClient(d.ws, board["id"], token, f"probe-{d.name}") for d in (stack.a, stack.b)]
    try:
        await asyncio.gather(*(c.start(timeout) for c in clients))
        write = await asyncio.to_thread(
            timed_write, stack.api("owner"), "PATCH", f"/api/tasks/{task['id']}/",
            {"description": "probe"}, "probe",
        )  # fmt: skip
        if write.status != 200:
            return f"probe write: {write.status}"
        late = await wait_for_head(clients, clients[0].start_seq + 1, time.monotonic() + timeout)
        return "; ".join(late) or None
    except AssertionError as exc:
        return str(exc)
    finally:
        await asyncio.gather(*(c.stop() for c in clients), return_exceptions=True)
