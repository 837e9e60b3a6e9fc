"""The protocol's own frames (realtime_scrum/sockets/protocol.py, board/consumers/, board/live/,
board/realtime.py) as AsyncAPI messages, and which endpoint sends or takes each.

A message is keyed by its frame's `type` (event frames by `event.<name>`, events.py); where the
two endpoints send different shapes under one type (`hello`, `heartbeat`) each has its own key.
"""

from __future__ import annotations

from typing import Any

from board.live.presence import MODES

from .rows import EPOCH, ID, SEQ, TEXT, Schema, array, nullable, obj, ref

# `error` codes the server sends (ProtocolError codes, `unavailable` while the database is
# away: retry the frame later, and `internal` for a handler's bug).
ERROR_CODES = (
    "bad_json",
    "bad_frame",
    "unknown_type",
    "bad_since",
    "bad_epoch",
    "bad_focus",
    "bad_token",
    "unavailable",
    "internal",
)
# Not an enum: a new kind must not break clients, which show a notification by its title.
NOTIFICATION_KINDS = "due_today, mention, task_activity, webhook_disabled"
HELLO_USER = obj({"id": ID, "username": TEXT})
HEARTBEAT_S = {"type": "number", "exclusiveMinimum": 0}
OPTIONAL = "optional"  # a marker for frame() only; it never reaches the document


def frame(type_: str, summary: str, /, closed: bool = True, **fields: Any) -> dict[str, Any]:
    """A message whose payload is {type: type_, **fields}. Server frames are closed objects
    (a key the document lacks fails the frame check); client frames may carry more (the
    server ignores unknown keys)."""
    optional = tuple(key for key, value in fields.items() if value.get(OPTIONAL))
    fields = {
        key: {k: v for k, v in value.items() if k != OPTIONAL} for key, value in fields.items()
    }
    payload = obj({"type": {"type": "string", "const": type_}, **fields}, optional=optional)
    if not closed:
        payload.pop("additionalProperties")
    return {"name": type_, "title": type_, "summary": summary, "payload": payload}


def optional(schema: Schema) -> Schema:
    return {**schema, OPTIONAL: True}


def server_messages() -> dict[str, dict[str, Any]]:
    presence_users = array(ref("PresenceUser"))
    return {
        "board.hello": frame(
            "hello",
            "The first frame on a board socket: where the socket starts, who you are there.",
            board=ID,
            seq=SEQ,
            epoch=EPOCH,
            user=HELLO_USER,
            role=ref("Role"),
            can=ref("Abilities"),
            heartbeat_s=HEARTBEAT_S,
            presence=presence_users,
        ),
        "me.hello": frame(
            "hello", "The first frame on /ws/me/.", user=HELLO_USER, heartbeat_s=HEARTBEAT_S
        ),
        "board.heartbeat": frame(
            "heartbeat",
            "Every `heartbeat_s`: the last seq this socket was sent.",
            seq=SEQ,
        ),
        "me.heartbeat": frame("heartbeat", "Every `heartbeat_s`."),
        "resync_required": frame(
            "resync_required",
            "`since` cannot be replayed (pruned, ahead of the board, another epoch, or too "
            "far behind): load the snapshot and continue from its seq.",
            seq=SEQ,
            epoch=EPOCH,
        ),
        "presence": frame(
            "presence",
            "Who is on the board, what they focus, whether they edit it.",
            users=presence_users,
        ),
        "notification": frame(
            "notification",
            f"A personal push on every socket of yours; `kind` one of {NOTIFICATION_KINDS} "
            "(more may come). An `id` you already hold is that notification grown: replace it.",
            id=ID,
            kind={"type": "string", "examples": NOTIFICATION_KINDS.split(", ")},
            title=TEXT,
            data={"type": "object", "description": "By kind: docs/realtime.md, Notifications."},
        ),
        "membership.added": frame(
            "membership.added",
            "You were added to a board, or created one.",
            board=ref("Board"),
        ),
        "membership.updated": frame(
            "membership.updated", "Your role on a board changed.", board=ref("Board")
        ),
        "membership.removed": frame(
            "membership.removed",
            "You no longer see a board.",
            board=obj({"id": ID, "name": TEXT}),
            reason={"type": "string", "enum": ["removed", "left", "deleted"]},
            actor=nullable(ref("Actor")),
        ),
        "pong": frame("pong", "The answer to `ping`."),
        "error": frame(
            "error",
            "Your frame was malformed; the socket stays open (4400 after too many).",
            code={"type": "string", "enum": list(ERROR_CODES)},
            detail=TEXT,
        ),
    }


def client_messages() -> dict[str, dict[str, Any]]:
    return {
        "ping": frame("ping", "Send one every `heartbeat_s`: answered by `pong`.", closed=False),
        "auth.refresh": frame(
            "auth.refresh",
            "Move the socket's expiry to a fresh token's `exp` (same user); a bad one closes "
            "4401, a lost membership 4403.",
            closed=False,
            token={**TEXT, "minLength": 1},
        ),
        "resume": frame(
            "resume",
            "Replay every event after `since`, then continue live (access is checked again).",
            closed=False,
            since=SEQ,
            epoch=optional(EPOCH),
        ),
        "focus": frame(
            "focus",
            'Your presence entry: the card you look at; `mode` "edit" (needs a `task`) says '
            "your dialog is changing it (recorded as view for readers).",
            closed=False,
            task=nullable(ID),
            mode=optional({"type": "string", "enum": list(MODES), "default": "view"}),
        ),
    }


# Which messages each endpoint sends (server -> client) and takes (client -> server).
BOARD_SENDS = (
    "board.hello",
    "board.heartbeat",
    "resync_required",
    "presence",
    "notification",
    "pong",
    "error",
)
ME_SENDS = (
    "me.hello",
    "me.heartbeat",
    "notification",
    "membership.added",
    "membership.updated",
    "membership.removed",
    "pong",
    "error",
)
BOARD_TAKES = ("ping", "auth.refresh", "resume", "focus")
ME_TAKES = ("ping", "auth.refresh")
