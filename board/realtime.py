"""The wire format, in one place: event names, payload builders and the broadcast hook.

Services call `event_append` (board/services/_events.py) inside their transaction; it
schedules `broadcast_event` with transaction.on_commit, so a rolled-back change emits nothing
and listeners never see a row that a reader could not load yet. Protocol: docs/realtime.md.
"""

from __future__ import annotations

import json
import logging
from typing import TYPE_CHECKING, Any

from asgiref.sync import async_to_sync
from channels.layers import get_channel_layer

if TYPE_CHECKING:
    from .models import Board, BoardEvent, Membership, Sprint, Task

log = logging.getLogger(__name__)

BOARD_UPDATED = "board.updated"
MEMBER_ADDED = "member.added"
MEMBER_UPDATED = "member.updated"
MEMBER_REMOVED = "member.removed"
SPRINT_CREATED = "sprint.created"
SPRINT_UPDATED = "sprint.updated"
SPRINT_DELETED = "sprint.deleted"
TASK_CREATED = "task.created"
TASK_UPDATED = "task.updated"
TASK_MOVED = "task.moved"
TASK_DELETED = "task.deleted"

EVENT_NAMES = (
    BOARD_UPDATED,
    MEMBER_ADDED,
    MEMBER_UPDATED,
    MEMBER_REMOVED,
    SPRINT_CREATED,
    SPRINT_UPDATED,
    SPRINT_DELETED,
    TASK_CREATED,
    TASK_UPDATED,
    TASK_MOVED,
    TASK_DELETED,
)


def board_group(board_id: int) -> str:
    return f"board.{board_id}"


def user_group(user_id: int) -> str:
    return f"user.{user_id}"


# --- payloads: the REST serializers without a request, so links are relative paths ------


def task_payload(task: Task) -> dict[str, Any]:
    from .api.serializers import TaskSerializer

    return dict(TaskSerializer(task).data)


def sprint_payload(sprint: Sprint) -> dict[str, Any]:
    from .api.serializers import SprintSerializer

    return dict(SprintSerializer(sprint).data)


def board_payload(board: Board) -> dict[str, Any]:
    """board.updated: what every member may see (no role or links: those are per caller)."""
    return {
        "id": board.pk,
        "name": board.name,
        "description": board.description,
        "owner": board.owner.username,
    }


def member_payload(membership: Membership) -> dict[str, Any]:
    from .api.serializers import MemberSerializer

    return dict(MemberSerializer(membership).data)


def user_payload(user) -> dict[str, Any] | None:
    if user is None:
        return None
    return {"id": user.pk, "username": user.username, "full_name": user.full_name}


def event_body(event: BoardEvent) -> dict[str, Any]:
    """The event as REST serves it; the WebSocket frame adds `type: "event"`."""
    actor = event.actor
    return {
        "seq": event.seq,
        "name": event.name,
        "data": event.data,
        "actor": {"id": actor.pk, "username": actor.username} if actor else None,
        "client_op_id": event.client_op_id or None,
        "at": event.created_at.isoformat().replace("+00:00", "Z"),
    }


def event_frame(event: BoardEvent) -> dict[str, Any]:
    return {"type": "event", **event_body(event)}


def frame_text(frame: dict[str, Any]) -> str:
    """The one JSON encoding of a frame (compact, `type` first: clients may sniff it)."""
    return json.dumps(frame, separators=(",", ":"))


def event_message(frame: dict[str, Any]) -> dict[str, Any]:
    """The group message of an event frame, serialized once here rather than once per
    socket: at N sockets that is N json.dumps calls of the same dict per event."""
    return {"type": "board.event", "seq": frame["seq"], "text": frame_text(frame)}


def broadcast_event(event: BoardEvent) -> None:
    """Send one committed event to every socket on its board (on_commit callback only)."""
    _group_send(board_group(event.board_id), event_message(event_frame(event)))


def _group_send(group: str, message: dict[str, Any]) -> None:
    layer = get_channel_layer()
    if layer is None:
        return
    try:
        async_to_sync(layer.group_send)(group, message)
    except Exception:
        # The change is committed and logged; sockets recover it by resuming from seq.
        log.exception("group_send to %s failed", group)


def member_removed(board_id: int, user_id: int) -> None:
    """Tell that user's sockets on this board to close with 4403 (on_commit callback)."""
    _group_send(board_group(board_id), {"type": "board.member_removed", "user_id": user_id})


def board_deleted(board_id: int) -> None:
    """Every socket on a deleted board closes with 4403 (on_commit callback)."""
    _group_send(board_group(board_id), {"type": "board.deleted"})


def session_group(session_id: str) -> str:
    return f"session.{session_id}"


def sockets_close_session(session_id: str) -> None:
    """Close every socket opened with a token of this session (4401): logout, revocation."""
    _group_send(session_group(session_id), {"type": "auth.revoked"})


def sockets_close_user(user_id: int, except_session: str | None = None) -> None:
    """Close every socket of this user (4401): password change/reset, deactivation.

    Password change keeps the caller's own session: its sockets get `except_session` and the
    consumer leaves a socket of that session open."""
    _group_send(user_group(user_id), {"type": "auth.revoked", "except_session": except_session})


def push_to_user(user_id: int, frame: dict[str, Any]) -> None:
    """Deliver a personal frame (e.g. `notification`) to every open socket of a user."""
    _group_send(user_group(user_id), {"type": "user.frame", "frame": frame})


def push_to_users(pushes: list[tuple[int, dict[str, Any]]]) -> None:
    """push_to_user for many users in one async_to_sync call.

    Each async_to_sync from a plain thread starts a thread and an event loop, and the Redis
    layers keep a connection pool per loop: the digest's 2,000 pushes one by one took 7 s of
    a 15 s B7 run (a new Redis connection each). One loop here, one connection."""
    layer = get_channel_layer()
    if layer is None or not pushes:
        return

    async def send_all() -> None:
        for user_id, frame in pushes:
            try:
                await layer.group_send(user_group(user_id), {"type": "user.frame", "frame": frame})
            except Exception:
                log.exception("push to user %s failed", user_id)

    async_to_sync(send_all)()


def notification_frame(notification) -> dict[str, Any]:
    """The `notification` frame: {id, kind, title, data} (kind `due_today` from the digest)."""
    return {
        "type": "notification",
        "id": notification.pk,
        "kind": notification.kind,
        "title": notification.title,
        "data": notification.data,
    }
