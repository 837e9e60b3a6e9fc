"""The drain: a webhook's events after its cursor, delivered strictly in seq order.

One drain per webhook at a time (webhooks/lease.py). An event the filter does not want
moves the cursor without a request; a 2xx moves it past the event; anything else leaves
it where it is, records the attempt and sets `retry_at` (30 s doubling up to 1 h). After
24 h of failing since the first failure of the streak the webhook is disabled and its
board's owners are told. Events are read in batches; the cursor and the lease are written
together, at most every CHECKPOINT while deliveries succeed; the delivery log is written
once per batch and pruned."""

from __future__ import annotations

import datetime as dt
import fnmatch
import logging
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass

from django.db import IntegrityError, transaction
from django.db.models import F, Q
from django.utils import timezone

from board.models import Board, BoardEvent
from realtime_scrum import metrics

from . import lease, signing, targets
from .models import Delivery, Trigger, Webhook
from .notify import webhook_disabled_notify
from .transport import SENDER, Outcome, Sender

log = logging.getLogger(__name__)

BATCH = 200
RETRY_FIRST = dt.timedelta(seconds=30)
RETRY_MAX = dt.timedelta(hours=1)
GIVE_UP = dt.timedelta(hours=24)
DELIVERIES_KEPT = 1000
# How often a drain writes its cursor while deliveries succeed. A worker that dies re-sends
# at most this long's worth of events (with the same webhook-id: delivery is at least once);
# one UPDATE per delivery instead, each a commit, cost B9 a third of its rate. Far shorter
# than lease.LEASE, so a live drain never loses its lease to a second worker.
CHECKPOINT = 0.25
Clock = Callable[[], dt.datetime]


def backoff(attempts: int) -> dt.timedelta:
    """The wait after the `attempts`-th failure in a row: 30 s, 60 s, 120 s ... at most 1 h."""
    return min(RETRY_FIRST * 2 ** min(max(attempts - 1, 0), 20), RETRY_MAX)


def wanted(patterns: Sequence[str], name: str) -> bool:
    """Whether a webhook filtering on `patterns` (names or globs; none = all) wants `name`."""
    return not patterns or any(fnmatch.fnmatchcase(name, p) for p in patterns)


@dataclass
class DrainReport:
    leased: bool = False
    delivered: int = 0
    skipped: int = 0
    failed: int = 0
    disabled: bool = False


def drain(webhook_id: int, *, sender: Sender = SENDER, clock: Clock = timezone.now) -> DrainReport:
    """Deliver what is due for one webhook; a no-op when another drain holds it."""
    report = DrainReport()
    while True:
        token = lease.acquire(webhook_id, now=clock())
        if token is None:
            return report
        report.leased = True
        try:
            stopped = _drain_leased(webhook_id, token, sender, clock, report)
        finally:
            lease.release(webhook_id, token)
        # An event that committed while this drain held the lease found it taken: look once
        # more after letting go, so it does not wait for the periodic sweep.
        if stopped or not _behind(webhook_id):
            return report


def _behind(webhook_id: int) -> bool:
    return Webhook.objects.filter(
        pk=webhook_id, active=True, retry_at__isnull=True, cursor__lt=F("board__last_seq")
    ).exists()


def due_ids(*, now: dt.datetime) -> list[int]:
    """Active webhooks with a retry due or events after their cursor, lease free (the sweep)."""
    return list(
        Webhook.objects.filter(active=True)
        .filter(Q(lease_until__isnull=True) | Q(lease_until__lt=now))
        .filter(Q(retry_at__lte=now) | Q(retry_at__isnull=True, cursor__lt=F("board__last_seq")))
        .values_list("pk", flat=True)
    )


def _drain_leased(
    webhook_id: int, token: str, sender: Sender, clock: Clock, report: DrainReport
) -> bool:
    """Deliver until caught up (False) or stopped by a failure or a lost lease (True)."""
    hook = Webhook.objects.get(pk=webhook_id)
    kept_from = (
        Board.objects.filter(pk=hook.board_id).values_list("history_from", flat=True).first() or 0
    )
    cursor = hook.cursor
    if cursor < kept_from:
        # Retention pruned events this webhook never got: they cannot be sent any more.
        log.warning("webhook %s: events up to %s were pruned unsent", hook.pk, kept_from)
        cursor = kept_from
    signer = signing.Signer(hook.secret)
    written, last_write, last_ok = hook.cursor, time.monotonic(), None
    deliveries: list[Delivery] = []
    try:
        target: targets.Target | None = targets.parse(hook.url)
        refused = ""
    except targets.TargetRefused as exc:
        target, refused = None, str(exc)
    while True:
        events = list(
            BoardEvent.objects.filter(board_id=hook.board_id, seq__gt=cursor)
            .select_related("actor")
            .order_by("seq")[:BATCH]
        )
        address = None
        for event in events:
            if not wanted(hook.events, event.name):
                cursor, report.skipped = event.seq, report.skipped + 1
                continue
            outcome, address = _deliver(
                hook, event, signer, sender, target, address, refused, clock
            )
            now = clock()
            deliveries.append(_row(hook, event, outcome, hook.attempts + 1, now))
            metrics.webhook_delivered(ok=outcome.ok, refused=address is None)
            if not outcome.ok:
                report.failed += 1
                _flush(hook.pk, deliveries)
                report.disabled = _failed(hook, token, cursor, outcome, now)
                return True
            cursor, report.delivered, last_ok = event.seq, report.delivered + 1, (outcome, now)
            # The first success after failures ends the streak at once; otherwise the cursor
            # is written every CHECKPOINT, which also renews the lease and notices its loss.
            if hook.attempts or time.monotonic() - last_write >= CHECKPOINT:
                if not _checkpoint(hook, token, cursor, last_ok, now):
                    _flush(hook.pk, deliveries)
                    return True
                written, last_write = cursor, time.monotonic()
                hook.attempts, hook.failing_since = 0, None
        _flush(hook.pk, deliveries)
        if len(events) < BATCH:
            break
    if cursor != written:
        _checkpoint(hook, token, cursor, last_ok, clock())
    return False


