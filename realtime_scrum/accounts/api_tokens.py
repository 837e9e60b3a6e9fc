"""Personal access tokens (SPEC section 13): create, list, revoke, and the check that
authenticates a request or a socket handshake presenting one (accounts.tokens routes
`rs_pat_…` here, JWTs to simplejwt).

A token is `rs_pat_` + 40 urlsafe characters (240 random bits). Only its sha256 is stored and
looked up (a unique index): with that much entropy a slow hash buys nothing, and a leaked
table yields no usable token. The check reads the row on every request (no cache), so a
revocation or an expiry refuses the very next request; a revocation also closes the token's
sockets through the session group every socket joins (`session.pat-<id>`, 4401).
"""

from __future__ import annotations

import hashlib
import secrets
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Q, QuerySet
from django.utils import timezone

from realtime_scrum.sockets import groups

from .grants import ATTRIBUTE, TokenGrant, token_session_id
from .models import ApiToken, User

PREFIX = "rs_pat_"
SHOWN_CHARS = 8  # of the random part, kept in clear as the token's `prefix`
MAX_TOKENS_PER_USER = 50
MAX_BOARDS = 100
# last_used_at is a hint for its owner ("used 3 minutes ago"), not an audit log: at most one
# write a minute per token, whatever the request rate.
LAST_USED_RESOLUTION = timedelta(minutes=1)
INVALID = "Invalid or revoked personal access token."
EXPIRED = "This personal access token has expired."


class PatRejected(Exception):
    """A `rs_pat_` token that does not authenticate; `code` as simplejwt names its cases."""

    def __init__(self, reason: str, code: str = "token_not_valid") -> None:
        super().__init__(reason)
        self.reason = reason
        self.code = code


@dataclass(frozen=True)
class CreatedToken:
    row: ApiToken
    token: str  # the only time it exists outside its owner's hands


def is_pat(raw: str | bytes) -> bool:
    text = raw.decode("latin1") if isinstance(raw, bytes) else raw
    return text.startswith(PREFIX)


def token_hash(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def _allowed_board_ids(*, user: User, board_ids: list[int]) -> list[int]:
    """The ids, unique and in order, after checking the user is a member of each board."""
    from board.access import memberships_of  # board's models load after accounts'

    wanted = list(dict.fromkeys(board_ids))
    if not wanted:
        raise ValidationError({"boards": ["Give at least one board, or null for every board."]})
    if len(wanted) > MAX_BOARDS:
        raise ValidationError({"boards": [f"At most {MAX_BOARDS} boards."]})
    # memberships_of follows the caller's own grant too; the view admits only login sessions.
    mine = set(memberships_of(user).filter(board_id__in=wanted).values_list("board_id", flat=True))
    missing = [board_id for board_id in wanted if board_id not in mine]
    if missing:
        listed = ", ".join(str(board_id) for board_id in missing)
        raise ValidationError({"boards": [f"Not a board you are a member of: {listed}."]})
    return wanted


@transaction.atomic
def token_create(
    *,
    user: User,
    name: str,
    scope: str,
    board_ids: list[int] | None,
    expires_in_days: int | None = None,
) -> CreatedToken:
    """A new token for `user`; the token itself is returned once and never stored."""
    if scope not in (ApiToken.READ, ApiToken.WRITE):
        raise ValidationError({"scope": ["Use read or write."]})
    name = name.strip()
    if not name:
        raise ValidationError({"name": ["Give the token a name."]})
    # Counted under the user's row lock: two concurrent creates cannot both pass the cap.
    list(User.objects.select_for_update().filter(pk=user.pk).values_list("pk", flat=True))
    if ApiToken.objects.filter(user=user).count() >= MAX_TOKENS_PER_USER:
        raise ValidationError(
            {"name": [f"You have {MAX_TOKENS_PER_USER} tokens; revoke one to make another."]}
        )
    boards = None if board_ids is None else _allowed_board_ids(user=user, board_ids=board_ids)
    secret = secrets.token_urlsafe(30)
    expires_at = None
    if expires_in_days is not None:
        expires_at = timezone.now() + timedelta(days=expires_in_days)
    row = ApiToken.objects.create(
        user=user,
        name=name,
        token_hash=token_hash(PREFIX + secret),
        prefix=secret[:SHOWN_CHARS],
        scope=scope,
        board_ids=boards,
        expires_at=expires_at,
    )
    return CreatedToken(row=row, token=PREFIX + secret)


def token_revoke(*, user: User, token_id: int) -> bool:
    """Delete one of `user`'s tokens: the next request with it is refused (the check reads the
    row) and its open sockets close with 4401 once this commits. False if there is none."""
    deleted, _ = ApiToken.objects.filter(pk=token_id, user=user).delete()
    if deleted:
        transaction.on_commit(lambda: groups.close_session(token_session_id(token_id)))
    return bool(deleted)


def token_list_for_user(*, user: User) -> QuerySet[ApiToken]:
    return ApiToken.objects.filter(user=user).order_by("-created_at", "-pk")


def token_authenticate(raw: str, *, now: datetime | None = None) -> tuple[User, dict[str, Any]]:
    """(the token's user carrying its TokenGrant, claims shaped like a JWT's: `sid` names the
    socket session, `exp` the expiry or None). One indexed read; one conditional UPDATE at
    most once a minute."""
    now = now or timezone.now()
    row = ApiToken.objects.select_related("user").filter(token_hash=token_hash(raw)).first()
    if row is None:
        raise PatRejected(INVALID)
    if row.expires_at is not None and row.expires_at <= now:
        raise PatRejected(EXPIRED)
    user = row.user
    if not user.is_active:
        raise PatRejected("User is inactive", code="user_inactive")
    if row.last_used_at is None or row.last_used_at <= now - LAST_USED_RESOLUTION:
        # Conditional: of concurrent requests crossing the minute, one writes.
        stale = Q(last_used_at__isnull=True) | Q(last_used_at__lte=now - LAST_USED_RESOLUTION)
        ApiToken.objects.filter(stale, pk=row.pk).update(last_used_at=now)
    boards = None if row.board_ids is None else frozenset(int(b) for b in row.board_ids)
    setattr(user, ATTRIBUTE, TokenGrant(token_id=row.pk, scope=row.scope, board_ids=boards))
    claims = {
        "sid": token_session_id(row.pk),
        "user_id": user.pk,
        "pat": row.pk,
        "scope": row.scope,
        "exp": row.expires_at.timestamp() if row.expires_at else None,
    }
    return user, claims
