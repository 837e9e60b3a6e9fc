"""Each daphne's own /metrics, scraped on the daphne with METRICS_TOKEN as Prometheus does
(deploy/prometheus/prometheus.yml): its counters move as a socket on it connects, gets an
event and closes. Through nginx, /metrics is refused, token or not."""

from __future__ import annotations

import time

from prometheus_client.parser import text_string_to_metric_families

from tests.support.http import HttpClient

from .sockets import head
from .wsclient import BoardSocket


def daphne_url(stack, index: int) -> str:
    return f"http://127.0.0.1:{stack.daphne_ports[index]}"


def scrape(stack, index: int) -> dict[tuple[str, tuple], float]:
    """(sample name, sorted labels) -> value, from daphne `index` itself."""
    resp = HttpClient(daphne_url(stack, index), stack.env["METRICS_TOKEN"]).get("/metrics")
    assert resp.status == 200, resp.body[:300]
    return {
        (s.name, tuple(sorted(s.labels.items()))): s.value
        for family in text_string_to_metric_families(resp.body.decode())
        for s in family.samples
    }


def total(samples: dict, name: str) -> float:
    return sum(v for (n, _), v in samples.items() if n == name)


def wait_for(stack, index: int, name: str, at_least: float, timeout: float = 10) -> float:
    deadline = time.monotonic() + timeout
    while True:
        value = total(scrape(stack, index), name)
        if value >= at_least or time.monotonic() > deadline:
            return value
        time.sleep(0.1)


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
