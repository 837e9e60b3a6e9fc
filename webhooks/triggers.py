"""The board's side of webhooks: after an event commits, wake its board's webhooks.

Called from board/services/_events.py's on_commit: one indexed query (webhook_board_active)
per committed event, and nothing more when the board has no webhook."""

from __future__ import annotations

import logging

log = logging.getLogger(__name__)


def board_event_committed(board_id: int) -> None:
    from .models import Webhook  # board/services imports this module at its own import
    from .tasks import webhook_drain

    due = Webhook.objects.filter(board_id=board_id, active=True, retry_at__isnull=True)
    for webhook_id in due.values_list("pk", flat=True):
        try:
            webhook_drain(webhook_id)
        except Exception:  # the write committed: its response must not fail; the sweep retries
            log.exception("webhook %s: drain failed to start", webhook_id)
