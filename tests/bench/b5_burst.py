"""B5: a burst of 500 changes to a board with 50 sockets. Every socket must end with all 500,
in order and exactly once: live, or through `resume` for a socket that saw a gap (the
protocol's client rule), which the server should make unnecessary."""

from __future__ import annotations

import asyncio
import time

from . import seed, wsload
from .httpload import HttpConn

VIEWERS = 20


async def run(ctx, sockets: int = 50, changes: int = 500, writers: int = 8) -> dict:
    board = await asyncio.to_thread(seed.board, VIEWERS, writers, "burst")
    paths = [
        f"/ws/boards/{board.board_id}/?token={board.tokens[i % VIEWERS]}" for i in range(sockets)
    ]
    clients = await wsload.open_many(ctx.app_port, paths, wait_hello=True)
    head = max(c.last_seq for c in clients)
    base = {id(c): c.last_seq for c in clients}
    conns = [HttpConn(ctx.app_port, board.writer_token) for _ in range(writers)]
    statuses: list[int] = []

    async def writer(k: int) -> None:
        # Each writer its own task: no 409s, and the board lock still serialises them all.
        path = f"/api/tasks/{board.task_ids[k]}/"
        for i in range(k, changes, writers):
            status, _ = await conns[k].request("PATCH", path, {"name": f"burst {i}"})
            statuses.append(status)

    t0 = time.monotonic()
    await asyncio.gather(*(writer(k) for k in range(writers)))
    burst_s = time.monotonic() - t0
    target = head + changes

    async def settle(limit: float) -> None:
        deadline = time.monotonic() + limit
        while time.monotonic() < deadline and any(c.last_seq < target for c in clients):
            await asyncio.sleep(0.05)

    await settle(15)
    live_complete = sum(c.last_seq >= target and c.disorder == 0 for c in clients)
    behind = [c for c in clients if c.last_seq < target]
    for c in behind:
        c.send_json({"type": "resume", "since": c.last_seq})
    if behind:
        await settle(15)
    # Exactly the events after the socket's hello seq, up to the burst's last one.
    complete = [c.last_seq == target and c.events == target - base[id(c)] for c in clients]
    for conn in conns:
        conn.close()
    wsload.close_all(clients)
    return {
        "sockets": sockets,
        "changes": changes,
        "patch_ok": sum(200 <= s < 300 for s in statuses),
        "burst_s": burst_s,
        "complete_live": live_complete,
        "resumed": len(behind),
        "complete": sum(complete),
        "events_min": min(c.events for c in clients),
        "disorder": sum(c.disorder for c in clients),
        "all_complete": all(complete),
    }
