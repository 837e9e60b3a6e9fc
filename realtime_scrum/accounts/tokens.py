"""The one access-token check, for REST requests and socket handshakes alike.

simplejwt validates the token (signature, expiry, type), then the session behind it must be
live and its user active (accounts.sessions: one cache read, the database when the cache is
away). A personal access token (`rs_pat_…`) is checked by accounts.api_tokens instead: its
user then carries the token's grant (accounts.grants) and its claims name its socket
session. REST maps TokenRejected back to simplejwt's and DRF's errors
(accounts.authentication); sockets close with 4401.
"""

from __future__ import annotations

from functools import cache
from typing import Any

from rest_framework_simplejwt.authentication import JWTAuthentication
from rest_framework_simplejwt.exceptions import InvalidToken
from rest_framework_simplejwt.settings import api_settings

from . import api_tokens
from .models import User
from .sessions import SESSION_CLAIM, SESSION_ENDED, session_and_user

# simplejwt's code for a token that does not authenticate; the other codes are about the user.
TOKEN_NOT_VALID = "token_not_valid"


class TokenRejected(Exception):
    """The token is missing, invalid, expired, of a revoked session, or its user is gone or
    inactive. `reason` and `code` are simplejwt's message and code (`messages`: its per token
    class details, for a token that does not decode)."""

    def __init__(
        self, reason: str, *, code: str = TOKEN_NOT_VALID, messages: list | None = None
    ) -> None:
        super().__init__(reason)
        self.reason = reason
        self.code = code
        self.messages = messages


@cache
def _simplejwt() -> JWTAuthentication:
    # Stateless (it reads api_settings per call); built on first use because it resolves the
    # user model, which needs the app registry.
    return JWTAuthentication()


def authenticate_access(raw: str | bytes | None) -> tuple[User, dict[str, Any]]:
    """(the active user, the token's claims) for an access token of a live session.

    Sync and it may query the database: from async code call it through
    database_sync_to_async."""
    if not raw:
        raise TokenRejected("No token given.")
    if api_tokens.is_pat(raw):
        try:
            return api_tokens.token_authenticate(
                raw.decode("latin1") if isinstance(raw, bytes) else raw
            )
        except api_tokens.PatRejected as exc:
            raise TokenRejected(exc.reason, code=exc.code) from exc
    if isinstance(raw, str):
        raw = raw.encode()
    try:
        token = _simplejwt().get_validated_token(raw)
    except InvalidToken as exc:
        detail: Any = exc.detail  # simplejwt's dict: {"detail": ..., "messages": [...]}
        raise TokenRejected(detail["detail"], messages=detail.get("messages")) from exc
    claims = token.payload
    return _session_user(claims), claims


def _session_user(claims: dict[str, Any]) -> User:
    # simplejwt's messages and codes, so REST answers as simplejwt's own class would.
    sid = claims.get(SESSION_CLAIM)
    user_id = claims.get(api_settings.USER_ID_CLAIM)
    if not isinstance(sid, str) or not sid:
        # Nothing could ever log such a token out.
        raise TokenRejected(SESSION_ENDED)
    if user_id is None:
        raise TokenRejected("Token contained no recognizable user identification")
    live, user = session_and_user(sid, user_id)
    if not live:
        raise TokenRejected(SESSION_ENDED)
    if user is None:
        raise TokenRejected("User not found", code="user_not_found")
    if not user.is_active:
        raise TokenRejected("User is inactive", code="user_inactive")
    return user
