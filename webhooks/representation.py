"""Webhook and delivery rows -> JSON (the API's only renderer). The secret is never here:
the create response adds it once."""

from __future__ import annotations

from typing import Any

from board.representation import stamp

from .models import Delivery, Webhook

JSON = dict[str, Any]


def webhook_json(hook: Webhook) -> JSON:
    return {
        "id": hook.pk,
        "board": hook.board_id,
        "url": hook.url,
        "events": list(hook.events),
        "active": hook.active,
        "cursor": hook.cursor,
        "last_status": hook.last_status,
        "last_error": hook.last_error,
        "last_delivery_at": stamp(hook.last_delivery_at),
        "failing_since": stamp(hook.failing_since),
        "retry_at": stamp(hook.retry_at),
        "disabled_reason": hook.disabled_reason,
        "created_at": stamp(hook.created_at),
    }


def webhook_created_json(hook: Webhook) -> JSON:
    return {**webhook_json(hook), "secret": hook.secret}


def delivery_json(row: Delivery) -> JSON:
    return {
        "id": row.pk,
        "seq": row.seq,
        "event": row.event,
        "trigger": row.trigger,
        "attempt": row.attempt,
        "status_code": row.status_code,
        "duration_ms": row.duration_ms,
        "error": row.error,
        "at": stamp(row.at),
    }
