"""B10 soak: 2,000 board sockets and 20 REST changes a second for 10 minutes on the bench's
daphne. daphne's RSS is sampled every 10 s; from minute 2 (allocator pools, caches and
connection pools warm) to the end it may grow at most 5%, and every socket must end with
every event of its board, once and in order, with no failed write or dropped socket.

The sockets are spread over BOARDS boards of VIEWERS members each (tabs of a team, as B1).
Not one board: 20 changes/s to 2,000 sockets on one board would be 40,000 deliveries/s,
2-3 cores at B1's measured 50-80 µs per delivery, so the run would measure a backlog, not
memory. Ten boards of 200 is 4,000 deliveries/s, a fifth of daphne's core.
"""

from __future__ import annotations

import asyncio
import contextlib
import json
import time
from collections import Counter

from prometheus_client.parser import text_string_to_metric_families

from . import procs, seed, wsload
from .b1_fanout import VIEWERS, task_body
from .httpload import HttpConn

BOARDS = 10
SAMPLE_EVERY_S = 10.0
TARGET_GROWTH_PCT = 5.0
# Below this share of the asked rate the run says so: on a busy machine the writers fall
# behind their schedule and the soak is not the one SPEC section 10 asks for.
RATE_REACHED = 0.95
# daphne's own view of the run (/metrics, loopback): was the channel layer away, did sockets
# need repairs from the log or a resync, was any closed as a slow reader.
HEALTH = ("rs_layer_degraded_seconds_total", "rs_gap_repairs_total", "rs_resyncs_total",
          "rs_slow_reader_closes_total")  # fmt: skip


async def run(ctx, sockets: int = 2000, rate: float = 20.0, warm_s: float = 120.0,
              measure_s: float = 480.0) -> dict:  # fmt: skip
    """`warm_s` of writes before the RSS baseline, then `measure_s` more."""
    boards = [
        await asyncio.to_thread(seed.board, VIEWERS, 1, f"soak{b}") for b in range(BOARDS)
    ]  # fmt: skip
    clients: list[wsload.WsClient] = []  # every socket, for the pings
    by_board: dict[int, list[wsload.WsClient]] = {}
    errors: list[str] = []
    stop = asyncio.Event()
    pinger = asyncio.create_task(wsload.keepalive(clients, 20, stop))
    t0 = time.monotonic()
    for b, board in enumerate(boards):
        paths = [
            f"/ws/boards/{board.board_id}/?token={board.tokens[i % VIEWERS]}"
            for i in range(b, sockets, BOARDS)
        ]
        by_board[board.board_id] = await wsload.open_many(
            ctx.app_port, paths, wait_hello=True, timeout=60, strict=False, errors=errors
        )
        clients.extend(by_board[board.board_id])
    connect_s = time.monotonic() - t0
    await asyncio.sleep(2.0)  # the connect storm's presence frames drain
    base = {id(c): c.last_seq for c in clients}
    heads = {b.board_id: max((c.last_seq for c in by_board[b.board_id]), default=0)
             for b in boards}  # fmt: skip
    statuses: Counter[int] = Counter()
    late = [0.0]  # the most a write started behind its schedule, s
    duration = warm_s + measure_s
    health0 = await health(ctx.app_port)
    start = time.monotonic()
    cpu0 = ctx.app.cpu_s()

    async def writer(index: int, board: seed.SeededBoard) -> None:
        # One keep-alive connection per board, paced on an absolute schedule so a slow answer
        # does not lower the rate; boards are staggered so the writes come evenly.
        conn = HttpConn(ctx.app_port, board.writer_token)
        period = BOARDS / rate
        path = f"/api/tasks/{board.task_ids[0]}/"
        k = 0
        try:
            while (due := start + index * period / BOARDS + k * period) < start + duration:
                await asyncio.sleep(max(0.0, due - time.monotonic()))
                late[0] = max(late[0], time.monotonic() - due)
                status, _ = await conn.request("PATCH", path, task_body(k))
                statuses[status] += 1
                if status == 200:
                    heads[board.board_id] += 1
                k += 1
        finally:
            conn.close()

    samples: list[dict] = []
    writing = asyncio.Event()  # set once every write is done: the last sample follows

    async def sampler() -> None:
        while True:
            at = time.monotonic() - start
            behind = max(
                (heads[b] - min((c.last_seq for c in cs), default=heads[b]))
                for b, cs in by_board.items()
            )
            samples.append(
                {"t_s": round(at, 1), "rss_kib": procs.rss_kib(ctx.app.pid), "behind_max": behind}
            )
            if writing.is_set():
                return
            with contextlib.suppress(TimeoutError):
                await asyncio.wait_for(writing.wait(), SAMPLE_EVERY_S)

    sampling = asyncio.create_task(sampler())
    await asyncio.gather(*(writer(i, b) for i, b in enumerate(boards)))
    writes_s = time.monotonic() - start
    writing.set()
    await sampling
    cpu_s = ctx.app.cpu_s() - cpu0
    deadline = time.monotonic() + 15
    while time.monotonic() < deadline and any(
        c.last_seq < heads[b] for b, cs in by_board.items() for c in cs
    ):
        await asyncio.sleep(0.1)
    truth = {b.board_id: await board_seq(ctx.app_port, b) for b in boards}
    health1 = await health(ctx.app_port)
    complete = [
        c.last_seq == truth[b] and c.events == truth[b] - base[id(c)] and c.disorder == 0
        for b, cs in by_board.items()
        for c in cs
    ]
    stop.set()
    await pinger
    open_at_end = sum(c.is_open for c in clients)
    closed = dict(Counter(str(c.close_code) for c in clients if not c.is_open))
    wsload.close_all(clients)
    await asyncio.sleep(0.5)
    return summarise(
        {
            "sockets": sockets,
            "boards": BOARDS,
            "rate_per_s": rate,
            "warm_s": warm_s,
            "measure_s": measure_s,
            "connect_s": connect_s,
            "failed_handshakes": len(errors),
            "errors": sorted(set(errors))[:5],
            "patches": sum(statuses.values()),
            "writes_s": writes_s,
            "rate_achieved_per_s": sum(statuses.values()) / writes_s,
            "writes_late_max_s": late[0],
            "daphne_health": {k: health1.get(k, 0.0) - health0.get(k, 0.0) for k in HEALTH},
            "patch_statuses": {str(k): v for k, v in statuses.items()},
            "heads_match_log": heads == truth,
            "complete": sum(complete),
            "disorder": sum(c.disorder for c in clients),
            "events_delivered": sum(c.events for c in clients),
            "open_at_end": open_at_end,
            "close_codes": closed,
            "server_cpu_s": cpu_s,
            "rss_series": samples,
        }
    )


