"""Attempt limits for login and password reset, per account and per client address.

A fixed window per (scope, identity) counted with the cache's atomic incr. The attempt is
counted *before* the password is checked, so N parallel guesses cannot all pass a check made
before any of them was recorded (the race that makes DRF throttles unfit here, DRF#8127).
The same counter, the same 429 and the same body apply to existing and unknown accounts, so a
lockout reveals nothing about which usernames exist.
"""

from __future__ import annotations

import contextlib
import hashlib
import time

from django.conf import settings
from django.core.cache import cache
from rest_framework.exceptions import Throttled
from rest_framework.request import Request


def client_address(request: Request) -> str:
    """REMOTE_ADDR, or the address our own proxies recorded in X-Forwarded-For.

    Only the hops added by TRUSTED_PROXY_COUNT proxies are believed: anything further left
    is whatever the client chose to send."""
    hops = settings.TRUSTED_PROXY_COUNT
    remote = request.META.get("REMOTE_ADDR", "")
    if hops <= 0:
        return remote
    forwarded = [a.strip() for a in request.META.get("HTTP_X_FORWARDED_FOR", "").split(",")]
    forwarded = [a for a in forwarded if a]
    return forwarded[-hops] if len(forwarded) >= hops else remote


def attempt(scope: str, identity: str) -> str:
    """Count one attempt; raise Throttled (429, Retry-After) past the scope's limit.

    Returns the counter key, so a successful login can give its attempt back."""
    limit, period = settings.AUTH_THROTTLES[scope]
    now = int(time.time())
    # Hash the identity: keys stay short and valid for any backend, and the cache holds no
    # email addresses.
    digest = hashlib.sha256(identity.strip().lower().encode()).hexdigest()[:32]
    key = f"auth:throttle:{scope}:{digest}:{now // period}"
    cache.add(key, 0, period + 5)
    try:
        count = cache.incr(key)
    except ValueError:
        # Evicted between add and incr: start the window again.
        cache.add(key, 1, period + 5)
        count = 1
    if count > limit:
        raise Throttled(wait=period - now % period)
    return key


def attempt_refund(key: str) -> None:
    """Give back an attempt that turned out legitimate (a correct password)."""
    # Gone (window over, evicted): nothing to give back.
    with contextlib.suppress(ValueError):
        cache.decr(key)
