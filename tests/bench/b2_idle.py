"""B2: idle sockets per process and RSS per socket, a fresh raw server and a fresh daphne
each taking the same number of sockets (one after the other: the sandbox caps open files
per process at 20000, and the generator holds one end of every socket)."""

from __future__ import annotations

import asyncio
import time

from . import procs, seed, wsload

PER_BOARD = 10  # sockets per board: a team's worth, so presence stays a team's size


async def hold(port: int, proc: procs.Proc, paths: list[str], hello: bool, settle: float) -> dict:
    warm = await wsload.open_many(port, paths[:20], wait_hello=hello)
    await asyncio.sleep(1.0)
    rss0, t0 = procs.rss_kib(proc.pid), time.monotonic()
    errors: list[str] = []
    clients: list[wsload.WsClient] = []
    stop = asyncio.Event()
    # 10k handshakes take longer than the app's idle timeout: ping from the first one on.
    pinger = asyncio.create_task(wsload.keepalive(clients, 20, stop))
    await wsload.open_many(
        port, paths, parallel=100, wait_hello=hello, timeout=120, strict=False, errors=errors,
        into=clients,
    )  # fmt: skip
    connect_s = time.monotonic() - t0
    await asyncio.sleep(settle)  # idle: heartbeats and pings only
    rss1 = procs.rss_kib(proc.pid)
    still_open = sum(c.is_open for c in clients)
    stop.set()
    await pinger
    wsload.close_all([*clients, *warm])
    return {
        "sockets": len(paths),
        "failed_handshakes": len(errors),
        "errors": sorted(set(errors))[:5],
        "open_after_idle": still_open,
        "connect_s": connect_s,
        "rss_before_kib": rss0,
        "rss_after_kib": rss1,
        "kib_per_socket": (rss1 - rss0) / len(paths),
    }


async def run(ctx, count: int, settle: float = 10.0) -> dict:
    raw, raw_port = procs.start_raw(ctx.harness.log_dir, name="raw-b2")
    try:
        raw_res = await hold(raw_port, raw, ["/idle"] * count, False, settle)
    finally:
        raw.stop()
    await asyncio.sleep(2)  # let the closed sockets' TIME_WAIT ports spread out
    board_ids, token = await asyncio.to_thread(seed.boards_for_one_user, count // PER_BOARD + 2)
    paths = [f"/ws/boards/{board_ids[i // PER_BOARD]}/?token={token}" for i in range(count)]
    app, app_port = procs.start_daphne(
        ctx.harness.env(**ctx.app_env), ctx.harness.log_dir, "daphne-b2"
    )
    try:
        recording = ctx.profile_start("b2-connect", pid=app.pid)
        app_res = await hold(app_port, app, paths, True, settle)
        if recording is not None:
            app_res["profile"] = recording.stop()
    finally:
        app.stop()
    return {
        "raw": raw_res,
        "app": app_res,
        "rss_ratio": app_res["kib_per_socket"] / raw_res["kib_per_socket"]
        if raw_res["kib_per_socket"] > 0
        else None,
    }
