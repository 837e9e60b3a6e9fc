"""The wire format, in one place: event names, payload builders and the broadcast hook.

Services call `event_append` (board/services/_events.py) inside their transaction; it
schedules `broadcast_event` with transaction.on_commit, so a rolled-back change emits nothing
and listeners never see a row that a reader could not load yet. Protocol: docs/realtime.md.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from django.db import transaction

from realtime_scrum import metrics
from realtime_scrum.sockets import groups
from realtime_scrum.sockets.frames import frame_text

from . import representation
from .representation import JSON, RELATIVE, Links

if TYPE_CHECKING:
    from .models import BoardEvent

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
TASK_RESTORED = "task.restored"
SPRINT_STARTED = "sprint.started"
SPRINT_CLOSED = "sprint.closed"
SPRINT_PLANNED = "sprint.planned"
LABEL_CREATED = "label.created"
LABEL_UPDATED = "label.updated"
LABEL_DELETED = "label.deleted"
COMMENT_CREATED = "comment.created"
COMMENT_UPDATED = "comment.updated"
COMMENT_DELETED = "comment.deleted"
CHECKLIST_ITEM_CREATED = "checklist_item.created"
CHECKLIST_ITEM_UPDATED = "checklist_item.updated"
CHECKLIST_ITEM_DELETED = "checklist_item.deleted"

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
    TASK_RESTORED,
    SPRINT_STARTED,
    SPRINT_CLOSED,
    SPRINT_PLANNED,
    LABEL_CREATED,
    LABEL_UPDATED,
    LABEL_DELETED,
    COMMENT_CREATED,
    COMMENT_UPDATED,
    COMMENT_DELETED,
    CHECKLIST_ITEM_CREATED,
    CHECKLIST_ITEM_UPDATED,
    CHECKLIST_ITEM_DELETED,
)
CARD_EVENTS = frozenset(
    {
        COMMENT_CREATED,
        COMMENT_UPDATED,
        COMMENT_DELETED,
        CHECKLIST_ITEM_CREATED,
        CHECKLIST_ITEM_UPDATED,
        CHECKLIST_ITEM_DELETED,
    }
)
# An undo is an ordinary event whose data also carries `"reverts": <seq it undoes>`.
REVERTS = "reverts"


def board_group(board_id: int) -> str:
    return f"board.{board_id}"


# --- payloads: the log stores domain values (board/representation.py); a frame derives
# links and labels from them when it is built, the same way for every reader --------------

task_payload = representation.task_values
sprint_payload = representation.sprint_values
board_payload = representation.board_values
member_payload = representation.member_values


label_payload = representation.label_values


def card_payload(values: JSON, task: Any, **extra: Any) -> JSON:
    """A comment or checklist event's data: the row's values (or {id, task} for a deletion)
    and the card's counters after the change, which the page and the replay take as they
    are (a client that never loaded the card's comments still shows the right count)."""
    return {**values, "counts": representation.task_counts(task), **extra}


def tasks_touched(name: str, data: JSON) -> list[int]:
    """The tasks whose history an event is part of (board.models.EventTask): the card's
    activity reads them. A sibling renumbered by a move only changes its order: not listed."""
    if name in (TASK_CREATED, TASK_UPDATED, TASK_DELETED, TASK_RESTORED):
        return [data["id"]]
    if name == TASK_MOVED:
        return [data["task"]["id"]]
    if name in CARD_EVENTS:
        return [data["task"]]
    key = {
        SPRINT_STARTED: "tasks",
        SPRINT_PLANNED: "tasks",
        SPRINT_CLOSED: "carried",
        SPRINT_DELETED: "tasks",
    }.get(name)
    if key is not None:
        return [task["id"] for task in data.get(key, [])]
    if name == MEMBER_REMOVED:
        return list(data.get("unassigned", []))
    if name == LABEL_DELETED:
        return list(data.get("tasks", []))
    return []


def user_payload(user: Any) -> dict[str, Any] | None:
    return None if user is None else representation.user_json(user)


def _render_task_moved(data: JSON, links: Links) -> JSON:
    return {**data, "task": representation.task_json(data["task"], links)}


def _render_sprint_deleted(data: JSON, links: Links) -> JSON:
    return {**data, "tasks": [representation.task_json(t, links) for t in data["tasks"]]}


def _render_sprint_with(key: str) -> Callable[[JSON, Links], JSON]:
    """sprint.started/closed/planned: {sprint, ...} with the task list under `key` rendered."""

    def render(data: JSON, links: Links) -> JSON:
        out = {**data, "sprint": representation.sprint_json(data["sprint"], links)}
        if key in data:
            out[key] = [representation.task_json(t, links) for t in data[key]]
        return out

    return render


# How each event's stored data becomes the `data` of its frame; names not listed carry it as
# stored (board.updated, member.removed, task.deleted).
_RENDER: dict[str, Callable[[JSON, Links], JSON]] = {
    TASK_CREATED: representation.task_json,
    TASK_UPDATED: representation.task_json,
    TASK_MOVED: _render_task_moved,
    TASK_RESTORED: representation.task_json,
    SPRINT_STARTED: _render_sprint_with("tasks"),
    SPRINT_CLOSED: _render_sprint_with("carried"),
    SPRINT_PLANNED: _render_sprint_with("tasks"),
    SPRINT_CREATED: representation.sprint_json,
    SPRINT_UPDATED: representation.sprint_json,
    SPRINT_DELETED: _render_sprint_deleted,
    MEMBER_ADDED: lambda data, links: representation.member_json(data),
    MEMBER_UPDATED: lambda data, links: representation.member_json(data),
}


def event_data(name: str, data: JSON) -> JSON:
    render = _RENDER.get(name)
    if render is None:
        return data
    out = render(data, RELATIVE)
    if REVERTS in data:
        out[REVERTS] = data[REVERTS]  # row renderers build their keys afresh
    return out


def event_body(event: BoardEvent) -> dict[str, Any]:
    """The event as REST serves it; the WebSocket frame adds `type: "event"`. Links in it are
    relative paths: one text for every socket and every REST reader."""
    actor = event.actor
    return {
        "seq": event.seq,
        "name": event.name,
        "data": event_data(event.name, event.data),
        "actor": {"id": actor.pk, "username": actor.username} if actor else None,
        "client_op_id": event.client_op_id or None,
        "at": representation.stamp(event.created_at),
    }


def event_frame(event: BoardEvent) -> dict[str, Any]:
    return {"type": "event", **event_body(event)}


def removed_user(name: str, data: dict[str, Any]) -> int | None:
    """The user a `member.removed` event takes off its board: their sockets close at it."""
    if name != MEMBER_REMOVED:
        return None
    user = data.get("user") or {}
    return user.get("id")


def event_message(frame: dict[str, Any], removes: int | None = None) -> dict[str, Any]:
    """The group message of an event frame, serialized once here rather than once per
    socket: at N sockets that is N json.dumps calls of the same dict per event."""
    return {
        "type": "board.event",
        "seq": frame["seq"],
        "text": frame_text(frame),
        "removes": removes,
    }


def broadcast_event(event: BoardEvent) -> None:
    """Send one committed event to every socket on its board (on_commit callback only).
    A failed send is logged once per outage: sockets read the event from the log."""
    message = event_message(event_frame(event), removed_user(event.name, event.data))
    # One line per committed change; in JSON logs it carries the request's id (the REST
    # call that made it: realtime_scrum/request_id.py), the frame never does.
    log.info("board %s: event %s %s broadcast", event.board_id, event.seq, event.name)
    metrics.EVENTS_BROADCAST.inc()
    groups.send_sync(board_group(event.board_id), message)


def board_deleted(board_id: int) -> None:
    """Every socket on a deleted board closes with 4403 (on_commit callback)."""
    groups.send_sync(board_group(board_id), {"type": "board.deleted"})


def notification_frame(notification) -> dict[str, Any]:
    """The `notification` frame: {id, kind, title, data} (kind `due_today` from the digest)."""
    return {
        "type": "notification",
        "id": notification.pk,
        "kind": notification.kind,
        "title": notification.title,
        "data": notification.data,
    }


# --- personal frames about the user's boards (docs/realtime.md, "Your boards") ------------

MEMBERSHIP_ADDED = "membership.added"
MEMBERSHIP_UPDATED = "membership.updated"
MEMBERSHIP_REMOVED = "membership.removed"
# They keep a boards list current, so only pages that show one (/ws/me/) get them: on a
# board socket the board's own events say the same, and a removal closes it with 4403.
BOARDS_LIST_FRAMES = frozenset({MEMBERSHIP_ADDED, MEMBERSHIP_UPDATED, MEMBERSHIP_REMOVED})
REMOVED_BY_OWNER, LEFT, BOARD_GONE = "removed", "left", "deleted"


def membership_frame(kind: str, board: Any, role: str) -> dict[str, Any]:
    """`membership.added|updated` {board}: the Board JSON the user's GET would return."""
    return {"type": kind, "board": representation.board_json(board, role=role, links=RELATIVE)}


def membership_removed_frame(board: Any, actor: Any, reason: str) -> dict[str, Any]:
    """`membership.removed` {board {id, name}, reason, actor}: the user no longer sees it."""
    return {
        "type": MEMBERSHIP_REMOVED,
        "board": {"id": board.pk, "name": board.name},
        "reason": reason,
        "actor": {"id": actor.pk, "username": actor.username} if actor else None,
    }


def push_on_commit(pushes: list[tuple[int, dict[str, Any]]]) -> None:
    """Send personal frames once the change they announce has committed (nothing on a
    rollback). Lost if the layer is away: a reloaded list reads the truth."""
    if pushes:
        transaction.on_commit(lambda: groups.push_to_users(pushes))