async def board_seq(port: int, board: seed.SeededBoard) -> int:
    """The board's head from the server (its event log), not the writer's count."""
    conn = HttpConn(port, board.writer_token)
    try:
        status, body = await conn.request("GET", f"/api/boards/{board.board_id}/")
        if status != 200:
            raise RuntimeError(f"GET board answered {status}")
        return int(json.loads(body)["seq"])
    finally:
        conn.close()


async def health(port: int) -> dict[str, float]:
    """HEALTH's values from daphne's /metrics (loopback: no token in the bench's env)."""
    conn = HttpConn(port)
    try:
        status, body = await conn.request("GET", "/metrics")
    finally:
        conn.close()
    if status != 200:
        raise RuntimeError(f"/metrics answered {status}")
    return {
        s.name: s.value
        for family in text_string_to_metric_families(body.decode())
        for s in family.samples
        if s.name in HEALTH
    }


def summarise(out: dict) -> dict:
    series = out["rss_series"]
    base = next(s for s in series if s["t_s"] >= out["warm_s"] - 0.5)
    end = series[-1]
    out["rss_base_kib"] = base["rss_kib"]
    out["rss_end_kib"] = end["rss_kib"]
    out["rss_peak_after_base_kib"] = max(s["rss_kib"] for s in series if s["t_s"] >= base["t_s"])
    out["rss_growth_pct"] = 100 * (end["rss_kib"] - base["rss_kib"]) / base["rss_kib"]
    out["behind_max"] = max(s["behind_max"] for s in series)
    ok_patches = out["patch_statuses"].get("200", 0)
    out["us_per_delivery"] = (
        out["server_cpu_s"] / out["events_delivered"] * 1e6 if out["events_delivered"] else None
    )
    out["no_errors"] = (
        out["failed_handshakes"] == 0
        and ok_patches == out["patches"]
        and out["open_at_end"] == out["sockets"]
    )
    out["all_complete"] = out["complete"] == out["sockets"] and out["no_errors"]
    out["rate_reached"] = out["rate_achieved_per_s"] >= RATE_REACHED * out["rate_per_s"]
    return out


def verdicts(b10: dict) -> list[tuple[str, str, bool | None]]:
    """report.py's rows for B10."""
    minutes = (b10["warm_s"] + b10["measure_s"]) / 60
    growth = b10["rss_growth_pct"]
    rate = f"{b10['rate_achieved_per_s']:.1f} changes/s over {b10['writes_s'] / 60:.1f} min"
    if not b10["rate_reached"]:
        rate += ": rate not reached (machine busy), the soak is not SPEC's"
    return [
        (f"B10 RSS growth after minute {b10['warm_s'] / 60:.0f} ≤ {TARGET_GROWTH_PCT:.0f}% "
         f"({b10['sockets']:,} sockets, {b10['rate_per_s']:.0f} changes/s, {minutes:.0f} min)",
         f"{growth:+.1f}% ({b10['rss_base_kib'] // 1024} → {b10['rss_end_kib'] // 1024} MiB; "
         f"{rate})", growth <= TARGET_GROWTH_PCT if b10["rate_reached"] else None),
        ("B10 every socket every event", f"{b10['complete']}/{b10['sockets']} sockets, "
         f"{b10['patches'] - b10['patch_statuses'].get('200', 0)} failed writes, "
         f"{b10['sockets'] - b10['open_at_end']} closed", b10["all_complete"]),
    ]  # fmt: skip


def markdown(b10: dict) -> list[str]:
    """The RSS series under the table: one line, MiB every sample."""
    rss = " ".join(f"{s['rss_kib'] / 1024:.0f}" for s in b10["rss_series"])
    health = ", ".join(f"{k} +{v:g}" for k, v in b10["daphne_health"].items())
    return [
        "",
        f"B10 soak: {b10['sockets']:,} sockets on {b10['boards']} boards, "
        f"{b10['patches']:,} PATCHes ({b10['rate_achieved_per_s']:.1f}/s of "
        f"{b10['rate_per_s']:.0f}/s asked), "
        f"{b10['events_delivered']:,} deliveries ({_f(b10['us_per_delivery'])} µs CPU each, "
        f"PATCH included), connect {b10['connect_s']:.1f} s, at most {b10['behind_max']} "
        f"events behind at a sample, writes at most {b10['writes_late_max_s']:.1f} s late. "
        f"daphne's /metrics over the run: {health}. "
        f"daphne RSS (MiB) every {SAMPLE_EVERY_S:.0f} s: {rss}.",
    ]


def _f(value: float | None) -> str:
    return "—" if value is None else f"{value:.1f}"
