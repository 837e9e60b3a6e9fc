"""Refresh-token operations behind the page's cookie session.

Kept apart from the views so the session rules live in one place: the page never keeps a
refresh token in JavaScript, it hands the one it got from login/signup to the server, which
rotates it (the seen one is dead at once) and keeps the new one in an HttpOnly cookie.
Rotation and logout are the accounts' own session functions, so a cookie session is revoked
(and its sockets closed) exactly like any other login session."""

from __future__ import annotations

import contextlib
from dataclasses import dataclass

from django.contrib.auth import get_user_model
from rest_framework.exceptions import APIException
from rest_framework_simplejwt.settings import api_settings
from rest_framework_simplejwt.tokens import AccessToken

from realtime_scrum.accounts.sessions import session_logout, session_refresh


class SessionInvalid(Exception):
    """The refresh token is missing, malformed, expired, rotated away or revoked."""


@dataclass(frozen=True)
class Pair:
    access: str
    refresh: str


def rotate(raw_refresh: str) -> Pair:
    """Swap a refresh token for a new pair of the same session; the old one is spent."""
    try:
        issued = session_refresh(raw_refresh=raw_refresh)
    except APIException as exc:  # InvalidToken: bad, expired, blacklisted or revoked
        raise SessionInvalid(str(exc)) from exc
    return Pair(access=issued.access, refresh=issued.refresh)


def end(raw_refresh: str) -> None:
    """Logout: the session ends (tokens and sockets); a dead token is already dead."""
    with contextlib.suppress(APIException):
        session_logout(raw_refresh=raw_refresh)


def user_of(access: str) -> dict:
    user_id = AccessToken(access)[api_settings.USER_ID_CLAIM]
    user = get_user_model().objects.get(pk=user_id)
    return {"id": user.pk, "username": user.username, "full_name": user.full_name}
