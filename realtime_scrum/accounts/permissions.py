"""DRF permissions about how the caller authenticated (accounts.grants)."""

from __future__ import annotations

from typing import Any

from rest_framework.permissions import BasePermission

from .grants import BOARD_LIMITED, SESSION_ONLY, grant_of


class LoginSessionOnly(BasePermission):
    """Only a login session's JWT: a personal access token cannot mint more tokens, change
    the password or issue the calendar feed, so a leaked one cannot outlive its revocation."""

    message = SESSION_ONLY

    def has_permission(self, request: Any, view: Any) -> bool:
        return bool(request.user and request.user.is_authenticated) and (
            grant_of(request.user) is None
        )


class NotBoardLimited(BasePermission):
    """Refuses a board-limited token where a read spans every board (the inbox)."""

    message = BOARD_LIMITED

    def has_permission(self, request: Any, view: Any) -> bool:
        grant = grant_of(request.user)
        return grant is None or not grant.board_limited
