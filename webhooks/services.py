"""Webhook writes (the API calls only these): create, update, delete, ping, redeliver.

Who may call them (a board owner) is the view's check, through board/access.py."""

from __future__ import annotations

import re
from collections.abc import Sequence
from typing import Any

from django.db import transaction
from django.utils import timezone

from board import realtime
from board.models import Board, BoardEvent
from board.services._events import UNSET, Unset

from . import signing, targets
from .drain import wanted
from .models import Delivery, Trigger, Webhook
from .transport import SENDER, Outcome, Sender

EVENTS_MAX = 30
_PATTERN = re.compile(r"^[a-z_.*?\[\]]{1,60}$")


class WebhookInvalid(Exception):
    """Bad input: {field: message} for a 400."""

    def __init__(self, errors: dict[str, str]):
        super().__init__(errors)
        self.errors = errors


def _check_url(url: str) -> str:
    try:
        targets.validate(url)
    except targets.TargetRefused as exc:
        raise WebhookInvalid({"url": str(exc)}) from None
    return url


def _check_events(events: Sequence[str]) -> list[str]:
    """Names or globs, each matching at least one event (a typo is a 400, not silence)."""
    if len(events) > EVENTS_MAX:
        raise WebhookInvalid({"events": f"At most {EVENTS_MAX} names or patterns."})
    for pattern in events:
        if not _PATTERN.match(pattern) or not any(
            wanted([pattern], n) for n in realtime.EVENT_NAMES
        ):
            raise WebhookInvalid(
                {"events": f"{pattern[:60]!r} matches no event (e.g. task.created, task.*, *)."}
            )
    return list(dict.fromkeys(events))


def webhook_create(
    *, user: Any, board_id: int, url: str, events: Sequence[str], active: bool = True
) -> Webhook:
    """A new webhook starts at the board's current last_seq: it hears what happens from now
    on, not the board's whole history."""
    _check_url(url)
    patterns = _check_events(events)
    last_seq = Board.objects.filter(pk=board_id).values_list("last_seq", flat=True).get()
    return Webhook.objects.create(
        board_id=board_id, url=url, events=patterns, active=active, cursor=last_seq,
        secret=signing.new_secret(), created_by=user if user.is_authenticated else None,
    )  # fmt: skip


def webhook_update(
    *,
    webhook_id: int,
    url: str | Unset = UNSET,
    events: Sequence[str] | Unset = UNSET,
    active: bool | Unset = UNSET,
) -> Webhook:
    """Turning a webhook back on ends its failing streak and resumes it from its cursor."""
    with transaction.atomic():
        hook = Webhook.objects.select_for_update().get(pk=webhook_id)
        if not isinstance(url, Unset):
            hook.url = _check_url(url)
        if not isinstance(events, Unset):
            hook.events = _check_events(events)
        if not isinstance(active, Unset):
            if active and not hook.active:
                hook.attempts, hook.failing_since, hook.retry_at = 0, None, None
                hook.disabled_reason = ""
            hook.active = active
        hook.save()
    if hook.active:
        # Robust: the change committed; should the queue be away, the minute sweep drains it.
        transaction.on_commit(lambda: _drain_soon(hook.pk), robust=True)
    return hook


def _drain_soon(webhook_id: int) -> None:
    from .tasks import webhook_drain  # the tasks module imports the drain

    webhook_drain(webhook_id)


def webhook_delete(*, webhook_id: int) -> None:
    Webhook.objects.filter(pk=webhook_id).delete()


def _send_once(
    hook: Webhook, payload: dict[str, Any], *, msg_id: str, trigger: str, sender: Sender
) -> Delivery:
    """One delivery outside the cursor (ping, redelivery): the same checks and signature."""
    now = timezone.now()
    try:
        target = targets.parse(hook.url)
        address = targets.checked_address(target)
    except targets.TargetRefused as exc:
        outcome = Outcome(None, str(exc), 0)
    else:
        body, headers = signing.Signer(hook.secret).signed(payload, msg_id=msg_id, now=now)
        outcome = sender.post(target, address, body, headers)
    return Delivery.objects.create(
        webhook=hook, seq=payload["seq"], event=payload["name"], trigger=trigger, attempt=1,
        status_code=outcome.status, duration_ms=outcome.duration_ms, error=outcome.error,
        at=timezone.now(),
    )  # fmt: skip


def webhook_ping(*, webhook_id: int, sender: Sender = SENDER) -> Delivery:
    """Send a `webhook.ping` now (its seq is null); the cursor does not move."""
    hook = Webhook.objects.get(pk=webhook_id)
    now = timezone.now()
    payload = signing.ping_payload(webhook_id=hook.pk, board_id=hook.board_id, now=now)
    msg_id = f"msg_{hook.pk}_ping_{int(now.timestamp() * 1000)}"
    return _send_once(hook, payload, msg_id=msg_id, trigger=Trigger.PING, sender=sender)


def webhook_redeliver(*, webhook_id: int, seq: int, sender: Sender = SENDER) -> Delivery:
    """Send one event of the board's log again, now (BoardEvent.DoesNotExist when it is not
    in the log). Its webhook-id is the original's: a receiver that keeps ids sees a repeat."""
    hook = Webhook.objects.get(pk=webhook_id)
    event = BoardEvent.objects.select_related("actor").get(board_id=hook.board_id, seq=seq)
    return _send_once(
        hook, signing.event_payload(event), msg_id=signing.message_id(hook.pk, seq),
        trigger=Trigger.REDELIVER, sender=sender,
    )  # fmt: skip
