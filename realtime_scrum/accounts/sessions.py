"""Login sessions and their revocation (contract shared by REST auth and WebSockets).

Every token pair carries a session id claim (`sid`). Revoking a session or all of a user's
sessions makes their access tokens fail at once on REST and WebSocket, and closes their open
sockets (4401) through realtime_scrum/sockets/groups.py after commit.

The LoginSession row is the truth; the cache holds "live"/"revoked" per sid so the check on
every request is one cache read. Fills use cache.add and revocations cache.set, so a reader
that loaded "live" from the database just before a revocation committed cannot overwrite the
"revoked" entry with its stale value. Without the cache (Redis away) the database answers,
and the cache is corrected before it is trusted again (_after_outage).
"""

from __future__ import annotations

import contextlib
import secrets
import threading
from dataclasses import dataclass
from datetime import timedelta
from typing import Any

from django.conf import settings
from django.db import transaction
from django.db.models import F
from django.utils import timezone
from rest_framework_simplejwt.exceptions import InvalidToken, TokenError
from rest_framework_simplejwt.settings import api_settings
from rest_framework_simplejwt.tokens import RefreshToken, UntypedToken

from realtime_scrum.cache import CacheUnavailable, outage
from realtime_scrum.cache import shared_cache as cache
from realtime_scrum.sockets import groups

from . import user_cache
from .models import LoginSession, User

SESSION_CLAIM = "sid"
# Refresh tokens only: which password-change generation of its session minted the token.
GENERATION_CLAIM = "gen"

SESSION_ENDED = "This session has ended. Log in again."

_LIVE = "1"
_REVOKED = "0"


@dataclass(frozen=True)
class IssuedTokens:
    sid: str
    access: str
    refresh: str

    def as_response(self) -> dict[str, str]:
        return {"access": self.access, "refresh": self.refresh}


def _key(sid: str) -> str:
    return f"auth:sid:{sid}"


def _ttl() -> int:
    # Entries only need to outlive the access tokens they vouch for; refresh tokens are
    # checked against the database (refresh is rare), so the cache stays small.
    return int(settings.SIMPLE_JWT["ACCESS_TOKEN_LIFETIME"].total_seconds()) + 60


def _fill(key: str, value: Any, timeout: int) -> None:
    # A fill is an optimisation: without the cache the next request reads the database again.
    with contextlib.suppress(CacheUnavailable):
        outage.call(cache.add, key, value, timeout)


def access_token_is_revoked(payload: dict[str, Any]) -> bool:
    """True if the access token's session (or every session of its user) was revoked.

    One cache read per call; on a miss (or with the cache away), one database read that
    refills the cache. A token without a session id is treated as revoked: nothing could ever
    log it out. Synchronous (it may touch the database): from a consumer, call it through
    database_sync_to_async."""
    sid = payload.get(SESSION_CLAIM)
    if not isinstance(sid, str) or not sid:
        return True
    try:
        cached = outage.call(cache.get, _key(sid))
    except CacheUnavailable:
        cached = None
    return not _session_live(sid, cached)


def _session_live(sid: str, cached: str | None) -> bool:
    """Whether a session is live, given its cached state (None: not cached). A miss reads the
    database once and fills the cache."""
    if cached is None:
        cached = _LIVE if session_is_live(sid) else _REVOKED
        _fill(_key(sid), cached, _ttl())
    return cached == _LIVE


def session_and_user(sid: str, user_id: Any) -> tuple[bool, User | None]:
    """(whether the session is live, its user if it is and the user exists), for the token
    check (accounts.tokens). One cache read when both are cached (the user row: accounts/
    user_cache.py); with the cache away, the database answers (the session row is the truth,
    the cache only a copy of it)."""
    try:
        found = outage.call(cache.get_many, [_key(sid), user_cache.key(user_id)])
    except CacheUnavailable:
        found = {}
    if not _session_live(sid, found.get(_key(sid))):
        return False, None
    row = found.get(user_cache.key(user_id))
    if row is not None:
        return True, user_cache.from_row(row)
    return True, user_cache.load(user_id)


# --- While the cache is away, and after --------------------------------------------------
# Revocations always commit to the database; what the cache misses while it is away is their
# copy there. Redis may come back empty (restarted) or holding what it held before (stopped
# and continued, a dropped connection, a network split that hid it from this process only),
# and then an entry filled "live" before a logout would vouch for that logout's tokens for up
# to _ttl(). Shortening every entry's lifetime would only shrink that window and cost cache
# misses all the time; instead, before this process trusts the cache again (outage recovery
# hook), it writes "revoked" for every session revoked within the longest lifetime a "live"
# entry can have, which the database lists, plus the revocations and user changes whose
# cache writes failed here (a deleted user's session rows are gone from the database; cached
# user rows: accounts/user_cache.py catches up its own drops the same way).
# Cache writes are idempotent and "revoked" is final, so several processes recovering at once
# do no harm. What remains: a process cut off from Redis alone, which revoked sessions and
# died before Redis answered it again; its revocations are caught up by any other process
# that recovers from an outage, else their stale entries expire within _ttl().
_RECOVERY_MARGIN_SECONDS = 120  # clock skew between processes, reads that filled late
_PENDING_MAX = 10_000
_pending_lock = threading.Lock()
_pending_revoked: set[str] = set()


def _remember(pending: set, items) -> None:
    with _pending_lock:
        # A bound for an outage of unusual length: revocations of sessions that still exist
        # are found in the database anyway.
        if len(pending) < _PENDING_MAX:
            pending.update(items)


def _revoked_write(sids: list[str]) -> None:
    try:
        outage.call(cache.set_many, {_key(sid): _REVOKED for sid in sids}, _ttl())
    except CacheUnavailable:
        _remember(_pending_revoked, sids)


