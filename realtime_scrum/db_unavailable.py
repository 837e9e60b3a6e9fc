"""The database away (MariaDB restarting, a failover, a cut network): an expected outage, not
a bug. REST answers 503 JSON with Retry-After instead of a 500 page and a traceback; sockets
close with 4503 (reconnect with `since` after a pause) or get an `unavailable` error frame.

One classification for every layer: DRF views (board/api/errors.py), plain Django views (the
middleware here), socket handshakes and frames (realtime_scrum/sockets/protocol.py,
accounts/ws_auth.py). Nothing is half-written either way: every write is one transaction
(board/services/), which the server rolls back when the connection dies before COMMIT.
"""

from __future__ import annotations

import logging
from typing import Any

from django.db import InterfaceError, OperationalError
from django.http import HttpResponseBase, JsonResponse

from .compression import HybridMiddleware

log = logging.getLogger(__name__)

# MySQL/MariaDB error numbers that say the server cannot be reached or dropped the
# connection, as opposed to a statement it refused. Django re-raises the driver's error as its
# own OperationalError with the same args, so args[0] is the number.
GONE_CODES = frozenset(
    {
        1040,  # ER_CON_COUNT_ERROR: too many connections (a restart's reconnect storm)
        1053,  # ER_SERVER_SHUTDOWN: a clean shutdown under way
        1927,  # ER_CONNECTION_KILLED (MariaDB): the connection was killed, e.g. at shutdown
        2002,  # CR_CONNECTION_ERROR: nothing on the socket
        2003,  # CR_CONN_HOST_ERROR: nothing on host:port (refused)
        2006,  # CR_SERVER_GONE_ERROR: the server went away
        2013,  # CR_SERVER_LOST: lost during a query
        2055,  # CR_SERVER_LOST_EXTENDED
        4031,  # ER_CLIENT_INTERACTION_TIMEOUT (MySQL 8): the server closed an idle connection
    }
)
RETRY_AFTER_S = 2
CODE = "database_unavailable"
DETAIL = "The database is unavailable for a moment. Retry shortly."


def is_unavailable(exc: BaseException) -> bool:
    """True when `exc` means the database server is not there, not that a query is wrong.
    InterfaceError is the driver refusing a connection that already died."""
    if isinstance(exc, InterfaceError):
        return True
    if isinstance(exc, OperationalError):
        code = exc.args[0] if exc.args else None
        return isinstance(code, int) and code in GONE_CODES
    return False


def body() -> dict[str, str]:
    return {"detail": DETAIL, "code": CODE}


def headers() -> dict[str, str]:
    return {"Retry-After": str(RETRY_AFTER_S)}


def note(what: str, exc: BaseException) -> None:
    """One line per refused request or socket: an outage is visible, but as what it is."""
    log.warning("database unavailable: %s (%s: %s)", what, type(exc).__name__, exc)


def logged(response: HttpResponseBase, request: Any, exc: BaseException) -> HttpResponseBase:
    """The 503 with our one WARNING line, instead of Django's "ERROR Service Unavailable"
    that every 5xx gets (django.utils.log.log_response skips a response marked logged)."""
    what = f"{request.method} {request.path}" if request is not None else "a request"
    note(f"{what} answered 503", exc)
    response._has_been_logged = True  # type: ignore[attr-defined]
    return response


def response(request: Any, exc: BaseException) -> HttpResponseBase:
    return logged(JsonResponse(body(), status=503, headers=headers()), request, exc)


class DatabaseUnavailableMiddleware(HybridMiddleware):
    """503 JSON for a view outside DRF (the page's session endpoints, /readyz, admin) whose
    database call found the server gone. DRF views answer through their exception handler
    first (board/api/errors.py), with the same body."""

    def __call__(self, request):
        return self.get_response(request)  # a coroutine under daphne: returned as is

    def process_exception(self, request, exception):
        if is_unavailable(exception):
            return response(request, exception)
        return None
