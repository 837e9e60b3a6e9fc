"""The read replica (DATABASE_REPLICA_URL): which reads may come from it, and when they may not.

A replica lags the primary by whatever its SQL thread has not applied yet, so only reads a
user would accept a moment late go there, and only when the answer cannot be wrong in a way
that matters (SPEC sections 9 and 14, docs/deploy.md "Read replica"):

- Opt in, per handler: `@replica_reads` marks the REST list and report reads. Everything else
  (writes, snapshots and time travel, the event log a socket replays, membership checks,
  sockets, Huey, the admin) never sets the mark and reads the primary.
- Inside a marked handler only content tables (REPLICA_MODELS) are read from the replica. The
  tables that decide access (boards, memberships, users, tokens) stay on the primary, and the
  visible boards a list filters by are read there first (board/access.py `visible_board_ids`),
  so a member removed a moment ago reads nothing through a replica that still has them.
- Read your writes: after a user's write request the primary's GTID (`@@last_gtid`) is kept in
  the shared cache for READ_YOUR_WRITES_SECONDS; that user's marked reads go to the replica
  only once it has applied that GTID (`MASTER_GTID_WAIT(gtid, 0)`: no waiting), else to the
  primary. Other users may see the write late, as they would see it late over a socket.
- A replica that cannot be reached is skipped for RETRY_SECONDS and its reads served by the
  primary; a row the primary let through the access check but the replica has not got yet
  (ObjectDoesNotExist) is read again from the primary.

Without DATABASE_REPLICA_URL no router is installed and none of this runs.
"""

from __future__ import annotations

import contextvars
import functools
import logging
import threading
import time
from collections.abc import Callable
from typing import Any, TypeVar

from asgiref.sync import sync_to_async
from django.conf import settings
from django.core.exceptions import ObjectDoesNotExist
from django.db import DatabaseError, connections

from .cache import CacheUnavailable, outage, shared_cache
from .compression import HybridMiddleware

log = logging.getLogger(__name__)

PRIMARY = "default"
REPLICA = "replica"
# Content a list or a report shows; its access is decided on the primary before it is read.
REPLICA_MODELS = frozenset(
    {
        "board.task", "board.task_labels", "board.sprint", "board.label", "board.comment",
        "board.commentmention", "board.checklistitem", "board.taskwatch", "board.eventtask",
        "board.boardevent", "board.boardcheckpoint",
    }
)  # fmt: skip
SAFE_METHODS = frozenset({"GET", "HEAD", "OPTIONS", "TRACE"})

_reading_replica: contextvars.ContextVar[bool] = contextvars.ContextVar(
    "reading_replica", default=False
)
_down = threading.Lock()
_skip_until = 0.0

F = TypeVar("F", bound=Callable[..., Any])


def configured() -> bool:
    return REPLICA in settings.DATABASES


def reading_replica() -> bool:
    """True inside a marked handler that the replica serves (board/access.py asks)."""
    return _reading_replica.get()


class ReplicaRouter:
    """DATABASE_ROUTERS entry: the replica for REPLICA_MODELS inside a marked handler."""

    def db_for_read(self, model, **hints) -> str:
        if _reading_replica.get() and model._meta.label_lower in REPLICA_MODELS:
            return REPLICA
        return PRIMARY

    def db_for_write(self, model, **hints) -> str:
        return PRIMARY

    def allow_relation(self, obj1, obj2, **hints) -> bool:
        return True  # the same rows on both servers

    def allow_migrate(self, db, app_label, **hints) -> bool | None:
        return False if db == REPLICA else None  # it gets the schema by replication


# --- the GTID helpers (MariaDB; tests replace them on SQLite) -----------------------------


def primary_gtid() -> str:
    """The GTID of the last transaction this thread's primary connection wrote, or ''."""
    with connections[PRIMARY].cursor() as cursor:
        cursor.execute("SELECT @@last_gtid")
        row = cursor.fetchone()
    return str(row[0] or "") if row else ""


def replica_has(gtid: str) -> bool:
    """Whether the replica has applied `gtid` (0 at once if it has, -1 at once if not)."""
    with connections[REPLICA].cursor() as cursor:
        cursor.execute("SELECT MASTER_GTID_WAIT(%s, 0)", [gtid])
        row = cursor.fetchone()
    return row is not None and row[0] == 0


