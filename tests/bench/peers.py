"""Peers of B1 (SPEC section 10): nginx + nchan (C pub/sub), Socket.IO 4 and the raw
`websockets` server beside this project's daphne, in the same run, on the same core (CPU 0,
one at a time), with the same clients (tests/bench/wsload.py, one framing per server).

Each server is fresh and holds N sockets on one channel (nchan: one channel id; Socket.IO:
one room; raw: every subscriber; the app: one board, B1's PATCH path). Rounds alternate the
servers as B1 does (`b1_fanout.run_round`), so drift of the shared machine hits all alike.
Per server: CPU per delivery (schedstat of every thread: nginx's one worker, node, python),
last-socket latency from publish to the last frame, and RSS per idle socket (the delta from
the first 20 sockets to all N after an idle pause, as B2 measures it).
"""

from __future__ import annotations

import asyncio
import json
import time
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path

from tests.support.ports import free_port, port_answers
from tests.support.servers import nginx_server
from tests.system.nginx import render

from . import b1_fanout, procs, wsload
from .httpload import HttpConn
from .stats import median

HERE = Path(__file__).resolve().parent / "peers"
# Where Debian's libnginx-mod-nchan puts the module (scripts/bench-up.sh checks it).
NCHAN_MODULE = Path("/usr/lib/nginx/modules/ngx_nchan_module.so")
WARM = 20  # sockets open before the RSS baseline: the first connections' one-off allocations
ORDER = ("nchan", "raw", "socketio", "app")
LABELS = {"nchan": "nginx + nchan", "raw": "raw websockets", "socketio": "Socket.IO 4",
          "app": "this project"}  # fmt: skip
# SPEC 10 at N=1000: the app's CPU per delivery at most this × the peer's; p99; idle RSS.
TARGETS = {"socketio": 2.0, "raw": 3.0}
P99_MS, KIB_PER_SOCKET = 50.0, 35.0


class Counted:
    """The process whose CPU and RSS are the server's (nginx: its worker, not the master)."""

    def __init__(self, pid: int, exited_threads: bool = False) -> None:
        self.pid = pid
        self.exited_threads = exited_threads

    def cpu_s(self) -> float:
        # daphne runs each REST request's sync code on a thread that ends with it: schedstat
        # sums live threads only and would leave the PATCH out; /proc/<pid>/stat counts it
        # (10 ms ticks: ±3% over a round of 20,000 deliveries).
        if self.exited_threads:
            return procs.cpu_ticks_s(self.pid)
        return procs.cpu_ns(self.pid) / 1e9


@dataclass
class Peer:
    name: str
    proc: procs.Proc  # what was started, and is stopped by its PID
    counted: Counted
    port: int
    paths: list[str]
    protocol: type[wsload.WsClient] = wsload.WsClient
    hello: bool = False
    pings: bool = False  # the app's protocol wants a client `ping` (B1 sends raw the same)
    arrivals: wsload.Arrivals = field(default_factory=wsload.Arrivals)
    clients: list[wsload.WsClient] = field(default_factory=list)
    publish: Callable[[int], Awaitable[int]] | None = None
    closers: list[Callable[[], None]] = field(default_factory=list)


def event_frame(seq: int, body: dict) -> bytes:
    """The frame raw_server.py and socketio_server.mjs build, for nchan to relay as it is."""
    frame = {"type": "event", "seq": seq, "name": "task.updated", "data": body, "actor": None,
             "client_op_id": None, "at": datetime.now(UTC).isoformat()}  # fmt: skip
    return json.dumps(frame, separators=(",", ":")).encode()


# --- the servers ---------------------------------------------------------------------------


