"""SPEC section 15, the channel layer's Redis: killed and restarted empty, its connections
dropped, away for 20 s. REST keeps serving, sockets end with every event exactly once in order
within 5 s of Redis answering again, and while it is away events reach sockets from the log
within 2 s (degraded mode) and /readyz says so. The clients never send `resume`."""

from __future__ import annotations

import asyncio
import time

from .checks import (
    count_lines,
    failed_writes,
    final_checks,
    late_events,
    report,
    write_loop,
)
from .client import FaultClient

AFTER_S = 5.0  # SPEC 15: everything within 5 s of Redis answering again
DEGRADED_S = 2.5  # SPEC 15: 2 s from the log while Redis is away, plus a little slack
READYZ_GRACE_S = 3.0  # /readyz may say "ok" this long after the kill (detection time)
OUTAGE_S = 20.0


async def open_four(stack, board_id: int, prefix: str) -> list[FaultClient]:
    """Two sockets per daphne (owner and member on each)."""
    clients = [
        FaultClient(d.ws, board_id, stack.users[user].access, f"{prefix}-{d.name}-{user}")
        for d in (stack.a, stack.b)
        for user in ("owner", "member")
    ]
    try:
        await asyncio.gather(*(c.start() for c in clients))
    except BaseException:
        await stop_all(clients)
        raise
    return clients


async def stop_all(clients: list[FaultClient]) -> None:
    await asyncio.gather(*(c.stop() for c in clients), return_exceptions=True)


def after_back(back: float):
    """An event written before Redis came back is due 5 s after it answered; a later one 5 s
    after its own write returned."""
    return lambda w: max(back, w.returned) + AFTER_S


async def test_redis_killed_and_restarted_empty_mid_stream(stack, marks):
    board = stack.new_board({"member": "member"})
    task = stack.new_task(board["id"])
    clients = await open_four(stack, board["id"], "c1")
    times: dict[str, float] = {}

    async def kill_and_restart():
        times["kill"] = await asyncio.to_thread(stack.kill_redis)
        await asyncio.sleep(1.0)  # writes go on meanwhile
        times["back"] = await asyncio.to_thread(stack.start_redis)

    try:
        writes = await write_loop(
            stack.api("owner"), task["id"], 60, 10, "c1", {20: kill_and_restart}
        )
        back = times["back"]
        # First the bounded wait for everything; then when each event arrived.
        final = await final_checks(
            stack, board["id"], clients, max(back, writes[-1].returned) + AFTER_S, marks
        )
        problems = failed_writes(writes)
        problems += late_events(
            clients, writes, after_back(back), "events due 5 s after Redis answered again"
        )
        problems += final
    finally:
        await stop_all(clients)
    report(problems)


async def test_layer_connections_dropped_mid_stream(stack, marks):
    board = stack.new_board({"member": "member"})
    task = stack.new_task(board["id"])
    clients = await open_four(stack, board["id"], "c2")
    times: dict[str, float] = {}

    async def client_kill():
        times["killed"] = await asyncio.to_thread(stack.drop_layer_connections)
        times["back"] = time.monotonic()

    try:
        writes = await write_loop(stack.api("owner"), task["id"], 60, 10, "c2", {20: client_kill})
        back = times["back"]
        final = await final_checks(
            stack, board["id"], clients, max(back, writes[-1].returned) + AFTER_S, marks
        )
        problems = []
        if not times["killed"] or times["killed"] in ("0", "(integer) 0"):
            problems.append(f"CLIENT KILL TYPE normal killed no connection ({times['killed']!r})")
        problems += failed_writes(writes)
        problems += late_events(
            clients, writes, after_back(back), "events due 5 s after the connections dropped"
        )
        problems += final
    finally:
        await stop_all(clients)
    report(problems)


