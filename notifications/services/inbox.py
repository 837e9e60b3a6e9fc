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


def notification_mark_all_read(
    *, user, up_to: int | None = None, now: dt.datetime | None = None
) -> int:
    """Every unread notification of the user (with `up_to`: only those with an id up to it, the
    newest the page had shown, so one pushed a moment before the click stays unread), read at
    one instant; returns how many changed. A notification already read keeps its first read
    time, as with a single read."""
    unread = Notification.objects.filter(user=user, read_at__isnull=True)
    if up_to is not None:
        unread = unread.filter(pk__lte=up_to)
    return unread.update(read_at=now or timezone.now())
