"""Notification writes: the daily digest and the inbox (views and tasks call only these)."""

from .digest import digest_run, digest_send_for_date, digest_send_for_user
from .inbox import notification_mark_all_read, notification_mark_read
from .types import DigestReport

__all__ = [
    "DigestReport",
    "digest_run",
    "digest_send_for_date",
    "digest_send_for_user",
    "notification_mark_all_read",
    "notification_mark_read",
]
