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
from collections.abc import Iterable
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from django.db.models import Count, Prefetch, Q, Sum, prefetch_related_objects
from django.urls import reverse
from django.utils import timezone

from .access import abilities
from .models import Board, ChecklistItem, Comment, Label, Membership, Sprint, Status, Task

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


def points(value: Decimal | None) -> int | float | None:
    """Story points as a JSON number: 3, 0.5 or null (not estimated)."""
    if value is None:
        return None
    value = Decimal(str(value))  # an unsaved row may still hold what it was given
    return int(value) if value == value.to_integral_value() else float(value)


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


def board_json(board: Board, *, role: str | None, links: Links, user: Any = None) -> JSON:
    """`user`: the caller, whose token may narrow `can` (access.abilities)."""
    return board_values_json(
        board_values(board), role=role, seq=board.last_seq, created_at=board.created_at,
        links=links, user=user,
    )  # fmt: skip


def board_values_json(
    values: JSON,
    *,
    role: str | None,
    seq: int,
    created_at: dt.datetime,
    links: Links,
    user: Any = None,
) -> JSON:
    """Board JSON from its values: the live board and the board as of a past seq alike."""
    board_id = values["id"]
    return {
        **values,
        "role": role,
        "can": abilities(role, user=user),
        "seq": seq,
        "created_at": stamp(created_at),
        "links": {
            "self": links.api("board-detail", board_id),
            "snapshot": links.api("board-snapshot", board_id),
            "events": links.api("board-events", board_id),
            "channel": links.channel(board_id),
        },
    }


# --- sprints and tasks ---------------------------------------------------------------------


TOTALS = ("points_total", "points_done", "tasks_total", "tasks_done")


def sprint_values(sprint: Sprint) -> JSON:
    """A sprint's facts and its totals at this moment (the totals are derived, but an event
    records them as they were when it happened; a replay recomputes them from its tasks)."""
    return {**sprint_facts(sprint), **sprint_totals(sprint)}


def sprint_facts(sprint: Sprint) -> JSON:
    return {
        "id": sprint.pk,
        "board": sprint.board_id,
        "name": sprint.name,
        "description": sprint.description,
        "start": day(sprint.start),
        "end": day(sprint.end),
        "goal": sprint.goal,
        "state": sprint.state,
        "version": sprint.version,
    }


def totals_from_tasks(tasks: Iterable[JSON]) -> dict[int, JSON]:
    """{sprint id: totals} from task values (the snapshot, live or replayed): no query."""
    sums: dict[int, list[Any]] = {}
    for task in tasks:
        if task["sprint"] is None:
            continue
        row = sums.setdefault(task["sprint"], [Decimal(0), Decimal(0), 0, 0])
        value = Decimal(str(task["points"])) if task.get("points") is not None else Decimal(0)
        done = task["status"] == Status.DONE
        row[0] += value
        row[1] += value if done else 0
        row[2] += 1
        row[3] += 1 if done else 0
    return {sprint: _totals(*row) for sprint, row in sums.items()}


def _totals(p_total: Any, p_done: Any, t_total: int, t_done: int) -> JSON:
    return {
        "points_total": points(Decimal(p_total or 0)),
        "points_done": points(Decimal(p_done or 0)),
        "tasks_total": int(t_total or 0),
        "tasks_done": int(t_done or 0),
    }


EMPTY_TOTALS = _totals(0, 0, 0, 0)


def totals_annotation() -> dict[str, Any]:
    """The totals as queryset annotations (a sprint list costs no query per row)."""
    live = Q(tasks__deleted_at__isnull=True)
    done = live & Q(tasks__status=Status.DONE)
    return {
        "t_points_total": Sum("tasks__points", filter=live),
        "t_points_done": Sum("tasks__points", filter=done),
        "t_tasks_total": Count("tasks", filter=live),
        "t_tasks_done": Count("tasks", filter=done),
    }


def sprint_totals(sprint: Sprint) -> JSON:
    """Totals from `totals_annotation()` when the row was read with it, else one query."""
    if not hasattr(sprint, "t_tasks_total"):
        if sprint.pk is None:
            return dict(EMPTY_TOTALS)
        row = Sprint.objects.filter(pk=sprint.pk).aggregate(**totals_annotation())
        for key, value in row.items():
            setattr(sprint, key, value)
    got: Any = sprint  # annotated above or by the queryset
    return _totals(got.t_points_total, got.t_points_done, got.t_tasks_total, got.t_tasks_done)