def readyz_verdict(sample: tuple) -> tuple[bool, str]:
    """(degraded as SPEC 15 wants it, description) for one /readyz answer."""
    _t, status, body = sample
    realtime = body.get("checks", {}).get("realtime") if isinstance(body, dict) else None
    ok = status == 503 and realtime == "degraded"
    return ok, f"{status} realtime={realtime!r}"


async def test_redis_away_20s_degraded_mode_from_the_log(stack, marks):
    board = stack.new_board({"member": "member"})
    task = stack.new_task(board["id"])
    clients = await open_four(stack, board["id"], "c3")
    owner = stack.api("owner")
    samples: dict[str, list[tuple]] = {"a": [], "b": []}
    sampling = asyncio.Event()

    async def sample_readyz():
        while not sampling.is_set():
            for daphne in (stack.a, stack.b):
                status, body = await asyncio.to_thread(daphne.readyz, 4)
                samples[daphne.name].append((time.monotonic(), status, body))
            await asyncio.sleep(0.5)

    problems: list[str] = []
    try:
        before = await write_loop(owner, task["id"], 4, 2, "c3pre")
        kill = await asyncio.to_thread(stack.kill_redis)
        sampler = asyncio.create_task(sample_readyz())
        during = await write_loop(owner, task["id"], int(OUTAGE_S * 2), 2, "c3out")
        sampling.set()
        await sampler
        back = await asyncio.to_thread(stack.start_redis)
        outage_logs = stack.logs_since(marks)  # this test's lines, up to Redis's return

        # /readyz back to 200 with realtime "ok" (bounded wait on the condition).
        recovered: dict[str, tuple | None] = {"a": None, "b": None}
        last_after = None
        deadline = back + 10
        while time.monotonic() < deadline and not all(recovered.values()):
            for daphne in (stack.a, stack.b):
                if recovered[daphne.name] is None:
                    status, body = await asyncio.to_thread(daphne.readyz, 4)
                    checks = body.get("checks", {}) if isinstance(body, dict) else {}
                    if status == 200 and checks.get("realtime") == "ok":
                        recovered[daphne.name] = (time.monotonic() - back, status, body)
                    else:
                        last_after = (status, body)
            await asyncio.sleep(0.2)
        after = await write_loop(owner, task["id"], 4, 2, "c3post")
        final = await final_checks(
            stack, board["id"], clients, max(back, after[-1].returned) + AFTER_S, marks
        )

        problems += failed_writes(during, " while Redis was away")
        problems += failed_writes(before + after)
        problems += late_events(
            clients,
            during,
            lambda w: w.returned + DEGRADED_S,
            f"while Redis was away, events due {DEGRADED_S} s after their REST write returned",
        )
        problems += late_events(
            clients, before + after, after_back(back), "events around the outage"
        )
        for name, got in samples.items():
            judged = [readyz_verdict(s) for s in got if kill + READYZ_GRACE_S <= s[0]]
            bad = [desc for ok, desc in judged if not ok]
            if not judged:
                problems.append(f"daphne {name}: no /readyz sample during the outage")
            elif bad:
                problems.append(
                    f"daphne {name}: /readyz during the outage: {len(bad)} of {len(judged)} "
                    f"answers not 503 with checks.realtime 'degraded' (first: {bad[0]}; "
                    f"body {got[-1][2]!r:.200})"
                )
        for name, got in recovered.items():
            if got is None:
                problems.append(
                    f"daphne {name}: /readyz not 200 with checks.realtime 'ok' within 10 s "
                    f"of Redis answering again (last: {last_after!r:.200})"
                )
        for name, text in outage_logs.items():
            layer_lines = count_lines(text, r"channel.layer")
            if layer_lines > 6:
                sample = [ln for ln in text.splitlines() if "channel" in ln.lower()][:2]
                problems.append(
                    f"daphne {name}: {layer_lines} log lines about the channel layer during "
                    f"the outage (at most 6; not one per socket): {sample}"
                )
        problems += final
    finally:
        sampling.set()
        await stop_all(clients)
    report(problems)
