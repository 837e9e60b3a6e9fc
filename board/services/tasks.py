"""Writes to tasks, including the atomic drag-and-drop move."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Max, Q
from django.utils import timezone

from .. import realtime
from ..models import Board, Label, Sprint, Status, Task
from ..representation import label_ids
from . import watching
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
from .rules import board_today, labels_validate, task_validate

# Orders are sparse so a move writes one row; the column is renumbered only when a gap closes.
ORDER_GAP = 1024


def column_tail(board_id: int, sprint_id: int | None, status: int) -> int:
    """The highest order in a column (0 when empty), to append after it."""
    column = Q(board_id=board_id, sprint_id=sprint_id, status=status)
    top = Task.objects.filter(column).aggregate(top=Max("order"))["top"]
    return top or 0


def _state(task: Task) -> dict[str, Any]:
    return {
        "sprint": task.sprint,
        "status": task.status,
        "started": task.started,
        "completed": task.completed,
        "assigned": task.assigned,
    }


def task_create(
    *,
    actor: Actor,
    board_id: int,
    name: str,
    description: str = "",
    sprint: Sprint | None = None,
    status: int = Status.NOT_STARTED,
    assigned: Any = None,
    started: dt.date | None = None,
    due: dt.date | None = None,
    completed: dt.date | None = None,
    points: Decimal | None = None,
    labels: list[Label] | None = None,
) -> Task:
    with transaction.atomic():
        board = board_lock(board_id)
        task = Task(
            board=board, name=name, description=description, sprint=sprint, status=status,
            assigned=assigned, started=started, due=due, completed=completed, points=points,
        )  # fmt: skip
        task_validate(board=board, state=_state(task), original=None)
        labels_validate(board=board, labels=labels or [])
        task.order = column_tail(board.pk, task.sprint_id, task.status) + ORDER_GAP
        task.save()
        if labels:
            task.labels.set(labels)
        event_append(board, actor, realtime.TASK_CREATED, realtime.task_payload(task))
        if task.assigned_id is not None:
            watching.auto_watch(task_id=task.pk, user_id=task.assigned_id)
    return task


def _lock_task(task_id: int) -> tuple[Board, Task]:
    board = board_lock_of(Task, task_id)
    task = Task.objects.select_for_update().select_related("sprint", "assigned").get(pk=task_id)
    return board, task


def _comparable(task: Task, key: str, labels: list[Label] | None = None) -> Any:
    """A field's value as stored: related rows by id, so "unchanged" needs no query (labels:
    the ids of the set being given, else the task's own)."""
    if key == "labels":
        return sorted(x.pk for x in labels) if labels is not None else label_ids(task)
    return getattr(task, f"{key}_id") if key in ("sprint", "assigned") else getattr(task, key)


def _tell_watchers(board: Board, task: Task, actor: Actor, before: Task) -> None:
    """A status move or a new assignee is news for the card's watchers (and a new assignee
    starts watching it)."""
    if task.assigned_id != before.assigned_id:
        if task.assigned_id is not None:
            watching.auto_watch(task_id=task.pk, user_id=task.assigned_id)
        detail = {"from": before.assigned_id, "to": task.assigned_id}
        watching.notify_watchers(
            board=board, task=task, actor=actor, what=watching.ASSIGNED, detail=detail
        )
    if task.status != before.status:
        detail = {"from": int(before.status), "to": int(task.status)}
        watching.notify_watchers(
            board=board, task=task, actor=actor, what=watching.STATUS, detail=detail
        )


def task_update(
    *,
    actor: Actor,
    task_id: int,
    expected_version: int | None = None,
    name: str | Unset = UNSET,
    description: str | Unset = UNSET,
    sprint: Sprint | None | Unset = UNSET,
    status: int | Unset = UNSET,
    assigned: Any = UNSET,
    started: dt.date | None | Unset = UNSET,
    due: dt.date | None | Unset = UNSET,
    completed: dt.date | None | Unset = UNSET,
    points: Decimal | None | Unset = UNSET,
    labels: list[Label] | Unset = UNSET,
) -> Task:
    """Apply a full or partial edit; the rules see the merged state, not just the input.
    An edit that changes no value bumps nothing and emits nothing."""
    fields = given(
        name=name, description=description, sprint=sprint, status=status, assigned=assigned,
        started=started, due=due, completed=completed, points=points,
    )  # fmt: skip
    with transaction.atomic():
        board, task = _lock_task(task_id)
        check_version(task, expected_version)
        original = Task(
            pk=task.pk, sprint_id=task.sprint_id, status=task.status, assigned_id=task.assigned_id
        )
        before = {key: _comparable(task, key) for key in fields}
        if not isinstance(labels, Unset):
            labels_validate(board=board, labels=labels)
            before["labels"] = label_ids(task)
        for key, value in fields.items():
            setattr(task, key, value)
        new_labels = None if isinstance(labels, Unset) else labels
        if all(_comparable(task, key, new_labels) == before[key] for key in before):
            return task
        task_validate(board=board, state=_state(task), original=original)
        if (task.sprint_id, task.status) != (original.sprint_id, original.status):
            task.order = column_tail(board.pk, task.sprint_id, task.status) + ORDER_GAP
        task.version += 1
        task.save()
        if new_labels is not None:
            task.labels.set(new_labels)
        event_append(board, actor, realtime.TASK_UPDATED, realtime.task_payload(task))
        _tell_watchers(board, task, actor, original)
    return task


