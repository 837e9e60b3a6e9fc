"""Writes to sprints."""

from __future__ import annotations

import datetime as dt

from django.db import transaction
from django.utils import timezone

from .. import realtime, representation
from ..models import Board, Sprint, Status, Task
from ._events import (
    UNSET,
    Actor,
    Unset,
    board_lock,
    board_lock_of,
    check_version,
    event_append,
    given,
)
from .rules import sprint_validate
from .tasks import ORDER_GAP, column_tail


def sprint_create(
    *,
    actor: Actor,
    board_id: int,
    end: dt.date,
    name: str = "",
    description: str = "",
    start: dt.date | None = None,
    goal: str = "",
) -> Sprint:
    with transaction.atomic():
        board = board_lock(board_id)
        sprint_validate(board=board, start=start, end=end, original=None)
        sprint = Sprint.objects.create(
            board=board, name=name, description=description, start=start, end=end, goal=goal
        )
        event_append(board, actor, realtime.SPRINT_CREATED, realtime.sprint_payload(sprint))
    return sprint


def _lock_sprint(sprint_id: int) -> tuple[Board, Sprint]:
    board = board_lock_of(Sprint, sprint_id)
    return board, Sprint.objects.select_for_update().get(pk=sprint_id)


def sprint_update(
    *,
    actor: Actor,
    sprint_id: int,
    expected_version: int | None = None,
    name: str | Unset = UNSET,
    description: str | Unset = UNSET,
    start: dt.date | None | Unset = UNSET,
    end: dt.date | Unset = UNSET,
    goal: str | Unset = UNSET,
) -> Sprint:
    """An edit that changes no value bumps nothing and emits nothing. The state changes only
    through start and close (services/sprint_lifecycle.py)."""
    fields = given(name=name, description=description, start=start, end=end, goal=goal)
    with transaction.atomic():
        board, sprint = _lock_sprint(sprint_id)
        check_version(sprint, expected_version)
        original = Sprint(pk=sprint.pk, start=sprint.start, end=sprint.end, state=sprint.state)
        if all(getattr(sprint, key) == value for key, value in fields.items()):
            return sprint
        for key, value in fields.items():
            setattr(sprint, key, value)
        sprint_validate(board=board, start=sprint.start, end=sprint.end, original=original)
        sprint.version += 1
        sprint.save()
        event_append(board, actor, realtime.SPRINT_UPDATED, realtime.sprint_payload(sprint))
    return sprint


def sprint_delete(*, actor: Actor, sprint_id: int, expected_version: int | None = None) -> None:
    """Delete a sprint; its tasks go back to the backlog, Not Started with dates cleared."""
    with transaction.atomic():
        board, sprint = _lock_sprint(sprint_id)
        check_version(sprint, expected_version)
        moved = list(
            Task.objects.filter(sprint=sprint)
            .select_related("assigned")
            .select_for_update()
            .order_by("status", "order", "pk")
        )
        # Keep their relative order, after whatever is already in the backlog.
        base = column_tail(board.pk, None, Status.NOT_STARTED)
        for index, task in enumerate(moved, start=1):
            task.sprint = None
            task.status = Status.NOT_STARTED
            task.started = task.completed = None
            task.order = base + index * ORDER_GAP
            task.version += 1
        fields = ["sprint", "status", "started", "completed", "order", "version", "updated_at"]
        now = timezone.now()
        for task in moved:
            task.updated_at = now  # bulk_update skips auto_now
        Task.objects.bulk_update(moved, fields)
        # Its trashed tasks would restore into a sprint that is gone: they wait for the backlog.
        Task.all_objects.filter(sprint=sprint, deleted_at__isnull=False).update(
            sprint=None, status=Status.NOT_STARTED, started=None, completed=None
        )
        sprint.delete()
        returned = representation.with_label_ids(moved)
        data = {"id": sprint_id, "tasks": [realtime.task_payload(t) for t in returned]}
        event_append(board, actor, realtime.SPRINT_DELETED, data)