def start_nchan(log_dir: Path) -> tuple[procs.Proc, int, int]:
    """nginx with one worker on a rendered nchan.conf; returns (master, port, worker pid)."""
    if not NCHAN_MODULE.exists():
        raise RuntimeError(f"no {NCHAN_MODULE}: `make bench` installs it (scripts/bench-up.sh)")
    root, port = log_dir / "nchan", free_port()
    root.mkdir()
    conf = root / "nginx.conf"
    values = {"ROOT": str(root), "MODULE": str(NCHAN_MODULE), "PORT": str(port)}
    conf.write_text(render((HERE / "nchan.conf").read_text(), values))
    checked = nginx_server(root, conf, log_dir / "nchan.log", {}, root)  # `nginx -t` first
    proc = procs.Proc("nchan", checked.argv, {}, log_dir, procs.SERVER_CPU)
    proc.wait_until(lambda: port_answers(port))
    children = Path(f"/proc/{proc.pid}/task/{proc.pid}/children")
    proc.wait_until(lambda: bool(children.read_text().split()))
    return proc, port, int(children.read_text().split()[0])


def start_socketio(log_dir: Path) -> tuple[procs.Proc, int]:
    port = free_port()
    argv = ["node", str(HERE / "socketio_server.mjs"), str(port)]
    proc = procs.Proc("socketio", argv, {}, log_dir, procs.SERVER_CPU)
    proc.wait_until(lambda: port_answers(port))
    return proc, port


def start_all(ctx, n: int, board) -> dict[str, Peer]:
    """Every server, fresh; one that fails to start stops the ones before it."""
    log_dir, peers = ctx.harness.log_dir, {}
    try:
        proc, port, worker = start_nchan(log_dir)
        peers["nchan"] = Peer("nchan", proc, Counted(worker), port, ["/sub"] * n)
        proc, port = procs.start_raw(log_dir, name="raw-peers")
        peers["raw"] = Peer("raw", proc, Counted(proc.pid), port, ["/sub"] * n, pings=True)
        proc, port = start_socketio(log_dir)
        paths = [wsload.SocketIoClient.PATH] * n
        peers["socketio"] = Peer("socketio", proc, Counted(proc.pid), port, paths,
                                 wsload.SocketIoClient, hello=True)  # fmt: skip
        proc, port = procs.start_daphne(ctx.harness.env(**ctx.app_env), log_dir, "daphne-peers")
        paths = [f"/ws/boards/{board.board_id}/?token={board.tokens[i % b1_fanout.VIEWERS]}"
                 for i in range(n)]  # fmt: skip
        peers["app"] = Peer("app", proc, Counted(proc.pid, exited_threads=True), port, paths,
                            hello=True, pings=True)  # fmt: skip
    except BaseException:
        stop_all(peers)
        raise
    return peers


def stop_all(peers: dict[str, Peer]) -> None:
    for peer in peers.values():
        peer.proc.stop()


# --- publishers: a task's JSON in, the seq the sockets will see back ------------------------


async def connect_publishers(peers: dict[str, Peer], board) -> None:
    (ws,) = await wsload.open_many(peers["raw"].port, ["/pub"])
    raw = b1_fanout.RawPublisher(ws)
    peers["raw"].publish = lambda i: raw.publish(b1_fanout.task_body(i))
    peers["raw"].closers.append(ws.close)

    sio = HttpConn(peers["socketio"].port)

    async def sio_publish(i: int) -> int:
        status, payload = await sio.request("POST", "/publish", b1_fanout.task_body(i))
        if status != 200:
            raise RuntimeError(f"socket.io /publish answered {status}")
        return int(payload)

    peers["socketio"].publish, peers["socketio"].closers = sio_publish, [sio.close]

    # nchan relays what it is given: the generator numbers and builds the frame, and sends it
    # on a publisher WebSocket (HttpConn's body is always its own json.dumps). nchan answers
    # each message with the channel's state, awaited as the other publishers' replies are.
    (pub,) = await wsload.open_many(peers["nchan"].port, ["/pub"])
    loop, nchan_seq = asyncio.get_running_loop(), 0
    acked: asyncio.Future = loop.create_future()

    def on_ack(payload: bytes) -> None:
        if not acked.done():
            acked.set_result(payload)

    pub._text = on_ack  # type: ignore[method-assign]  # the publisher only ever gets acks

    async def nchan_publish(i: int) -> int:
        nonlocal nchan_seq, acked
        nchan_seq += 1
        acked = loop.create_future()
        pub.send_frame(wsload.OP_TEXT, event_frame(nchan_seq, b1_fanout.task_body(i)))
        await asyncio.wait_for(acked, 10)
        return nchan_seq

    peers["nchan"].publish, peers["nchan"].closers = nchan_publish, [pub.close]

    writer = HttpConn(peers["app"].port, board.writer_token)
    task_path = f"/api/tasks/{board.task_ids[0]}/"
    head = peers["app"].clients[0].last_seq

    async def app_publish(i: int) -> int:
        nonlocal head
        status, _ = await writer.request("PATCH", task_path, b1_fanout.task_body(i))
        if status != 200:
            raise RuntimeError(f"PATCH answered {status}")
        head += 1
        return head

    peers["app"].publish, peers["app"].closers = app_publish, [writer.close]