def task_delete(*, actor: Actor, task_id: int, expected_version: int | None = None) -> None:
    """Move a task to the board's trash (restorable for TRASH_DAYS, services/trash.py). Its
    row keeps its values and version: restoring it is undoing exactly this."""
    with transaction.atomic():
        board, task = _lock_task(task_id)
        check_version(task, expected_version)
        data = {"id": task.pk, "sprint": task.sprint_id, "status": task.status}
        Task.all_objects.filter(pk=task.pk).update(deleted_at=timezone.now())
        event_append(board, actor, realtime.TASK_DELETED, data)


def _dates_for_move(task: Task, status: int, today: dt.date) -> None:
    """What the book's board client did on drop: a card entering work gets a start date,
    one entering Done a completion date, and one moved back loses what no longer holds.
    `today` is the board's date (rules.board_today)."""
    if status == Status.NOT_STARTED:
        task.started = None
        task.completed = None
        return
    task.started = task.started or today
    if status == Status.DONE:
        task.completed = task.completed if task.status == Status.DONE else today
    else:
        task.completed = None


def _slot(column: list[Task], before: int | None, after: int | None) -> tuple[int, int | None]:
    """Index to insert at, and the order that fits there without renumbering (or None)."""
    ids = [t.pk for t in column]
    if before is not None or after is not None:
        anchor, key = (before, "before") if before is not None else (after, "after")
        if anchor not in ids:
            raise ValidationError({key: "That task is not in the target column."})
        index = ids.index(anchor) + (0 if key == "before" else 1)
    else:
        index = len(column)
    prev = column[index - 1].order if index > 0 else None
    nxt = column[index].order if index < len(column) else None
    if prev is None:
        return index, ORDER_GAP if nxt is None else nxt - ORDER_GAP
    if nxt is None:
        return index, prev + ORDER_GAP
    return index, (prev + nxt) // 2 if nxt - prev >= 2 else None


def task_move(
    *,
    actor: Actor,
    task_id: int,
    sprint: Sprint | None,
    status: int,
    before: int | None = None,
    after: int | None = None,
    expected_version: int | None = None,
) -> Task:
    """Move a card to (sprint, status) next to `before`/`after`, in one transaction and one
    `task.moved` event. Siblings are renumbered only when no gap is left, and their versions
    stay: a sibling's content did not change, so a concurrent edit of it must not conflict."""
    if before is not None and after is not None:
        raise ValidationError({"before": "Give either before or after, not both."})
    with transaction.atomic():
        board, task = _lock_task(task_id)
        check_version(task, expected_version)
        original = Task(
            pk=task.pk, sprint_id=task.sprint_id, status=task.status, assigned_id=task.assigned_id
        )
        if before == task.pk or after == task.pk:
            raise ValidationError({"before" if before else "after": "A task cannot anchor itself."})
        same_column = (task.sprint_id, task.status) == (sprint.pk if sprint else None, status)
        dates = (task.started, task.completed)
        task.sprint = sprint
        _dates_for_move(task, status, board_today(board))
        task.status = status
        task_validate(board=board, state=_state(task), original=original)
        column = list(
            Task.objects.filter(board=board, sprint=sprint, status=status)
            .exclude(pk=task.pk)
            .order_by("order", "pk")
        )
        index, order = _slot(column, before, after)
        if same_column and dates == (task.started, task.completed):
            place = sum(1 for row in column if (row.order, row.pk) < (task.order, task.pk))
            if place == index:
                return task  # dropped where it already was: nothing changed
        reordered = []
        if order is None:
            column.insert(index, task)
            for position, row in enumerate(column, start=1):
                if row is not task and row.order != position * ORDER_GAP:
                    row.order = position * ORDER_GAP
                    reordered.append(row)
            Task.objects.bulk_update(reordered, ["order"])
            order = index * ORDER_GAP + ORDER_GAP
        task.order = order
        task.version += 1
        task.save()
        data = {
            "task": realtime.task_payload(task),
            "reordered": [{"id": row.pk, "order": row.order} for row in reordered],
        }
        event_append(board, actor, realtime.TASK_MOVED, data)
        _tell_watchers(board, task, actor, original)
    return task
