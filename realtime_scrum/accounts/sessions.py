"""Login sessions and their revocation (contract shared by REST auth and WebSockets).

Every token pair carries a session id claim (`sid`). Revoking a session or all of a user's
sessions must make their access tokens fail at once on REST and WebSocket, and close their
open sockets (4401) within 2 s, through board.realtime.sockets_close_session/_user.

This module is the foundation's stub; the accounts issue fills it in.
"""

from __future__ import annotations

from typing import Any

SESSION_CLAIM = "sid"


def access_token_is_revoked(payload: dict[str, Any]) -> bool:
    """True if the access token's session (or every session of its user) was revoked.

    Must be cheap (a cache lookup, no database query): REST calls it on every request and
    sockets on connect and on `auth.refresh`."""
    return False
