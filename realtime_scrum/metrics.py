"""Every Prometheus metric of this process, in one registry of its own (SPEC section 14).

Per process on purpose: each daphne is scraped on its own /metrics (no multiprocess mode,
no files shared between processes). Counters are bumped where the thing happens, once; the
hot ones (deliveries) are plain unlabelled counters, and labelled children are bound here
ahead of time so no caller looks a label up per frame. docs/deploy.md lists them all.
"""

from __future__ import annotations

import logging
import time
from collections.abc import Iterator

from prometheus_client import (
    CollectorRegistry,
    Counter,
    Gauge,
    Histogram,
    PlatformCollector,
    ProcessCollector,
)
from prometheus_client.core import CounterMetricFamily, GaugeMetricFamily
from prometheus_client.registry import Collector

log = logging.getLogger(__name__)

REGISTRY = CollectorRegistry(auto_describe=True)
ProcessCollector(registry=REGISTRY)
PlatformCollector(registry=REGISTRY)

SOCKETS_OPEN = Gauge("rs_sockets_open", "WebSockets open in this process.", registry=REGISTRY)
SOCKET_CONNECTS = Counter(
    "rs_socket_connects", "WebSockets accepted (refused ones included).", registry=REGISTRY
)
SOCKET_CLOSES = Counter(
    "rs_socket_closes",
    "WebSockets closed, by close code: the server's when it closed them, else the client's.",
    ["code"],
    registry=REGISTRY,
)
EVENTS_BROADCAST = Counter(
    "rs_events_broadcast", "Committed board events sent to the channel layer.", registry=REGISTRY
)
DELIVERIES = Counter(
    "rs_event_deliveries", "Event frames handed to sockets of this process.", registry=REGISTRY
)
GAP_REPAIRS = Counter(
    "rs_gap_repairs",
    "Holes in a board stream filled from the event log (lost or late layer messages).",
    registry=REGISTRY,
)
RESYNCS = Counter(
    "rs_resyncs", "`resync_required` frames sent (the log could not replay).", registry=REGISTRY
)
SLOW_READER_CLOSES = Counter(
    "rs_slow_reader_closes",
    "Sockets closed with 4409: unread output past WS_SEND_BUFFER_BYTES.",
    registry=REGISTRY,
)
REST_LATENCY = Histogram(
    "rs_http_request_duration_seconds",
    "Django request latency by method and resolved URL route pattern (never the raw path).",
    ["method", "route"],
    buckets=(0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5, 5.0, 10.0),
    registry=REGISTRY,
)
DIGEST_OUTCOMES = Counter(
    "rs_digest_outcomes", "Due-today digests by outcome (sent, failed).", ["outcome"],
    registry=REGISTRY,
)  # fmt: skip
WEBHOOK_OUTCOMES = Counter(
    "rs_webhook_deliveries", "Webhook delivery attempts by outcome (ok, failed, refused).",
    ["outcome"], registry=REGISTRY,
)  # fmt: skip

# The codes this server sends or a client normally does; any other is "other", so a client
# choosing codes at will cannot grow the label set.
KNOWN_CLOSE_CODES = (
    1000, 1001, 1005, 1006, 1011, 4400, 4401, 4403, 4408, 4409, 4413, 4429, 4503,
)  # fmt: skip
_closes = {code: SOCKET_CLOSES.labels(code=str(code)) for code in KNOWN_CLOSE_CODES}
_closes_other = SOCKET_CLOSES.labels(code="other")
DIGEST_SENT = DIGEST_OUTCOMES.labels(outcome="sent")
DIGEST_FAILED = DIGEST_OUTCOMES.labels(outcome="failed")
WEBHOOK_BY_OUTCOME = {o: WEBHOOK_OUTCOMES.labels(outcome=o) for o in ("ok", "failed", "refused")}


def socket_closed(code: int | None) -> None:
    _closes.get(code or 1005, _closes_other).inc()


def webhook_delivered(*, ok: bool, refused: bool) -> None:
    """refused: the target was not sent to (its address is private or unresolvable)."""
    WEBHOOK_BY_OUTCOME["ok" if ok else "refused" if refused else "failed"].inc()


# --- degraded layer: seconds that keep moving while the layer is away ----------------------

_degraded_past = 0.0


def layer_degraded_ended(seconds: float) -> None:
    """A hub's degraded period ended (realtime_scrum/sockets/hub.py)."""
    global _degraded_past
    _degraded_past += seconds


class _ComputedAtScrape(Collector):
    """Values read when scraped: the degraded period still running, Huey's queue depth."""

    def collect(self) -> Iterator[CounterMetricFamily | GaugeMetricFamily]:
        from realtime_scrum.sockets.hub import degraded_since_all

        now = time.monotonic()
        running = sum(now - since for since in degraded_since_all())
        yield CounterMetricFamily(
            "rs_layer_degraded_seconds",
            "Seconds this process's sockets were fed from the event log with the channel "
            "layer away (degraded mode; /readyz says realtime: degraded meanwhile).",
            value=_degraded_past + running,
        )
        depth = huey_pending()
        if depth is not None:
            yield GaugeMetricFamily(
                "rs_huey_queue_depth", "Tasks waiting in the Huey queue.", value=depth
            )

    def describe(self) -> list:
        return []  # computed names: registered without a description check


def huey_pending() -> int | None:
    """The queue's length, or None while its storage (Redis) does not answer: a scrape
    must not fail with it."""
    try:
        from huey.contrib.djhuey import HUEY

        return int(HUEY.pending_count())
    except Exception as exc:
        log.debug("huey queue depth unavailable: %s", exc)
        return None


REGISTRY.register(_ComputedAtScrape())