def _deliver(
    hook: Webhook,
    event: BoardEvent,
    signer: signing.Signer,
    sender: Sender,
    target: targets.Target | None,
    address: str | None,
    refused: str,
    clock: Clock,
) -> tuple[Outcome, str | None]:
    """(the outcome, the checked address): the host is resolved and checked once per batch
    of events (address None), then every request of the batch connects to that address."""
    if target is None:
        return Outcome(None, refused, 0), None
    if address is None:
        try:
            address = targets.checked_address(target)
        except targets.TargetRefused as exc:
            return Outcome(None, str(exc), 0), None
    body, headers = signer.signed(
        signing.event_payload(event), msg_id=signing.message_id(hook.pk, event.seq), now=clock()
    )
    return sender.post(target, address, body, headers), address


def _checkpoint(
    hook: Webhook,
    token: str,
    cursor: int,
    last_ok: tuple[Outcome, dt.datetime] | None,
    now: dt.datetime,
) -> bool:
    """Write the cursor (and the last success) with the lease renewed; False: lease lost."""
    fields: dict = {"cursor": cursor, "attempts": 0, "failing_since": None, "retry_at": None}
    if last_ok is not None:
        outcome, at = last_ok
        fields.update(last_status=outcome.status, last_error="", last_delivery_at=at)
    return lease.write(hook.pk, token, now=now, **fields)


def _row(hook: Webhook, event: BoardEvent, outcome: Outcome, attempt: int, now) -> Delivery:
    return Delivery(
        webhook_id=hook.pk, seq=event.seq, event=event.name, trigger=Trigger.EVENT,
        attempt=attempt, status_code=outcome.status, duration_ms=outcome.duration_ms,
        error=outcome.error, at=now,
    )  # fmt: skip


def _failed(hook: Webhook, token: str, cursor: int, outcome: Outcome, now: dt.datetime) -> bool:
    """Record a failed attempt: a retry later, or (24 h into the streak) disable. True when
    disabled."""
    attempts = hook.attempts + 1
    since = hook.failing_since or now
    fields = {
        "cursor": cursor, "attempts": attempts, "failing_since": since,
        "last_status": outcome.status, "last_error": outcome.error, "last_delivery_at": now,
    }  # fmt: skip
    if now - since < GIVE_UP:
        lease.write(hook.pk, token, now=now, retry_at=now + backoff(attempts), **fields)
        return False
    reason = f"Failing for 24 hours since {since:%Y-%m-%d %H:%M} UTC: {outcome.error}"[:200]
    with transaction.atomic():
        if lease.write(
            hook.pk, token, now=now, active=False, retry_at=None, disabled_reason=reason, **fields
        ):
            webhook_disabled_notify(
                webhook=hook, board_id=hook.board_id, url=hook.url, reason=reason
            )
    return True


def _flush(webhook_id: int, deliveries: list[Delivery]) -> None:
    """Write the batch's delivery rows, then keep only the newest DELIVERIES_KEPT."""
    if not deliveries:
        return
    rows = list(deliveries)
    deliveries.clear()
    # The webhook (or its board) may have been deleted during the drain: its rows go too.
    if not Webhook.objects.filter(pk=webhook_id).exists():
        return
    try:
        Delivery.objects.bulk_create(rows)
    except IntegrityError:  # deleted between that check and this insert
        return
    cut = (
        Delivery.objects.filter(webhook_id=webhook_id)
        .order_by("-id")
        .values_list("id", flat=True)[DELIVERIES_KEPT : DELIVERIES_KEPT + 1]
    )
    oldest_kept = list(cut)
    if oldest_kept:
        Delivery.objects.filter(webhook_id=webhook_id, id__lte=oldest_kept[0]).delete()
