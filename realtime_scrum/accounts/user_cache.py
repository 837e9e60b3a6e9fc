"""The user row behind an access token, cached beside its session state (a lever:
docs/benchmarks.md "Levers").

Every REST request and socket handshake authenticates (accounts.tokens). simplejwt's stock
JWTAuthentication.get_user queries the user by id each time; here the session check reads the
session state and this row in one cache round trip (sessions.session_and_user: one MGET), and a
hit builds the user with `User.from_db`, as a query would, without the query: about 0.65 ms of
CPU and a database round trip per request, a twentieth of a PATCH or a 50-task list.

No password hash leaves the database: the cached row defers it (and last_login), so code that
needs it (a password change) loads it on access, and a save of such a user writes only the
loaded fields. Saves and deletes drop the entry at once (accounts.apps connects `forget` to
post_save and post_delete); a QuerySet.update() sends no signal, so code that updates users
that way calls `forget` itself (services.user_deactivate). SECONDS bounds what neither sees: a
reader that loaded the row just before a change committed and filled the cache just after.
Deactivation also revokes every session, which the session state refuses at once.
"""

from __future__ import annotations

import contextlib
import threading
from typing import Any

from django.db import transaction
from rest_framework_simplejwt.settings import api_settings

from realtime_scrum.cache import CacheUnavailable, outage
from realtime_scrum.cache import shared_cache as cache

from .models import User

FIELDS = tuple(
    f.attname for f in User._meta.concrete_fields if f.attname not in ("password", "last_login")
)
SECONDS = 60

# Drops that failed while the cache was away, done before it is trusted again (_after_outage).
# Bounded for an outage of unusual length; a row that was not dropped lives SECONDS at most.
_PENDING_MAX = 10_000
_pending_lock = threading.Lock()
_pending: set[Any] = set()


def key(user_id: Any) -> str:
    return f"auth:user:{user_id}"


def from_row(row: tuple) -> User:
    """The user a cached row stands for (what the query would have built)."""
    return User.from_db("default", FIELDS, row)


def load(user_id: Any) -> User | None:
    """The user from the database (a cache miss), copied into the cache for the next request."""
    user = User.objects.filter(**{api_settings.USER_ID_FIELD: user_id}).first()
    if user is not None:
        row = tuple(getattr(user, name) for name in FIELDS)
        # A fill is an optimisation: without the cache the next request queries again.
        with contextlib.suppress(CacheUnavailable):
            outage.call(cache.add, key(user_id), row, SECONDS)
    return user


def forget(user_id: Any) -> None:
    """Drop the cached row now and again after commit, so a change is seen by the next request."""
    _drop(user_id)
    transaction.on_commit(lambda: _drop(user_id))


def _drop(user_id: Any) -> None:
    try:
        outage.call(cache.delete, key(user_id))
    except CacheUnavailable:
        with _pending_lock:
            if len(_pending) < _PENDING_MAX:
                _pending.add(user_id)


def _after_outage() -> None:
    """Outage recovery hook (realtime_scrum/cache.py): the drops the cache missed. Raises on a
    cache error, which keeps the cache down until the next probe."""
    with _pending_lock:
        forgotten = set(_pending)
    if forgotten:
        cache.delete_many([key(user_id) for user_id in forgotten])
    with _pending_lock:
        _pending.difference_update(forgotten)


outage.on_recovery(_after_outage)
