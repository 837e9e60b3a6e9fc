"""WebSocket authentication: a simplejwt access token in `?token=`, and the Origin policy.

The middleware never closes a socket itself: it records the outcome in the scope and the
consumer accepts and then closes with 4401, because a close before accept becomes an HTTP 403
that browsers report as 1006 with no code (TRAPS.md).
"""

from __future__ import annotations

from typing import Any
from urllib.parse import parse_qs

from channels.db import database_sync_to_async
from channels.middleware import BaseMiddleware
from channels.security.websocket import OriginValidator
from django.conf import settings
from django.contrib.auth.models import AnonymousUser
from rest_framework.exceptions import AuthenticationFailed
from rest_framework_simplejwt.authentication import JWTAuthentication
from rest_framework_simplejwt.exceptions import InvalidToken, TokenError

from .sessions import SESSION_CLAIM, access_token_is_revoked


class TokenRejected(Exception):
    """The token is missing, invalid, expired, revoked, or its user is gone or inactive."""


def authenticate_token(raw: str | None) -> tuple[Any, dict[str, Any]]:
    """Validate an access token exactly as REST does and return (user, claims).

    Uses simplejwt's own JWTAuthentication so the token classes, user-id claim, is_active
    and password-change checks cannot drift from the REST side. Sync: call it in a thread.
    """
    if not raw:
        raise TokenRejected("missing token")
    auth = JWTAuthentication()
    try:
        token = auth.get_validated_token(raw.encode())
        user = auth.get_user(token)
    except (InvalidToken, TokenError, AuthenticationFailed) as exc:
        raise TokenRejected(str(exc)) from exc
    claims = dict(token.payload)
    if access_token_is_revoked(claims):
        raise TokenRejected("session revoked")
    return user, claims


def query_param(scope: dict[str, Any], name: str) -> str | None:
    values = parse_qs(scope.get("query_string", b"").decode("latin1")).get(name)
    return values[-1] if values else None


class JWTQueryAuthMiddleware(BaseMiddleware):
    """Sets scope["user"], scope["jwt"] (claims) and scope["session_id"], or
    scope["auth_error"] with AnonymousUser when the token does not authenticate."""

    async def __call__(self, scope, receive, send):
        scope = dict(scope)
        try:
            user, claims = await database_sync_to_async(authenticate_token)(
                query_param(scope, "token")
            )
        except TokenRejected as exc:
            scope.update(user=AnonymousUser(), jwt=None, session_id=None, auth_error=str(exc))
        else:
            sid = claims.get(SESSION_CLAIM)
            scope.update(user=user, jwt=claims, session_id=str(sid) if sid else None)
            scope["auth_error"] = None
        return await super().__call__(scope, receive, send)


class BrowserOriginValidator(OriginValidator):
    """Refuse browsers from origins outside ALLOWED_HOSTS; let Origin-less clients through.

    Channels' AllowedHostsOriginValidator rejects a missing Origin, which would lock out
    native and server-side clients. Those cannot be driven by a hostile page (cross-site
    WebSocket hijacking needs a browser, and browsers always send Origin), so they
    authenticate by token alone. A "*" in ALLOWED_HOSTS would allow every origin: don't ship it.
    """

    def valid_origin(self, parsed_origin) -> bool:
        if parsed_origin is None:
            return True
        # Read per handshake so settings overrides (tests, reloads) apply.
        self.allowed_origins = allowed_origins()
        return self.validate_origin(parsed_origin)


def allowed_origins() -> list[str]:
    hosts = list(settings.ALLOWED_HOSTS)
    if settings.DEBUG and not hosts:
        hosts = [".localhost", "127.0.0.1", "[::1]"]
    # Full origins from CSRF_TRUSTED_ORIGINS (scheme + host + port) are trusted too.
    return hosts + list(settings.CSRF_TRUSTED_ORIGINS)


def websocket_stack(app):
    """Origin check outermost (cheapest, no database), then token authentication."""
    return BrowserOriginValidator(JWTQueryAuthMiddleware(app), [])
