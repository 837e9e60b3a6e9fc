"""A user's calendar feed secret: issued (or rotated) and revoked. Only its hash is stored;
rotating overwrites the hash, so the old URL answers 404 from that moment."""

from __future__ import annotations

import hashlib
import secrets
from typing import Any

from ..models import CalendarFeed


def secret_hash(secret: str) -> str:
    return hashlib.sha256(secret.encode("utf-8", "surrogatepass")).hexdigest()


def calendar_feed_issue(*, user: Any) -> str:
    """A new secret for the user's feed (the old one, if any, stops working); returned once."""
    secret = secrets.token_urlsafe(32)
    CalendarFeed.objects.update_or_create(user=user, defaults={"secret_hash": secret_hash(secret)})
    return secret


def calendar_feed_revoke(*, user: Any) -> None:
    CalendarFeed.objects.filter(user=user).delete()
