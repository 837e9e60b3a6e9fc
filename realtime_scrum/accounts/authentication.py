"""REST authentication: simplejwt's access-token check plus the session check.

simplejwt's blacklist covers refresh tokens only; without this an access token outlives its
logout by up to ACCESS_TOKEN_LIFETIME. Inactive users are refused by simplejwt's get_user."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _
from rest_framework_simplejwt.authentication import JWTAuthentication
from rest_framework_simplejwt.exceptions import InvalidToken
from rest_framework_simplejwt.tokens import Token

from .sessions import access_token_is_revoked


class SessionJWTAuthentication(JWTAuthentication):
    def get_validated_token(self, raw_token: bytes) -> Token:
        token = super().get_validated_token(raw_token)
        if access_token_is_revoked(token.payload):
            raise InvalidToken(_("This session has ended. Log in again."))
        return token
