"""B1: one REST PATCH fanned out to N sockets on one board, against a raw `websockets`
broadcast of the same frame. Both servers hold N sockets at once; rounds alternate raw and
daphne so slow drift of the machine (other tenants) hits both alike."""

from __future__ import annotations

import asyncio
import json
import time
from collections import Counter

from . import seed, wsload
from .httpload import HttpConn
from .procs import Proc
from .stats import median, pct

VIEWERS = 20  # board members the sockets are spread over (tabs of a team, not 1000 people)
GEN_BUSY_LIMIT = 0.9  # generator CPU share over a round above which the round is invalid


def task_body(i: int) -> dict:
    return {"name": f"renamed {i}", "description": "y" * 200}


async def run_round(trigger, clients, arrivals, server: Proc, count: int, interval: float) -> dict:
    """`count` broadcasts `interval` apart; waits for every delivery (or 15 s)."""
    n = len(clients)
    cpu0, gen0, wall0 = server.cpu_s(), time.process_time(), time.monotonic()
    sent: dict[int, float] = {}
    for i in range(count):
        t = time.monotonic()
        seq = await trigger(i)
        sent[seq] = t
        await asyncio.sleep(max(0.0, interval - (time.monotonic() - t)))
    deadline = time.monotonic() + 15
    while time.monotonic() < deadline:
        if all(arrivals.count.get(s, 0) >= n for s in sent):
            break
        await asyncio.sleep(0.02)
    wall = time.monotonic() - wall0
    cpu, gen = server.cpu_s() - cpu0, time.process_time() - gen0
    delivered = sum(arrivals.count.get(s, 0) for s in sent)
    lat = [(arrivals.last[s] - t) * 1000 for s, t in sent.items() if s in arrivals.last]
    return {
        "broadcasts": count,
        "expected": n * count,
        "delivered": delivered,
        "server_cpu_s": cpu,
        "cpu_us_per_delivery": cpu / delivered * 1e6 if delivered else None,
        "last_socket_ms_p50": pct(lat, 50),
        "last_socket_ms_p99": pct(lat, 99),
        "latencies_ms": [round(x, 1) for x in lat],
        "generator_busy": gen / wall,
        "valid": gen / wall < GEN_BUSY_LIMIT,
    }


async def run_size(ctx, n: int, rounds: int, count: int, interval: float) -> dict:
    board = await asyncio.to_thread(seed_board, n)
    raw_arr, app_arr = wsload.Arrivals(), wsload.Arrivals()
    raw_clients = await wsload.open_many(ctx.raw_port, ["/sub"] * n, raw_arr)
    paths = [f"/ws/boards/{board.board_id}/?token={board.tokens[i % VIEWERS]}" for i in range(n)]
    t0 = time.monotonic()
    app_clients = await wsload.open_many(ctx.app_port, paths, app_arr, wait_hello=True)
    connect_s = time.monotonic() - t0
    stop = asyncio.Event()
    # Clients ping every heartbeat as docs/realtime.md asks (or the app closes them 4408).
    pinger = asyncio.create_task(wsload.keepalive([*raw_clients, *app_clients], 20, stop))
    await asyncio.sleep(1.0)  # let the presence frames of the connect storm drain
    pub = await wsload.open_many(ctx.raw_port, ["/pub"], None)
    raw_pub = RawPublisher(pub[0])
    writer = HttpConn(ctx.app_port, board.writer_token)
    task_path = f"/api/tasks/{board.task_ids[0]}/"
    head = app_clients[0].last_seq

    async def app_trigger(i: int) -> int:
        nonlocal head
        status, _ = await writer.request("PATCH", task_path, task_body(i))
        if status != 200:
            raise RuntimeError(f"PATCH answered {status}")
        head += 1
        return head

    async def raw_trigger(i: int) -> int:
        return await raw_pub.publish(task_body(i))

    out: dict = {"n": n, "connect_s": connect_s, "raw": [], "app": []}
    recording = ctx.profile_start(f"b1-n{n}")  # the rounds only, not the connect storm
    for _ in range(rounds):
        out["raw"].append(
            await run_round(raw_trigger, raw_clients, raw_arr, ctx.raw, count, interval)
        )
        out["app"].append(
            await run_round(app_trigger, app_clients, app_arr, ctx.app, count, interval)
        )
    if recording is not None:
        out["profile"] = recording.stop()
    stop.set()
    await pinger
    out["app_disorder"] = sum(c.disorder for c in app_clients)
    out["app_open_at_end"] = sum(c.is_open for c in app_clients)
    out["app_close_codes"] = dict(Counter(c.close_code for c in app_clients if not c.is_open))
    writer.close()
    wsload.close_all([*raw_clients, *app_clients, *pub])
    await asyncio.sleep(0.5)
    return summarise(out)


def summarise(out: dict) -> dict:
    ratios = [
        a["cpu_us_per_delivery"] / r["cpu_us_per_delivery"]
        for r, a in zip(out["raw"], out["app"], strict=True)
        if a["cpu_us_per_delivery"] and r["cpu_us_per_delivery"]
    ]
    for side in ("raw", "app"):
        rounds = out[side]
        out[f"{side}_summary"] = {
            "delivered_pct": 100
            * sum(r["delivered"] for r in rounds)
            / max(1, sum(r["expected"] for r in rounds)),
            "cpu_us_per_delivery": median([r["cpu_us_per_delivery"] for r in rounds]),
            "last_socket_ms_p50": median([r["last_socket_ms_p50"] for r in rounds]),
            "last_socket_ms_p99": median([r["last_socket_ms_p99"] for r in rounds]),
            "valid": all(r["valid"] for r in rounds),
        }
    out["cpu_ratio_median"] = median(ratios)
    out["cpu_ratios"] = ratios
    return out


class RawPublisher:
    """The raw server's trigger: a task JSON in, the broadcast seq back."""

    def __init__(self, client: wsload.WsClient) -> None:
        self.client = client
        self.waiter: asyncio.Future | None = None
        client._text = self._reply  # the pub socket only ever receives seq acknowledgements

    def _reply(self, payload: bytes) -> None:
        if self.waiter is not None and not self.waiter.done():
            self.waiter.set_result(int(payload))

    async def publish(self, body: dict) -> int:
        self.waiter = asyncio.get_running_loop().create_future()
        self.client.send_frame(wsload.OP_TEXT, json.dumps(body).encode())
        return await asyncio.wait_for(self.waiter, 10)


def seed_board(n: int) -> seed.SeededBoard:
    return seed.board(members=VIEWERS, tasks=1, name=f"fan{n}")
