"""Rows in, the export document out: the one place a board becomes `realtime-scrum/1`.

The document names things the way a person does (members and authors by username, labels by
name, sprints by a local key), never by id: ids mean nothing on another server, and the import
(services/builder.py) resolves the same names back. Everything is read in a fixed number of
queries, whatever the number of tasks (tests/integrations/test_export.py counts them).
"""

from __future__ import annotations

from collections import defaultdict
from typing import Any

from django.utils import timezone

from board import representation
from board.models import Board, ChecklistItem, Comment, Label, Membership, Sprint, Task

FORMAT = "realtime-scrum/1"
JSON = dict[str, Any]


def sprint_key(index: int) -> str:
    return f"s{index + 1}"


def _sprints(board: Board) -> tuple[list[JSON], dict[int, str]]:
    rows = Sprint.objects.filter(board=board).order_by("end", "pk")
    keys: dict[int, str] = {}
    out = []
    for index, sprint in enumerate(rows):
        keys[sprint.pk] = sprint_key(index)
        out.append(
            {
                "key": keys[sprint.pk],
                "name": sprint.name,
                "description": sprint.description,
                "start": representation.day(sprint.start),
                "end": representation.day(sprint.end),
                "goal": sprint.goal,
                "state": sprint.state,
            }
        )
    return out, keys


def _card_rows(board: Board) -> tuple[dict[int, list[JSON]], dict[int, list[JSON]]]:
    """{task id: checklist items in order}, {task id: comments oldest first}: two queries for
    the whole board (trashed cards' rows are left out with their cards)."""
    checklist: dict[int, list[JSON]] = defaultdict(list)
    items = ChecklistItem.objects.filter(board=board, task__deleted_at__isnull=True)
    for item in items.order_by("task_id", "order", "pk"):
        checklist[item.task_id].append({"text": item.text, "done": item.done})
    comments: dict[int, list[JSON]] = defaultdict(list)
    rows = Comment.objects.filter(board=board, task__deleted_at__isnull=True)
    for comment in rows.select_related("author").order_by("created_at", "pk"):
        author = comment.author.username if comment.author is not None else None
        comments[comment.task_id].append(
            {
                "author": author,
                "body": comment.body,
                "created_at": representation.stamp(comment.created_at),
            }
        )
    return checklist, comments


def _tasks(board: Board, sprint_keys: dict[int, str]) -> list[JSON]:
    """Live tasks column by column (backlog first, then sprints by end; status; position).
    `position` is the index in the column: orders are sparse and local to this server."""
    checklist, comments = _card_rows(board)
    rows = (
        Task.objects.filter(board=board)
        .select_related("assigned")
        .prefetch_related("labels")
        .order_by("order", "pk")
    )
    columns: dict[tuple[str | None, int], list[Task]] = defaultdict(list)
    for task in rows:
        columns[(sprint_keys.get(task.sprint_id) if task.sprint_id else None, task.status)].append(
            task
        )
    order = ["", *sprint_keys.values()]  # backlog, then sprints by end
    out = []
    for sprint, status in sorted(columns, key=lambda c: (order.index(c[0] or ""), c[1])):
        for position, task in enumerate(columns[(sprint, status)]):
            out.append(
                {
                    "name": task.name,
                    "description": task.description,
                    "sprint": sprint,
                    "status": int(task.status),
                    "position": position,
                    "points": representation.points(task.points),
                    "assigned": task.assigned.username if task.assigned else None,
                    "started": representation.day(task.started),
                    "due": representation.day(task.due),
                    "completed": representation.day(task.completed),
                    "labels": sorted(label.name for label in task.labels.all()),
                    "checklist": checklist.get(task.pk, []),
                    "comments": comments.get(task.pk, []),
                }
            )
    return out


def board_document(board: Board) -> JSON:
    """The whole board as one JSON document (SPEC section 13, docs/integrations.md)."""
    members = Membership.objects.filter(board=board).select_related("user")
    labels = Label.objects.filter(board=board).order_by("name_key", "pk")
    sprints, keys = _sprints(board)
    return {
        "format": FORMAT,
        "exported_at": representation.stamp(timezone.now()),
        "board": {
            "name": board.name,
            "description": board.description,
            "timezone": board.timezone,
        },
        "members": sorted(
            ({"username": m.user.username, "role": m.role} for m in members),
            key=lambda m: m["username"],
        ),
        "labels": [{"name": label.name, "color": label.color} for label in labels],
        "sprints": sprints,
        "tasks": _tasks(board, keys),
    }