def sprint_json(values: JSON, links: Links) -> JSON:
    return {
        **values,
        "links": {
            "self": links.api("sprint-detail", values["id"]),
            "tasks": links.sprint_tasks(values["id"]),
            "channel": links.channel(values["board"]),
        },
    }


def task_counts(task: Task) -> JSON:
    """The card's counters (kept by the comment and checklist services, no query)."""
    return {
        "comments_count": task.comments_count,
        "checklist_total": task.checklist_total,
        "checklist_done": task.checklist_done,
    }


# A card's labels for label_ids: one query for a whole list of tasks, ids only.
LABEL_IDS = Prefetch("labels", queryset=Label.objects.only("id"))


def with_label_ids(tasks: list[Task]) -> list[Task]:
    """Read the labels of many tasks in one query (an event that lists tasks renders each)."""
    prefetch_related_objects(tasks, LABEL_IDS)
    return tasks


def label_ids(task: Task) -> list[int]:
    """The task's label ids, sorted: from the list's prefetch, else one query whose rows stay
    on the task (a write renders it twice: its event's values and its response). Setting the
    labels through the manager drops them again (Django clears a relation's prefetch)."""
    if task.pk is None:
        return []
    if "labels" not in getattr(task, "_prefetched_objects_cache", {}):
        prefetch_related_objects([task], LABEL_IDS)
    return sorted(label.pk for label in task.labels.all())


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
        "points": points(task.points),
        "labels": label_ids(task),
        **task_counts(task),
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
        "points": values.get("points"),
        # Events logged before cards had labels, comments and checklists lack these keys.
        "labels": values.get("labels", []),
        "comments_count": values.get("comments_count", 0),
        "checklist_total": values.get("checklist_total", 0),
        "checklist_done": values.get("checklist_done", 0),
        "version": values["version"],
        "created_at": values["created_at"],
        "updated_at": values["updated_at"],
        "links": {
            "self": links.api("task-detail", values["id"]),
            "sprint": links.api("sprint-detail", values["sprint"]),
            "assigned": links.api("user-detail", values["assigned_id"]),
        },
    }


# --- what a card carries (SPEC section 12) ---------------------------------------------------


def label_values(label: Label) -> JSON:
    return {"id": label.pk, "board": label.board_id, "name": label.name, "color": label.color}


def comment_values(comment: Comment) -> JSON:
    """Comment JSON (the log stores it whole: an edit's old body is the previous event's)."""
    author = comment.author
    return {
        "id": comment.pk,
        "task": comment.task_id,
        "author": user_json(author) if author is not None else None,
        "body": comment.body,
        "mentions": list(comment.mentions),
        "created_at": stamp(comment.created_at),
        "edited_at": stamp(comment.edited_at),
    }


def checklist_item_values(item: ChecklistItem) -> JSON:
    return {
        "id": item.pk,
        "task": item.task_id,
        "text": item.text,
        "done": item.done,
        "order": item.order,
        "version": item.version,
    }


def task_row_json(task: Task, links: Links) -> JSON:
    return task_json(task_values(task), links)


def sprint_row_json(sprint: Sprint, links: Links) -> JSON:
    return sprint_json(sprint_values(sprint), links)


def member_row_json(membership: Membership) -> JSON:
    return member_json(member_values(membership))


def snapshot_json(
    *,
    board: JSON,
    created_at: dt.datetime,
    role: str | None,
    seq: int,
    epoch: str,
    members: list[JSON],
    sprints: list[JSON],
    tasks: list[JSON],
    labels: list[JSON],
    links: Links,
    user: Any = None,
) -> JSON:
    """The snapshot {board, members, sprints, tasks, labels, seq, epoch} from values: the live board
    (selectors.board_snapshot) and the board as of a past seq (board/history/) render here,
    so the two are equal whenever their values are. Sprint totals come from `tasks`."""
    totals = totals_from_tasks(tasks)
    return {
        "board": board_values_json(
            board, role=role, seq=seq, created_at=created_at, links=links, user=user
        ),
        "members": [member_json(m) for m in members],
        "sprints": [
            sprint_json({**_facts_only(x), **totals.get(x["id"], EMPTY_TOTALS)}, links)
            for x in sprints
        ],
        "tasks": [task_json(t, links) for t in tasks],
        "labels": labels,
        "seq": seq,
        "epoch": epoch,
    }


def _facts_only(sprint: JSON) -> JSON:
    return {key: value for key, value in sprint.items() if key not in TOTALS}
