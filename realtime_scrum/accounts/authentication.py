"""REST authentication: simplejwt's access-token check plus the session check.

simplejwt's blacklist covers refresh tokens only; without the session check an access token
outlives its logout by up to ACCESS_TOKEN_LIFETIME. The session state and the user come from
one cache read (sessions.session_user); inactive users are refused as simplejwt refuses them."""

from __future__ import annotations

from rest_framework_simplejwt.authentication import JWTAuthentication
from rest_framework_simplejwt.tokens import Token

from .models import User
from .sessions import session_user


class SessionJWTAuthentication(JWTAuthentication):
    def get_user(self, validated_token: Token) -> User:
        return session_user(validated_token.payload)
