"""B9: webhooks. 1,000 events to 5 webhook receivers: each gets all 1,000, in seq order, and
one drain worker keeps >= 200 deliveries/s; then a receiver down for 2 minutes catches up.

Runs in the generator process on the bench's MariaDB, like B7 and B8. The events are real
(task_create through the services) with the webhooks switched off while they are written
(no Huey job per commit); then one worker drains the five webhooks one after the other, as
one Huey worker would, against five threaded keep-alive receivers on 127.0.0.1 in this
process (their CPU shares this process's, so the rate is a floor). The 2-minute outage is
played on an injected clock, not waited for: 200 more events, receiver 0 refusing
connections, drains at each retry time the backoff gives (30 s, then 60 s later), the
receiver back at +120 s, and the next retry (+210 s) catching up."""

from __future__ import annotations

import datetime as dt
import json
import time

TARGET_RATE = 200  # deliveries per second per worker


class Clock:
    """The drain's clock for the outage: moved by hand."""

    def __init__(self, now: dt.datetime) -> None:
        self.now = now

    def __call__(self) -> dt.datetime:
        return self.now


def _seqs(receiver) -> list[int]:
    return [json.loads(r.body)["seq"] for r in receiver.requests]


def _write(board_id: int, actor, count: int, prefix: str) -> list[int]:
    from board import services
    from board.models import Board

    for n in range(count):
        services.task_create(actor=actor, board_id=board_id, name=f"{prefix} {n}")
    last = Board.objects.get(pk=board_id).last_seq
    return list(range(last - count + 1, last + 1))


def run(events: int = 1000, receivers: int = 5, outage_events: int = 200) -> dict:
    from django.conf import settings
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from board import services as board_services
    from board.services import Actor
    from tests.support.webhook_receiver import Receiver
    from webhooks import drain, services
    from webhooks.models import Delivery, Webhook

    from . import seed as bench_seed

    settings.WEBHOOK_ALLOW_PRIVATE = True  # the receivers are on loopback
    (owner,) = bench_seed.users(1, "b9")
    actor = Actor(owner)
    board = board_services.board_create(actor=actor, name="B9")
    sinks = [Receiver().start() for _ in range(receivers)]
    try:
        hooks = [
            services.webhook_create(
                user=owner, board_id=board.pk, url=sink.url, events=[], active=False
            )
            for sink in sinks
        ]
        started = time.perf_counter()
        written = _write(board.pk, actor, events, "b9")
        seed_s = time.perf_counter() - started
        Webhook.objects.filter(pk__in=[h.pk for h in hooks]).update(active=True)

        started = time.perf_counter()
        cpu = time.process_time()
        with CaptureQueriesContext(connection) as queries:
            delivered = sum(drain.drain(hook.pk).delivered for hook in hooks)
        drain_s = time.perf_counter() - started
        cpu_s = time.process_time() - cpu
        in_order = [_seqs(sink) == written for sink in sinks]

        # --- a receiver down for 2 minutes -------------------------------------------------
        down = sinks[0]
        down.stop()
        Webhook.objects.filter(pk__in=[h.pk for h in hooks]).update(active=False)
        more = _write(board.pk, actor, outage_events, "b9 outage")
        Webhook.objects.filter(pk__in=[h.pk for h in hooks]).update(active=True)
        clock = Clock(dt.datetime.now(dt.UTC))
        t0 = clock.now
        timeline = []
        for offset in (0, 30, 90):  # the first failure, then each retry as it comes due
            clock.now = t0 + dt.timedelta(seconds=offset)
            for hook in hooks:
                drain.drain(hook.pk, clock=clock)
            timeline.append((offset, Webhook.objects.get(pk=hooks[0].pk).attempts))
        back_at = t0 + dt.timedelta(minutes=2)
        revived = Receiver(port=down.port).start()
        sinks[0] = revived
        retry_at = Webhook.objects.get(pk=hooks[0].pk).retry_at
        clock.now = max(retry_at, back_at)
        started = time.perf_counter()
        caught_up = drain.drain(hooks[0].pk, clock=clock).delivered
        catch_up_s = time.perf_counter() - started
        others_complete = all(_seqs(sink) == written + more for sink in sinks[1:])
        revived_ok = _seqs(revived) == more
        failures = Delivery.objects.filter(webhook=hooks[0], status_code__isnull=True).count()
    finally:
        for sink in sinks:
            sink.stop()
        drain.SENDER.close()
    rate = delivered / drain_s
    return {
        "events": events,
        "receivers": receivers,
        "deliveries": delivered,
        "drain_s": round(drain_s, 3),
        "deliveries_per_s": round(rate, 1),
        "cpu_ms_per_delivery": round(1000 * cpu_s / max(delivered, 1), 3),
        "sql_per_delivery": round(len(queries) / max(delivered, 1), 3),
        "all_in_order": all(in_order),
        "seed_s": round(seed_s, 1),
        "outage": {
            "events": outage_events,
            "failed_attempts": failures,
            "attempts_timeline": timeline,
            "retried_at_s": (clock.now - t0).total_seconds(),
            "caught_up": caught_up,
            "catch_up_s": round(catch_up_s, 3),
            "down_receiver_complete_in_order": revived_ok,
            "others_complete_in_order": others_complete,
        },
        "target_rate": TARGET_RATE,
    }


def verdicts(b9: dict) -> list[tuple[str, str, bool | None]]:
    """report.py's rows for B9."""
    out = b9["outage"]
    return [
        (f"B9 ≥ {TARGET_RATE} deliveries/s per worker ({b9['receivers']} receivers)",
         f"{b9['deliveries_per_s']:.0f}/s", b9["deliveries_per_s"] >= TARGET_RATE),
        (f"B9 every receiver all {b9['events']:,} in seq order", str(b9["all_in_order"]),
         b9["all_in_order"]),
        ("B9 receiver down 2 min catches up", f"{out['caught_up']} events at "
         f"+{out['retried_at_s']:.0f} s in {out['catch_up_s']:.2f} s",
         out["down_receiver_complete_in_order"] and out["others_complete_in_order"]),
    ]  # fmt: skip
