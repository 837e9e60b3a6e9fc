"""Rows in, JSON out: the one place a board, member, sprint or task becomes JSON.

Two forms of each row:
- `*_values(row)`: the facts, JSON-ready. The event log stores these and only these: no URL
  and no display label, so renaming a route or a label never rewrites history.
- `*_json(values, links)`: what REST responses, socket frames and the snapshot carry: the
  values plus what is derived from them (`status_display`, `links`, `can`).

Imports only models and the access rule: services, selectors, realtime and api all use it.
"""

from __future__ import annotations

import datetime as dt
import functools
from dataclasses import dataclass
from typing import Any

from django.urls import reverse
from django.utils import timezone

from .access import abilities
from .models import Board, Membership, Sprint, Status, Task

JSON = dict[str, Any]
STATUS_LABELS = {int(status.value): str(status.label) for status in Status}
_PK_MARK = 987654321987


@functools.cache
def _route(name: str) -> str:
    """The path of route `name` with a `{pk}` slot, resolved once per process."""
    return reverse(name, args=[_PK_MARK]).replace(str(_PK_MARK), "{pk}")


@dataclass(frozen=True)
class Links:
    """Where links point: absolute URLs for a REST response (`for_request`), relative paths in
    event frames and the log's REST view (`RELATIVE`), which are the same for every reader."""

    origin: str = ""
    ws_origin: str = ""

    @classmethod
    def for_request(cls, request: Any) -> Links:
        if request is None:
            return RELATIVE
        scheme = "wss" if request.is_secure() else "ws"
        return cls(request.build_absolute_uri("/")[:-1], f"{scheme}://{request.get_host()}")

    def api(self, route: str, pk: int | None) -> str | None:
        return None if pk is None else self.origin + _route(route).format(pk=pk)

    def channel(self, board_id: int) -> str:
        return f"{self.ws_origin}/ws/boards/{board_id}/"

    def sprint_tasks(self, sprint_id: int) -> str:
        return f"{self.origin}{reverse('task-list')}?sprint={sprint_id}"


RELATIVE = Links()


def stamp(value: dt.datetime | None) -> str | None:
    """ISO 8601 in the server's time zone, "Z" for UTC: what DRF's DateTimeField writes."""
    if value is None:
        return None
    text = timezone.localtime(value, timezone.get_default_timezone()).isoformat()
    return text[:-6] + "Z" if text.endswith("+00:00") else text


def day(value: dt.date | None) -> str | None:
    return value.isoformat() if value is not None else None


# --- users, members, boards ----------------------------------------------------------------


def user_json(user: Any) -> JSON:
    return {"id": user.pk, "username": user.username, "full_name": user.full_name}


def member_values(membership: Membership) -> JSON:
    return {
        "user": user_json(membership.user),
        "role": membership.role,
        "joined_at": stamp(membership.joined_at),
    }


def member_json(values: JSON) -> JSON:
    return {**values, "can": abilities(values["role"])}


def board_values(board: Board) -> JSON:
    """What every member may see of a board (no role or links: those are per caller)."""
    return {
        "id": board.pk,
        "name": board.name,
        "description": board.description,
        "owner": board.owner.username,
        "timezone": board.timezone,
    }


def board_json(board: Board, *, role: str | None, links: Links) -> JSON:
    return {
        **board_values(board),
        "role": role,
        "can": abilities(role),
        "seq": board.last_seq,
        "created_at": stamp(board.created_at),
        "links": {
            "self": links.api("board-detail", board.pk),
            "snapshot": links.api("board-snapshot", board.pk),
            "events": links.api("board-events", board.pk),
            "channel": links.channel(board.pk),
        },
    }


# --- sprints and tasks ---------------------------------------------------------------------


def sprint_values(sprint: Sprint) -> JSON:
    return {
        "id": sprint.pk,
        "board": sprint.board_id,
        "name": sprint.name,
        "description": sprint.description,
        "end": day(sprint.end),
        "version": sprint.version,
    }


def sprint_json(values: JSON, links: Links) -> JSON:
    return {
        **values,
        "links": {
            "self": links.api("sprint-detail", values["id"]),
            "tasks": links.sprint_tasks(values["id"]),
            "channel": links.channel(values["board"]),
        },
    }


def task_values(task: Task) -> JSON:
    """A task's facts. `assigned_id` is kept beside the username: the user link needs it."""
    assigned = task.assigned  # None without a query when unassigned
    return {
        "id": task.pk,
        "board": task.board_id,
        "sprint": task.sprint_id,
        "name": task.name,
        "description": task.description,
        "status": int(task.status),
        "order": task.order,
        "assigned": assigned.username if assigned is not None else None,
        "assigned_id": task.assigned_id,
        "started": day(task.started),
        "due": day(task.due),
        "completed": day(task.completed),
        "version": task.version,
        "created_at": stamp(task.created_at),
        "updated_at": stamp(task.updated_at),
    }


def task_json(values: JSON, links: Links) -> JSON:
    """Task JSON (SPEC section 4) from `task_values`, key order included."""
    return {
        "id": values["id"],
        "board": values["board"],
        "sprint": values["sprint"],
        "name": values["name"],
        "description": values["description"],
        "status": values["status"],
        "status_display": STATUS_LABELS[values["status"]],
        "order": values["order"],
        "assigned": values["assigned"],
        "started": values["started"],
        "due": values["due"],
        "completed": values["completed"],
        "version": values["version"],
        "created_at": values["created_at"],
        "updated_at": values["updated_at"],
        "links": {
            "self": links.api("task-detail", values["id"]),
            "sprint": links.api("sprint-detail", values["sprint"]),
            "assigned": links.api("user-detail", values["assigned_id"]),
        },
    }


def task_row_json(task: Task, links: Links) -> JSON:
    return task_json(task_values(task), links)


def sprint_row_json(sprint: Sprint, links: Links) -> JSON:
    return sprint_json(sprint_values(sprint), links)


def member_row_json(membership: Membership) -> JSON:
    return member_json(member_values(membership))
