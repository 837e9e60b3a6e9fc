"""The user's side of notifications."""

from __future__ import annotations

import datetime as dt

from django.utils import timezone

from ..models import Notification


def notification_mark_read(
    *, notification: Notification, now: dt.datetime | None = None
) -> Notification:
    """Idempotent: the first read time is kept, so a second click changes nothing."""
    if notification.read_at is None:
        notification.read_at = now or timezone.now()
        Notification.objects.filter(pk=notification.pk, read_at__isnull=True).update(
            read_at=notification.read_at
        )
    return notification
