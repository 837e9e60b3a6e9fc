"""The board owners hear that a webhook gave up (a `webhook_disabled` notification)."""

from __future__ import annotations

from board import realtime
from board.models import Membership, Role
from notifications.models import Kind, Notification

TITLE_MAX = 200


def webhook_disabled_notify(*, webhook: object, board_id: int, url: str, reason: str) -> None:
    """A row per active owner now, the push after commit (inside the disabling transaction)."""
    owners = Membership.objects.filter(
        board_id=board_id, role=Role.OWNER, user__is_active=True
    ).values_list("user_id", flat=True)
    title = f"A webhook of your board was disabled: {url}"[:TITLE_MAX]
    data = {"board": board_id, "webhook": getattr(webhook, "pk", webhook), "url": url,
            "reason": reason}  # fmt: skip
    notes = [
        Notification(user_id=user_id, kind=Kind.WEBHOOK_DISABLED, title=title, data=data)
        for user_id in owners
    ]
    for note in notes:  # one INSERT each: bulk_create returns no keys on MariaDB
        note.save()
    realtime.push_on_commit([(note.user_id, realtime.notification_frame(note)) for note in notes])