def _after_outage() -> None:
    """Correct the cache before it is trusted again (see above). Raises on a cache error,
    which keeps the cache down until the next probe."""
    since = timezone.now() - timedelta(seconds=_ttl() + _RECOVERY_MARGIN_SECONDS)
    revoked = set(LoginSession.objects.filter(revoked_at__gte=since).values_list("sid", flat=True))
    with _pending_lock:
        revoked |= _pending_revoked
    ordered = list(revoked)
    for i in range(0, len(ordered), 500):
        cache.set_many({_key(sid): _REVOKED for sid in ordered[i : i + 500]}, _ttl())
    with _pending_lock:
        _pending_revoked.difference_update(revoked)


outage.on_recovery(_after_outage)


def session_is_live(sid: str) -> bool:
    """The database answer (refresh, cache misses): the row exists and is not revoked."""
    return LoginSession.objects.filter(
        sid=sid, revoked_at__isnull=True, user__is_active=True
    ).exists()


def session_start(*, user: User, user_agent: str = "") -> IssuedTokens:
    """A new login: a session row and its first token pair."""
    session = LoginSession.objects.create(
        sid=secrets.token_hex(16), user=user, user_agent=user_agent[:200]
    )
    return session_tokens(user=user, sid=session.sid)


def session_tokens(*, user: User, sid: str, generation: int = 0) -> IssuedTokens:
    """A fresh token pair for an existing session (password change keeps the caller's)."""
    refresh = RefreshToken.for_user(user)
    refresh[SESSION_CLAIM] = sid
    if generation:
        refresh[GENERATION_CLAIM] = generation
    return IssuedTokens(sid=sid, access=str(refresh.access_token), refresh=str(refresh))


@transaction.atomic
def session_refresh(*, raw_refresh: str) -> IssuedTokens:
    """Rotate: the presented refresh token is spent, a new pair of the same session returned.

    The session row is read here (not the cache): refresh is rare and must see revocations."""
    try:
        refresh = RefreshToken(raw_refresh)  # signature, expiry and blacklist
    except TokenError as exc:
        raise InvalidToken(exc.args[0]) from exc
    sid = refresh.payload.get(SESSION_CLAIM)
    session = (
        LoginSession.objects.filter(sid=sid, revoked_at__isnull=True, user__is_active=True)
        .only("generation")
        .first()
        if isinstance(sid, str)
        else None
    )
    if session is None:
        raise InvalidToken(SESSION_ENDED)
    if refresh.payload.get(GENERATION_CLAIM, 0) != session.generation:
        raise InvalidToken("This refresh token predates a password change. Log in again.")
    # get_or_create reports whether *this* request spent the token: of two concurrent
    # refreshes with one token, only one gets a new pair.
    _, spent_now = refresh.blacklist()
    if not spent_now:
        raise InvalidToken("Token is blacklisted")
    refresh.set_jti()
    refresh.set_exp()
    refresh.set_iat()
    refresh.outstand()
    return IssuedTokens(sid=sid, access=str(refresh.access_token), refresh=str(refresh))


def session_logout(*, raw_refresh: str) -> None:
    """End the session a refresh token belongs to, even if that token was already rotated:
    a client holding a stale token must still be able to log out."""
    try:
        token = UntypedToken(raw_refresh)  # signature and expiry, not the blacklist
    except TokenError as exc:
        raise InvalidToken(exc.args[0]) from exc
    sid = token.payload.get(SESSION_CLAIM)
    if token.payload.get(api_settings.TOKEN_TYPE_CLAIM) != "refresh" or not isinstance(sid, str):
        raise InvalidToken("Not a refresh token of a session.")
    with transaction.atomic():
        RefreshToken(raw_refresh, verify=False).blacklist()
        session_revoke(sid=sid)


def _forget(sids: list[str]) -> None:
    """Drop cached "live" entries now, before commit: the next check reads the database, and
    if this transaction rolls back it reads "live" again, so nothing is wrongly revoked.
    The on_commit callbacks then pin "revoked" against readers that refilled in between.
    Without the cache there is nothing to drop now; the pinning is caught up after it."""
    with contextlib.suppress(CacheUnavailable):
        outage.call(cache.delete_many, [_key(sid) for sid in sids])


def session_revoke(*, sid: str) -> None:
    """Logout: this session's tokens stop working and its sockets close."""
    LoginSession.objects.filter(sid=sid, revoked_at__isnull=True).update(revoked_at=timezone.now())
    _forget([sid])

    def after_commit() -> None:
        _revoked_write([sid])
        groups.close_session(sid)

    transaction.on_commit(after_commit)


def session_refresh_tokens_spend(*, sid: str) -> int:
    """Password change: the session goes on, but every refresh token it holds so far stops
    working. Returns the new generation, to mint the session's next pair under."""
    LoginSession.objects.filter(sid=sid).update(generation=F("generation") + 1)
    return LoginSession.objects.values_list("generation", flat=True).get(sid=sid)


def sessions_revoke_all(*, user_id: int, except_sid: str | None = None) -> None:
    """Password change (keeping the caller's session), reset and deactivation."""
    live = LoginSession.objects.filter(user_id=user_id, revoked_at__isnull=True)
    if except_sid:
        live = live.exclude(sid=except_sid)
    sids = list(live.values_list("sid", flat=True))
    LoginSession.objects.filter(sid__in=sids).update(revoked_at=timezone.now())
    _forget(sids)

    def after_commit() -> None:
        if sids:
            _revoked_write(sids)
        groups.close_user(user_id, except_session=except_sid)

    transaction.on_commit(after_commit)
