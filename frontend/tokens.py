"""Refresh-token operations behind the page's cookie session.

Kept apart from the views so the session rules live in one place: the page never keeps a
refresh token in JavaScript, it hands the one it got from login/signup to the server, which
rotates it (the seen one is dead at once) and keeps the new one in an HttpOnly cookie."""

from __future__ import annotations

import contextlib
from dataclasses import dataclass

from django.contrib.auth import get_user_model
from rest_framework_simplejwt.exceptions import TokenError
from rest_framework_simplejwt.serializers import TokenRefreshSerializer
from rest_framework_simplejwt.settings import api_settings
from rest_framework_simplejwt.tokens import AccessToken, RefreshToken


class SessionInvalid(Exception):
    """The refresh token is missing, malformed, expired, rotated away or revoked."""


@dataclass(frozen=True)
class Pair:
    access: str
    refresh: str


def rotate(raw_refresh: str) -> Pair:
    """Swap a refresh token for a new pair; the old refresh is blacklisted (rotation)."""
    serializer = TokenRefreshSerializer(data={"refresh": raw_refresh})
    try:
        serializer.is_valid(raise_exception=True)
    except Exception as exc:  # InvalidToken, ValidationError, revoked session: all the same here
        raise SessionInvalid(str(exc)) from exc
    data = serializer.validated_data
    return Pair(access=data["access"], refresh=data.get("refresh", raw_refresh))


def end(raw_refresh: str) -> None:
    """Logout: the refresh token stops working (best effort: a dead token is already dead)."""
    with contextlib.suppress(TokenError):
        RefreshToken(raw_refresh).blacklist()


def user_of(access: str) -> dict:
    user_id = AccessToken(access)[api_settings.USER_ID_CLAIM]
    user = get_user_model().objects.get(pk=user_id)
    return {"id": user.pk, "username": user.username, "full_name": user.full_name}
