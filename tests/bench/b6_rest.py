"""B6: REST throughput of the task list (50 tasks) and of a PATCH, against a plain Django
JsonResponse view under the same daphne. Phases alternate plain/list/patch, three times."""

from __future__ import annotations

import asyncio

from . import seed
from .httpload import HttpConn, throughput
from .stats import median


async def run(ctx, rounds: int = 3, seconds: float = 3.0, concurrency: int = 4) -> dict:
    board = await asyncio.to_thread(seed.board, 2, 50, "rest")
    list_path = f"/api/tasks/?board={board.board_id}&page_size=50"
    conns = [HttpConn(ctx.app_port, board.writer_token) for _ in range(concurrency)]

    async def plain(conn, i):
        return await conn.request("GET", "/bench/plain/")

    async def task_list(conn, i):
        return await conn.request("GET", list_path)

    async def patch(conn, i):
        # One task per connection: last write wins, no 409s, the board lock serialises them.
        task = board.task_ids[conns.index(conn)]
        return await conn.request("PATCH", f"/api/tasks/{task}/", {"name": f"rest {i}"})

    status, body = await task_list(conns[0], 0)
    assert status == 200 and body.count(b'"id"') >= 50, (status, body[:200])
    phases = {"plain": plain, "list": task_list, "patch": patch}
    out: dict = {name: [] for name in phases}
    profiles = {}
    for round_no in range(rounds):
        for name, fn in phases.items():
            # Idle samples too: B6 is bound by where a request waits, not only by CPU.
            recording = ctx.profile_start(f"b6-{name}", idle=True) if round_no == 0 else None
            # Ticks, not schedstat: each request's thread is gone before the phase ends.
            cpu0 = ctx.app.cpu_total_s()
            res = await throughput(fn, conns, seconds)
            if recording is not None:
                profiles[name] = recording.stop()
            cpu_s = ctx.app.cpu_total_s() - cpu0
            res["cpu_ms_per_request"] = cpu_s / max(1, res["requests"]) * 1e3
            out[name].append(res)
    for conn in conns:
        conn.close()
    ratios = {
        kind: median(
            [r["rps"] / p["rps"] for r, p in zip(out[kind], out["plain"], strict=True) if p["rps"]]
        )
        for kind in ("list", "patch")
    }
    summary = {name: median([r["rps"] for r in rows]) for name, rows in out.items()}
    errors = sum(r["errors"] for rows in out.values() for r in rows)
    result = {"rounds": out, "rps": summary, "ratio_to_plain": ratios, "errors": errors}
    if profiles:
        result["profile"] = profiles
    return result
