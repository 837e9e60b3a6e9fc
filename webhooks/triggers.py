"""The board's side of webhooks: after an event commits, wake its board's webhooks.

Called from board/services/_events.py's on_commit: one indexed query (webhook_board_active)
per committed event, and nothing more when the board has no webhook."""

from __future__ import annotations

import logging

from realtime_scrum import db_unavailable

log = logging.getLogger(__name__)


def board_event_committed(board_id: int) -> None:
    from .models import Webhook  # board/services imports this module at its own import
    from .tasks import webhook_drain

    due = Webhook.objects.filter(board_id=board_id, active=True, retry_at__isnull=True)
    try:
        webhook_ids = list(due.values_list("pk", flat=True))
    except Exception as exc:
        # The event committed and the database went away right after (a restart): an outage,
        # not a bug, and the sweep wakes these webhooks once it is back.
        if not db_unavailable.is_unavailable(exc):
            raise
        db_unavailable.note(f"board {board_id}'s webhooks not woken after commit", exc)
        return
    for webhook_id in webhook_ids:
        try:
            webhook_drain(webhook_id)
        except Exception:  # the write committed: its response must not fail; the sweep retries
            log.exception("webhook %s: drain failed to start", webhook_id)
