"""What a personal access token lets its request do, carried on the user object.

Authentication (accounts.api_tokens) sets `user.token_grant` on a token's user; a login
session's user has none. The access rule (board/access.py) narrows to the grant's boards and
REST authentication refuses unsafe methods to a read grant, so every read and write path that
derives from them follows without knowing tokens exist.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

ATTRIBUTE = "token_grant"
SESSION_PREFIX = "pat-"  # a token's socket session id: channel group names allow no ":"

SESSION_ONLY = (
    "A personal access token cannot do this (manage tokens, change the password, issue the "
    "calendar feed): sign in with your password."
)
READ_ONLY = "This personal access token is read-only."
BOARD_LIMITED = "A board-limited personal access token cannot read this: it spans every board."


@dataclass(frozen=True)
class TokenGrant:
    token_id: int
    scope: str  # "read" | "write"
    board_ids: frozenset[int] | None  # None: every board of the user

    @property
    def read_only(self) -> bool:
        return self.scope != "write"

    @property
    def board_limited(self) -> bool:
        return self.board_ids is not None

    def allows_board(self, board_id: int) -> bool:
        return self.board_ids is None or board_id in self.board_ids


def grant_of(user: Any) -> TokenGrant | None:
    """The token grant the request's user carries, or None (a login session, anonymous)."""
    return getattr(user, ATTRIBUTE, None)


def token_session_id(token_id: int) -> str:
    """The socket session id of a token: its revocation closes `session.<this>` (4401)."""
    return f"{SESSION_PREFIX}{token_id}"
