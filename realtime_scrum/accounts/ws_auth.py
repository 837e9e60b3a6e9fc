"""WebSocket authentication: an access token in an `Authorization: Bearer` handshake header
or in `?token=`, checked exactly as REST checks it (accounts.tokens), and the Origin policy.

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
from rest_framework_simplejwt.authentication import AUTH_HEADER_TYPE_BYTES

from realtime_scrum import db_unavailable

from .sessions import SESSION_CLAIM
from .tokens import TokenRejected, authenticate_access

# The REST check itself, under the name the socket layer imports.
authenticate_token = authenticate_access


def query_param(scope: dict[str, Any], name: str) -> str | None:
    values = parse_qs(scope.get("query_string", b"").decode("latin1")).get(name)
    return values[-1] if values else None


def handshake_token(scope: dict[str, Any]) -> bytes | str | None:
    """The access token of a handshake: `Authorization: Bearer <access>` if the client sent
    one (non-browser clients: the token then never appears in a URL), else `?token=`.

    Only the first Authorization header counts; one of another scheme (a proxy's Basic) is
    not ours and leaves the query parameter in charge. A Bearer header that is not exactly
    two values is refused as REST refuses it, rather than falling back to the query."""
    for name, value in scope.get("headers", ()):
        if name.lower() != b"authorization":
            continue
        parts = value.split()
        if not parts or parts[0] not in AUTH_HEADER_TYPE_BYTES:
            break
        if len(parts) != 2:
            raise TokenRejected(
                "Authorization header must contain two space-delimited values",
                code="bad_authorization_header",
            )
        return parts[1]
    return query_param(scope, "token")


def _authenticate_handshake(scope: dict[str, Any]) -> tuple[Any, dict[str, Any]]:
    return authenticate_access(handshake_token(scope))


class JWTQueryAuthMiddleware(BaseMiddleware):
    """Sets scope["user"], scope["jwt"] (claims) and scope["session_id"], or
    scope["auth_error"] with AnonymousUser when the token does not authenticate."""

    async def __call__(self, scope, receive, send):
        scope = dict(scope)
        try:
            user, claims = await database_sync_to_async(_authenticate_handshake)(scope)
        except TokenRejected as exc:
            scope.update(user=AnonymousUser(), jwt=None, session_id=None, auth_error=str(exc))
        except Exception as exc:
            if not db_unavailable.is_unavailable(exc):
                raise
            # Not a bad token: the consumer accepts and closes 4503, the client retries.
            db_unavailable.note("socket handshake could not check its token", exc)
            scope.update(user=AnonymousUser(), jwt=None, session_id=None, auth_error=None)
            scope["db_unavailable"] = True
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
