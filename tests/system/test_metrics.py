"""Each daphne's own /metrics, scraped on the daphne with METRICS_TOKEN as Prometheus does
(deploy/prometheus/prometheus.yml): its counters move as a socket on it connects, gets an
event and closes, and as a reader that never reads is closed 4409. Through nginx, /metrics
is refused, token or not."""

from __future__ import annotations

import time

from prometheus_client.parser import text_string_to_metric_families

from tests.faults.client import RawSlowSocket
from tests.support.http import HttpClient
from tests.support.servers import Daphne

from .sockets import head
from .wsclient import BoardSocket

# The slow-reader case's own daphne: a small send buffer, so closing a reader that never
# reads takes a few hundred KB past what the kernel holds instead of the default 1 MiB x 4.
SLOW_BUFFER_BYTES = 65536
# Each PATCH adds an event this big to the unread stream (the API allows 20,000).
DESCRIPTION = 19_500
# The kernel's socket buffers take the first MBs (~2 MB in tests/faults/test_slow_reader.py):
# at 20 KB an event, 600 writes are well past them and the bound.
MAX_WRITES = 600


def daphne_url(stack, index: int) -> str:
    return f"http://127.0.0.1:{stack.daphne_ports[index]}"


def scrape(stack, index: int) -> dict[tuple[str, tuple], float]:
    """(sample name, sorted labels) -> value, from daphne `index` itself."""
    return scrape_at(daphne_url(stack, index), stack.env["METRICS_TOKEN"])


def scrape_at(base_url: str, token: str) -> dict[tuple[str, tuple], float]:
    resp = HttpClient(base_url, token).get("/metrics")
    assert resp.status == 200, resp.body[:300]
    return {
        (s.name, tuple(sorted(s.labels.items()))): s.value
        for family in text_string_to_metric_families(resp.body.decode())
        for s in family.samples
    }


def total(samples: dict, name: str) -> float:
    return sum(v for (n, _), v in samples.items() if n == name)


def wait_for(stack, index: int, name: str, at_least: float, timeout: float = 10) -> float:
    return wait_at(daphne_url(stack, index), stack.env["METRICS_TOKEN"], name, at_least, timeout)


def test_metrics_on_a_daphne_need_its_token(stack):
    direct = HttpClient(daphne_url(stack, 0))
    assert direct.get("/metrics").status == 401
    assert direct.get("/metrics", Authorization="Bearer wrong").status == 403
    assert total(scrape(stack, 1), "rs_socket_connects_total") >= 0


def test_metrics_through_nginx_are_refused_even_with_the_token(stack):
    public = HttpClient(stack.base_url, stack.env["METRICS_TOKEN"])
    for path in ("/metrics", "/metrics/", "/metrics?format=text"):
        resp = public.get(path)
        assert resp.status == 404, (path, resp.status)
        assert b"rs_" not in resp.body


async def test_a_socket_on_one_daphne_moves_that_daphnes_counters(stack, users, alice, board, task):
    board_id = board["id"]
    before, before_other = scrape(stack, 0), scrape(stack, 1)
    sock = BoardSocket(f"ws://127.0.0.1:{stack.daphne_ports[0]}", board_id, users["bob"]["access"])
    await sock.open()
    try:
        after_open = scrape(stack, 0)
        connects = "rs_socket_connects_total"
        assert total(after_open, connects) >= total(before, connects) + 1
        assert total(after_open, "rs_sockets_open") >= 1

        resp = alice.patch(f"/api/tasks/{task['id']}/", {"name": "measured"})
        assert resp.status == 200
        headers = {name.lower(): value for name, value in resp.headers.items()}
        assert headers.get("x-request-id")  # through nginx, from whichever daphne
        await sock.wait_for_seq(head(alice, board_id), timeout=10)
        delivered = "rs_event_deliveries_total"
        assert total(scrape(stack, 0), delivered) >= total(before, delivered) + 1
        broadcast = "rs_events_broadcast_total"
        # Committed on whichever daphne nginx sent the PATCH to.
        was = total(before, broadcast) + total(before_other, broadcast)
        assert total(scrape(stack, 0), broadcast) + total(scrape(stack, 1), broadcast) >= was + 1
    finally:
        await sock.close()
    closes = "rs_socket_closes_total"
    wanted = total(before, closes) + 1
    assert wait_for(stack, 0, closes, wanted) >= wanted


def test_a_reader_that_never_reads_moves_the_slow_reader_counter(stack, users, alice, board, task):
    """A daphne of this test only (the stack's keep the default buffer for the other tests),
    on the stack's Redis and database: the PATCHes go through nginx to the stack's daphnes
    and reach it over the channel layer, as they reach any process."""
    daphne = Daphne(
        stack.tmp / "daphne-slow.log",
        {**stack.env, "WS_SEND_BUFFER_BYTES": str(SLOW_BUFFER_BYTES)},
        name="daphne-slow",
    )
    token = stack.env["METRICS_TOKEN"]
    slow_closes = "rs_slow_reader_closes_total"
    slow: RawSlowSocket | None = None
    try:
        daphne.start().wait_ready(timeout=60, path="/readyz")
        before = scrape_at(daphne.base, token)
        slow = RawSlowSocket(daphne.port, board["id"], users["bob"]["access"])
        after_open = wait_at(daphne.base, token, "rs_socket_connects_total",
                             total(before, "rs_socket_connects_total") + 1)  # fmt: skip
        assert after_open >= total(before, "rs_socket_connects_total") + 1
        assert total(before, slow_closes) == 0

        filler = ("0123456789abcdef" * (DESCRIPTION // 16 + 1))[:DESCRIPTION]
        writes, moved = 0, 0.0
        deadline = time.monotonic() + 120
        while writes < MAX_WRITES and time.monotonic() < deadline:
            resp = alice.patch(f"/api/tasks/{task['id']}/", {"description": f"{writes} {filler}"})
            assert resp.status == 200, resp.body[:300]
            writes += 1
            if writes % 5 == 0:
                moved = total(scrape_at(daphne.base, token), slow_closes)
                if moved >= 1:
                    break
        # Past the bound the server gives the socket SLOW_CHECK_S (2 s) to take anything.
        moved = moved or wait_at(daphne.base, token, slow_closes, 1, timeout=15)
        assert moved == 1, f"{slow_closes} is {moved} after {writes} writes of ~20 KB"
        drained = slow.drain(time.monotonic() + 15)
        assert drained["close_code"] == 4409, drained
        after = scrape_at(daphne.base, token)
        deliveries = "rs_event_deliveries_total"
        # Every event was handed to the socket (held or dropped past the bound, not skipped).
        assert total(after, deliveries) >= total(before, deliveries) + 1
        closes = "rs_socket_closes_total"
        assert wait_at(daphne.base, token, closes, total(before, closes) + 1) >= (
            total(before, closes) + 1
        )
    finally:
        if slow is not None:
            slow.close()
        daphne.stop()


def wait_at(base_url: str, token: str, name: str, at_least: float, timeout: float = 10) -> float:
    deadline = time.monotonic() + timeout
    while True:
        value = total(scrape_at(base_url, token), name)
        if value >= at_least or time.monotonic() > deadline:
            return value
        time.sleep(0.1)
