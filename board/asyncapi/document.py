"""The AsyncAPI 3.0 document of both socket endpoints (`GET /api/asyncapi.json`).

Built from events.py, frames.py and rows.py; the endpoints' client messages are read from
the consumers' own `handlers`, so a frame type a consumer takes without a schema here fails
the build, as an event name without one does (events.py). tests/support/frame_check.py holds
every frame the test suite receives to this document.
"""

from __future__ import annotations

import copy
import functools
from typing import Any

from realtime_scrum.sockets import limits

from ..consumers import BoardConsumer, MeConsumer
from .events import event_messages
from .frames import BOARD_SENDS, ME_SENDS, client_messages, server_messages
from .rows import ROWS

# (code, meaning, what the client should do): docs/realtime.md, "Close codes".
CLOSE_CODES = (
    (limits.CLOSE_PROTOCOL, "too many protocol errors (`error` frames)", "fix the client"),
    (
        limits.CLOSE_AUTH,
        "token missing, invalid, expired or revoked (logout, password change, a deleted "
        "personal access token)",
        "refresh the token and reconnect; on failure log in",
    ),
    (
        limits.CLOSE_FORBIDDEN,
        "not a member, no such board, membership removed, board deleted",
        "do not reconnect",
    ),
    (
        limits.CLOSE_HEARTBEAT,
        "nothing heard from the client for 3 x `heartbeat_s`",
        "reconnect with `since`; send `ping` every `heartbeat_s`",
    ),
    (
        limits.CLOSE_SLOW,
        "the client read too slowly (its unread output passed its bound)",
        "reconnect with `since` and `epoch`",
    ),
    (limits.CLOSE_TOO_BIG, "a frame over 64 KiB", "fix the client"),
    (
        limits.CLOSE_RATE,
        "message rate, or too many open sockets for the user or address",
        "back off, reconnect with `since`",
    ),
    (
        limits.CLOSE_UNAVAILABLE,
        "the database was away when the handshake needed it (a restart)",
        "reconnect with `since` after a pause (1-2 s)",
    ),
)

AUTH = (
    "Authenticate with a JWT access token (`POST /api/auth/login/`) or a personal access token "
    "(`rs_pat_...`, `POST /api/auth/tokens/`), as an `Authorization: Bearer <token>` handshake "
    "header (it then appears in no URL; a header wins over the query) or as `?token=`. The socket "
    "is accepted before it is closed, so a refused client reads its close code."
)


def _close_table() -> str:
    rows = "\n".join(f"| {code} | {meaning} | {todo} |" for code, meaning, todo in CLOSE_CODES)
    return "| code | meaning | what the client should do |\n|---|---|---|\n" + rows


def _messages() -> dict[str, dict[str, Any]]:
    return {**server_messages(), **event_messages(), **client_messages()}


def _channel(
    address: str, summary: str, sends: list[str], takes: list[str], messages: dict[str, Any]
) -> dict[str, Any]:
    unknown = [key for key in sends + takes if key not in messages]
    if unknown:
        raise LookupError(f"{address}: frames without a schema: {unknown}")
    return {
        "address": address,
        "title": address,
        "summary": summary,
        "description": f"{AUTH}\n\nClose codes:\n\n{_close_table()}\n\n1011 is never sent.",
        "messages": {key: {"$ref": f"#/components/messages/{key}"} for key in sends + takes},
        "bindings": {
            "ws": {
                "method": "GET",
                "query": _query(board="board" in address),
                "headers": {
                    "type": "object",
                    "properties": {
                        "Authorization": {
                            "type": "string",
                            "pattern": "^Bearer .+$",
                            "description": "`Bearer <access token or rs_pat_...>`",
                        }
                    },
                },
                "bindingVersion": "0.1.0",
            }
        },
        "x-close-codes": {str(code): meaning for code, meaning, _ in CLOSE_CODES},
    }


def _query(board: bool) -> dict[str, Any]:
    properties: dict[str, Any] = {
        "token": {"type": "string", "description": "Access token, when no header carries it."}
    }
    if board:
        properties["since"] = {
            "type": "string",
            "pattern": "^[0-9]{1,20}$",
            "description": "Replay every event after this seq (from the snapshot or `hello`).",
        }
        properties["epoch"] = {"type": "string", "description": "The epoch `since` came from."}
    return {"type": "object", "properties": properties}


def _operation(action: str, channel: str, keys: list[str], summary: str) -> dict[str, Any]:
    return {
        "action": action,
        "channel": {"$ref": f"#/channels/{channel}"},
        "summary": summary,
        "messages": [{"$ref": f"#/channels/{channel}/messages/{key}"} for key in keys],
    }


@functools.cache
def _document() -> dict[str, Any]:
    messages = _messages()
    events = [key for key in messages if key.startswith("event.")]
    board_sends = [*BOARD_SENDS, *events]
    board_takes, me_takes = list(BoardConsumer.handlers), list(MeConsumer.handlers)
    security = [
        {"$ref": "#/components/securitySchemes/bearer"},
        {"$ref": "#/components/securitySchemes/query"},
    ]
    return {
        "asyncapi": "3.0.0",
        "info": {
            "title": "Realtime Scrum sockets",
            "version": "1.0.0",
            "description": (
                "The WebSocket protocol of the live board (docs/realtime.md). JSON text frames, "
                "one object each, with a string `type`. This document describes the server: "
                "`send` operations are frames it sends, `receive` ones frames it takes.\n\n"
                f"{AUTH}\n\n## Close codes\n\n{_close_table()}"
            ),
        },
        "defaultContentType": "application/json",
        "servers": {
            "site": {
                "host": "{host}",
                "protocol": "wss",
                "description": "The site itself (ws:// on a plain-HTTP development server).",
                "variables": {"host": {"default": "localhost:8000"}},
                "security": security,
            }
        },
        "channels": {
            "board": _channel(
                "/ws/boards/{board_id}/",
                "One board: its events, presence, your notifications.",
                board_sends,
                board_takes,
                messages,
            )
            | {"parameters": {"board_id": {"description": "The board's id."}}},
            "me": _channel(
                "/ws/me/",
                "Your notifications and your boards list's `membership.*` frames.",
                list(ME_SENDS),
                me_takes,
                messages,
            ),
        },
        "operations": {
            "sendBoardFrames": _operation(
                "send", "board", board_sends, "Frames the server sends on a board socket."
            ),
            "receiveBoardFrames": _operation(
                "receive", "board", board_takes, "Frames a board socket takes."
            ),
            "sendMeFrames": _operation("send", "me", list(ME_SENDS), "Frames sent on /ws/me/."),
            "receiveMeFrames": _operation("receive", "me", me_takes, "Frames /ws/me/ takes."),
        },
        "components": {
            "schemas": ROWS,
            "messages": messages,
            "securitySchemes": {
                "bearer": {
                    "type": "http",
                    "scheme": "bearer",
                    "bearerFormat": "JWT access token or rs_pat_ personal access token",
                    "description": "`Authorization: Bearer <token>` on the handshake.",
                },
                "query": {
                    "type": "httpApiKey",
                    "name": "token",
                    "in": "query",
                    "description": "`?token=<token>` (browsers cannot set handshake headers).",
                },
            },
        },
    }


def asyncapi_document() -> dict[str, Any]:
    """A fresh copy: callers may change theirs."""
    return copy.deepcopy(_document())
