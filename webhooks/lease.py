"""The drain's lease: at most one worker delivers a webhook's events at a time.

Taken by one conditional UPDATE (atomic on SQLite and MariaDB alike: the row's write lock
decides between two workers, and the loser's UPDATE matches no row). Every later write of
the drain carries the token in its WHERE clause, so a drain whose lease ran out (a stuck
worker) can no longer move the cursor behind the back of the one that took over."""

from __future__ import annotations

import datetime as dt
import secrets
from typing import Any

from django.db.models import Q

from .models import Webhook

LEASE = dt.timedelta(seconds=60)  # > one delivery's 10 s budget; renewed by each write


def acquire(webhook_id: int, *, now: dt.datetime) -> str | None:
    """The lease's token, or None: inactive, a retry not due yet, or another drain holds it."""
    token = secrets.token_hex(16)
    taken = (
        Webhook.objects.filter(pk=webhook_id, active=True)
        .filter(Q(retry_at__isnull=True) | Q(retry_at__lte=now))
        .filter(Q(lease_until__isnull=True) | Q(lease_until__lt=now))
        .update(lease_until=now + LEASE, lease_token=token)
    )
    return token if taken else None


def write(webhook_id: int, token: str, *, now: dt.datetime, **fields: Any) -> bool:
    """Write the drain's progress and renew the lease, in one UPDATE; False when the lease
    is no longer this drain's (stop delivering)."""
    return bool(
        Webhook.objects.filter(pk=webhook_id, lease_token=token).update(
            lease_until=now + LEASE, **fields
        )
    )


def release(webhook_id: int, token: str) -> None:
    Webhook.objects.filter(pk=webhook_id, lease_token=token).update(
        lease_until=None, lease_token=""
    )
