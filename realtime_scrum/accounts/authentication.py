"""REST authentication: the shared access-token check (accounts.tokens) behind simplejwt's
Authorization header handling.

simplejwt's blacklist covers refresh tokens only; without the session check an access token
outlives its logout by up to ACCESS_TOKEN_LIFETIME. Sockets run the same check at their
handshake, so REST and WebSocket cannot disagree about a token."""

from __future__ import annotations

from typing import Any

from rest_framework import exceptions
from rest_framework.permissions import SAFE_METHODS
from rest_framework.request import Request
from rest_framework_simplejwt.authentication import JWTAuthentication
from rest_framework_simplejwt.exceptions import InvalidToken

from .grants import READ_ONLY, grant_of
from .models import User
from .tokens import TOKEN_NOT_VALID, TokenRejected, authenticate_access


def rest_error(exc: TokenRejected) -> exceptions.AuthenticationFailed:
    """The 401 REST answered with before the check was shared: simplejwt's InvalidToken
    (detail, code, and for a token that does not decode its messages) for the token, DRF's
    plain AuthenticationFailed for a missing or inactive user."""
    if exc.code == TOKEN_NOT_VALID:
        if exc.messages is not None:
            return InvalidToken({"detail": exc.reason, "messages": exc.messages})
        return InvalidToken(exc.reason)
    return exceptions.AuthenticationFailed(exc.reason, code=exc.code)


class SessionJWTAuthentication(JWTAuthentication):
    """`request.auth` is the token's claims (a dict: `request.auth["sid"]`); for a personal
    access token the user carries its grant (accounts.grants).

    A read-only token is refused every unsafe method here, the one place every API request
    passes: a permission class would be dropped by any view that sets its own."""

    def authenticate(self, request: Request) -> tuple[User, dict[str, Any]] | None:
        header = self.get_header(request)
        if header is None:
            return None
        raw = self.get_raw_token(header)
        if raw is None:
            return None
        try:
            user, claims = authenticate_access(raw)
        except TokenRejected as exc:
            raise rest_error(exc) from exc
        grant = grant_of(user)
        if grant is not None and grant.read_only and request.method not in SAFE_METHODS:
            raise exceptions.PermissionDenied(READ_ONLY)
        return user, claims