def _key(user_id: Any) -> str:
    return f"db-replica:written:{user_id}"


def _user_id(user: Any) -> Any:
    return user.pk if getattr(user, "is_authenticated", False) else None


def remember_write(user: Any) -> None:
    """After a write request of `user`: keep the primary's GTID for their next reads."""
    user_id = _user_id(user)
    if user_id is None or connections[PRIMARY].connection is None:
        return  # nobody to remember it for, or no statement ran on this thread
    try:
        gtid = primary_gtid()
        if gtid:
            ttl = settings.DB_REPLICA_READ_YOUR_WRITES_SECONDS
            outage.call(shared_cache.set, _key(user_id), gtid, ttl)
    except (DatabaseError, CacheUnavailable) as exc:
        # The write has committed; its response must not fail. While the cache is away no
        # position can be read either, and every marked read goes to the primary.
        log.warning("read-your-writes position not kept: %s: %s", type(exc).__name__, exc)


def _replica_serves(user: Any) -> bool:
    """Whether this request's marked reads may go to the replica: configured, not skipped
    after a failure, outside any transaction on the primary, and holding this user's last
    write. Costs one cache read and, after a write, one replica statement."""
    if not configured() or time.monotonic() < _skip_until:
        return False
    if connections[PRIMARY].in_atomic_block:
        return False  # a transaction reads its own snapshot, on the primary
    user_id = _user_id(user)
    try:
        gtid = outage.call(shared_cache.get, _key(user_id)) if user_id is not None else None
    except CacheUnavailable:
        return False  # a write we cannot see may be waiting: the primary has it
    try:
        if not gtid:
            connections[REPLICA].ensure_connection()
            return True
        return replica_has(gtid)
    except DatabaseError as exc:
        _skip_replica(exc)
        return False


def _skip_replica(exc: BaseException) -> None:
    """Send marked reads to the primary for RETRY_SECONDS: one failed connect per interval,
    one warning per failure, instead of every list failing while the replica is away."""
    global _skip_until
    with _down:
        _skip_until = time.monotonic() + settings.DB_REPLICA_RETRY_SECONDS
    connections[REPLICA].close_if_unusable_or_obsolete()
    log.warning(
        "read replica unavailable (%s: %s): reading the primary for %s s",
        type(exc).__name__, exc, settings.DB_REPLICA_RETRY_SECONDS,
    )  # fmt: skip


def _replica_alive() -> bool:
    try:
        return connections[REPLICA].is_usable()
    except DatabaseError:
        return False


def replica_reads(handler: F) -> F:
    """Marks a DRF read handler (`get`, `list`): its content reads may come from the replica."""

    @functools.wraps(handler)
    def marked(view, request, *args, **kwargs):
        if not _replica_serves(request.user):
            return handler(view, request, *args, **kwargs)
        token = _reading_replica.set(True)
        try:
            return handler(view, request, *args, **kwargs)
        except ObjectDoesNotExist:
            pass  # the primary let it through the access check: the replica is behind
        except DatabaseError as exc:
            if connections[REPLICA].connection is None or _replica_alive():
                raise  # the primary's error (or the query's own): not the replica's to hide
            _skip_replica(exc)
        finally:
            _reading_replica.reset(token)
        return handler(view, request, *args, **kwargs)

    return marked  # type: ignore[return-value]


class ReadYourWritesMiddleware(HybridMiddleware):
    """Keeps the GTID of a user's write request (installed with DATABASE_REPLICA_URL only).

    Any unsafe request that did not fail counts as a write: cheaper and surer than spotting
    writes statement by statement (raw SQL included), and a request that changed nothing
    leaves a GTID that is already old, which the replica passes at once."""

    def __call__(self, request):
        if self.is_async:
            return self._acall(request)
        response = self.get_response(request)
        if _wrote(request, response):
            remember_write(request.user)
        return response

    async def _acall(self, request):
        response = await self.get_response(request)
        if _wrote(request, response):
            # Django's ASGI handler runs a request's sync code on one thread: this is the
            # view's, with the connection its writes went through.
            await sync_to_async(remember_write, thread_sensitive=True)(request.user)
        return response


def _wrote(request, response) -> bool:
    return request.method not in SAFE_METHODS and response.status_code < 400