# --- the scenario --------------------------------------------------------------------------


async def connect(peer: Peer, into: list[wsload.WsClient]) -> dict:
    """The first WARM sockets, the RSS baseline, then the rest (B2's way, at N)."""
    kwargs = {"arrivals": peer.arrivals, "wait_hello": peer.hello, "protocol": peer.protocol}
    warm = min(WARM, len(peer.paths) // 2)  # the smoke's 20 sockets: 10 and 10
    await wsload.open_many(peer.port, peer.paths[:warm], into=peer.clients, **kwargs)
    await asyncio.sleep(0.5)
    rss0, t0 = procs.rss_kib(peer.counted.pid), time.monotonic()
    await wsload.open_many(peer.port, peer.paths[warm:], into=peer.clients, **kwargs)
    into.extend(peer.clients if peer.pings else [])
    return {"rss_before_kib": rss0, "measured_sockets": len(peer.paths) - warm,
            "connect_s": time.monotonic() - t0}  # fmt: skip


async def run(ctx, n: int = 1000, rounds: int = 3, count: int = 20, interval: float = 0.2,
              settle: float = 5.0) -> dict:  # fmt: skip
    board = await asyncio.to_thread(b1_fanout.seed_board, n)
    peers = await asyncio.to_thread(start_all, ctx, n, board)
    stop = asyncio.Event()
    pinged: list[wsload.WsClient] = []
    pinger = asyncio.create_task(wsload.keepalive(pinged, 20, stop))
    out: dict = {"n": n, "rounds": rounds, "count": count, "servers": {}}
    try:
        memory = {name: await connect(peers[name], pinged) for name in ORDER}
        await asyncio.sleep(settle)  # idle: heartbeats and pings only, presence drained
        for name, mem in memory.items():
            mem["rss_after_kib"] = procs.rss_kib(peers[name].counted.pid)
            grown = mem["rss_after_kib"] - mem["rss_before_kib"]
            mem["kib_per_socket"] = grown / mem["measured_sockets"]
        await connect_publishers(peers, board)
        per_round: dict[str, list[dict]] = {name: [] for name in ORDER}
        for _ in range(rounds):
            for name in ORDER:
                peer = peers[name]
                per_round[name].append(
                    await b1_fanout.run_round(
                        peer.publish, peer.clients, peer.arrivals, peer.counted, count, interval
                    )  # fmt: skip
                )
        for name in ORDER:
            out["servers"][name] = summary(peers[name], per_round[name], memory[name])
    finally:
        stop.set()
        await pinger
        for peer in peers.values():
            wsload.close_all(peer.clients)
            for close in peer.closers:
                close()
        await asyncio.sleep(0.5)
        stop_all(peers)
    out["ratios"] = ratios(out["servers"])
    return out


def summary(peer: Peer, rounds: list[dict], memory: dict) -> dict:
    expected = sum(r["expected"] for r in rounds)
    return {
        "delivered_pct": 100 * sum(r["delivered"] for r in rounds) / max(1, expected),
        "cpu_us_per_delivery": median([r["cpu_us_per_delivery"] for r in rounds]),
        "last_socket_ms_p50": median([r["last_socket_ms_p50"] for r in rounds]),
        "last_socket_ms_p99": median([r["last_socket_ms_p99"] for r in rounds]),
        "valid": all(r["valid"] for r in rounds),
        "disorder": sum(c.disorder for c in peer.clients),
        "open_at_end": sum(c.is_open for c in peer.clients),
        **memory,
        "rounds": rounds,
    }


def ratios(servers: dict[str, dict]) -> dict[str, float | None]:
    """The app's CPU per delivery over each peer's: the median of the per-round ratios (the
    rounds were side by side, so each pair saw the same state of the machine)."""
    app = [r["cpu_us_per_delivery"] for r in servers["app"]["rounds"]]
    out: dict[str, float | None] = {}
    for name in ORDER[:-1]:
        peer = [r["cpu_us_per_delivery"] for r in servers[name]["rounds"]]
        out[name] = median([a / p for a, p in zip(app, peer, strict=True) if a and p])
    return out


def brief(res: dict) -> dict:
    """The result without its per-round detail, for the run's progress line."""
    keep = ("delivered_pct", "cpu_us_per_delivery", "last_socket_ms_p50", "last_socket_ms_p99",
            "kib_per_socket", "valid")  # fmt: skip
    servers = {name: {k: row[k] for k in keep} for name, row in res["servers"].items()}
    return {"n": res["n"], "servers": servers, "ratios": res["ratios"]}


def verdicts(res: dict) -> list[tuple[str, str, bool | None]]:
    """SPEC 10's peer targets (at N=1000; a smaller run, the smoke's, only shows delivery)."""
    servers = res["servers"]
    worst = min(row["delivered_pct"] for row in servers.values())
    out = [("Peers 100% delivered (every server)", f"{worst:.2f}%", worst >= 100.0)]
    if res["n"] != 1000:
        return out
    for name, bound in TARGETS.items():
        ratio = res["ratios"][name]
        shown = "—" if ratio is None else f"{ratio:.1f}×"
        out.append((f"Peers CPU/delivery ≤ {bound:g}× {LABELS[name]} (N=1000)", shown,
                    ratio is not None and ratio <= bound))  # fmt: skip
    app = servers["app"]
    p99 = app["last_socket_ms_p99"]
    out.append(("Peers N=1000 last-socket p99 ≤ 50 ms", f"{p99:.1f} ms", p99 <= P99_MS))
    kib = app["kib_per_socket"]
    out.append(("Peers ≤ 35 KiB per idle socket (N=1000)", f"{kib:.1f} KiB", kib <= KIB_PER_SOCKET))
    return out


def markdown(res: dict) -> list[str]:
    def f(value: float | None, digits: int = 1) -> str:
        return "—" if value is None else f"{value:.{digits}f}"

    lines = [
        "",
        f"Peers (SPEC 10): N={res['n']} sockets on one channel per server, {res['rounds']} "
        f"alternating rounds of {res['count']} changes, each server alone on CPU 0; medians "
        "(the app's CPU includes the PATCH):",
        "",
        "| server | delivered | µs/delivery | app ÷ it | last-socket p50 / p99 ms | "
        "KiB/idle socket | valid |",
        "|---|---|---|---|---|---|---|",
    ]
    for name, row in res["servers"].items():
        ratio = "—" if name == "app" else f"{f(res['ratios'][name])}×"
        lines.append(
            f"| {LABELS[name]} | {row['delivered_pct']:.1f}% | {f(row['cpu_us_per_delivery'])} | "
            f"{ratio} | {f(row['last_socket_ms_p50'])} / {f(row['last_socket_ms_p99'])} | "
            f"{f(row['kib_per_socket'])} | {'yes' if row['valid'] else 'no (generator busy)'} |"
        )
    return lines
