"""Undo of one change (SPEC section 11): `event_revert` turns back a `task.updated`,
`task.moved` or `task.deleted` with a new, ordinary event whose data carries
`"reverts": <seq>` (realtime.REVERTS).

Decisions (docs/realtime.md, "Undo"):
- Undoable: the caller's own change, or anyone's when the caller owns the board.
- "Changed since" means a later event changed the task's row: a task.* event naming it, a
  sprint.deleted/closed/planned that carried it, a member.removed that unassigned it. Its
  version tells the same (every one of those bumps it) and also catches writes outside the
  log. A sibling's move that only renumbered it (`reordered`) is not a change: its content is
  as it was, its version too, and the undo places it anew anyway.
- The task's values before the change come from the log: the fold at `seq - 1`.
- Where it goes: its previous column and order when that order is free, else right after the
  task that preceded it then, else the column's end. Siblings are never renumbered.
- A rule that fails now (its sprint ended, closed or was deleted, its assignee left, a Done
  task changing sprint) refuses the undo with 409 and the rule's message: the board changed
  under the undo, the same as an edit that changed since. An undone delete is a restore: it
  falls back to the backlog as the trash's restore does (a restore is never refused).
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.db import transaction

from .. import access, realtime
from ..history.replay import HistoryPruned, state_at
from ..history.state import BoardState
from ..models import Board, BoardEvent, Label, Sprint, Task
from . import trash
from ._events import Actor, board_lock, event_append
from .rules import task_validate
from .tasks import ORDER_GAP

UNDOABLE = (realtime.TASK_UPDATED, realtime.TASK_MOVED, realtime.TASK_DELETED)
# Names of the events that can change a task's row (see _touched).
_TOUCHING = (
    realtime.TASK_UPDATED, realtime.TASK_MOVED, realtime.TASK_DELETED, realtime.TASK_RESTORED,
    realtime.SPRINT_DELETED, realtime.SPRINT_CLOSED, realtime.SPRINT_PLANNED,
    realtime.MEMBER_REMOVED,
)  # fmt: skip
_DATES = ("started", "due", "completed")


class UndoRefused(Exception):
    """Why an event cannot be undone; `current` is the task now (None when it is gone)."""

    def __init__(self, detail: str, current: Task | None = None, errors: Any = None):
        super().__init__(detail)
        self.detail = detail
        self.current = current
        self.errors = errors


class NotUndoable(UndoRefused):
    """Not an event undo handles (400)."""


class NotYours(UndoRefused):
    """Someone else's change, and the caller is no owner; or the caller is a viewer (403)."""


class ChangedSince(UndoRefused):
    """The task changed after the event, the event was undone already, or a rule fails (409)."""


def _task_id(name: str, data: dict[str, Any]) -> int:
    return int(data["task"]["id"] if name == realtime.TASK_MOVED else data["id"])


def _touched(name: str, data: dict[str, Any]) -> set[int]:
    """Ids of the tasks whose rows this event changed."""
    if name.startswith("task."):
        return {_task_id(name, data)}
    if name == realtime.MEMBER_REMOVED:
        return set(data.get("unassigned", []))
    rows = data.get("tasks", []) + data.get("carried", [])
    return {row["id"] for row in rows if isinstance(row, dict)}


def _check_untouched(board_id: int, seq: int, task_id: int, current: Task | None) -> None:
    later = (
        BoardEvent.objects.filter(board_id=board_id, seq__gt=seq, name__in=_TOUCHING)
        .order_by("seq")
        .values_list("name", "data")
    )
    for name, data in later.iterator():
        if data.get(realtime.REVERTS) == seq:
            raise ChangedSince("This change was already undone.", current)
        if task_id in _touched(name, data):
            raise ChangedSince("The task changed after this change.", current)


def _order_back(before: BoardState, task: Task) -> int:
    """An order for `task` back in its column: see the module's "Where it goes"."""
    wanted = before.tasks[task.pk]["order"]
    column = list(
        Task.objects.filter(board_id=task.board_id, sprint=task.sprint, status=task.status)
        .exclude(pk=task.pk)
        .order_by("order", "pk")
        .values_list("pk", "order")
    )
    if all(order != wanted for _, order in column):
        return wanted
    then = [
        (row["order"], row["id"])
        for row in before.tasks.values()
        if (row["sprint"], row["status"]) == (task.sprint_id, task.status)
        and (row["order"], row["id"]) < (wanted, task.pk)
    ]
    ids = [pk for pk, _ in column]
    neighbour = max(then)[1] if then else None
    index = ids.index(neighbour) + 1 if neighbour in ids else 0
    low = column[index - 1][1] if index else None
    high = column[index][1] if index < len(column) else None
    if low is None:
        return high - ORDER_GAP if high is not None else ORDER_GAP
    if high is None:
        return low + ORDER_GAP
    return (low + high) // 2 if high - low >= 2 else column[-1][1] + ORDER_GAP


def _labels_back(board: Board, task: Task, values: dict[str, Any]) -> list[Label] | None:
    """The labels the task had then (None: logged before tasks had labels, leave them)."""
    if "labels" not in values:
        return None
    wanted = set(values["labels"])
    labels = list(Label.objects.filter(board=board, pk__in=wanted))
    if len(labels) != len(wanted):
        raise ChangedSince("One of its labels was deleted since.", task)
    return labels


def _put_back(board: Board, task: Task, values: dict[str, Any]) -> None:
    """Set the task's editable fields to `values` (a task's values in the log), by the rules."""
    original = Task(
        pk=task.pk, sprint_id=task.sprint_id, status=task.status, assigned_id=task.assigned_id
    )
    sprint = None
    if values["sprint"] is not None:
        sprint = Sprint.objects.filter(pk=values["sprint"], board=board).first()
        if sprint is None:
            raise ChangedSince("Its sprint was deleted since.", task)
    assigned = None
    if values["assigned_id"] is not None:
        assigned = get_user_model().objects.filter(pk=values["assigned_id"]).first()
        if assigned is None:
            raise ChangedSince("The person it was assigned to no longer exists.", task)
    task.name, task.description = values["name"], values["description"]
    task.sprint, task.status, task.assigned = sprint, values["status"], assigned
    for key in _DATES:
        setattr(task, key, dt.date.fromisoformat(values[key]) if values[key] else None)
    task.points = None if values["points"] is None else Decimal(str(values["points"]))
    state = {
        "sprint": sprint, "status": task.status, "started": task.started,
        "completed": task.completed, "assigned": assigned,
    }  # fmt: skip
    try:
        task_validate(board=board, state=state, original=original)
    except ValidationError as exc:
        messages = " ".join(m for field in exc.message_dict.values() for m in field)
        raise ChangedSince(
            f"This change can no longer be undone: {messages}",
            # The row as stored: the refused undo changed only this instance.
            Task.objects.select_related("assigned").get(pk=task.pk),
            exc.message_dict,
        ) from None


def event_revert(*, actor: Actor, board_id: int, seq: int) -> tuple[Task, int]:
    """Undo event `seq` of a board; returns the task and the seq of the undo's event.

    404 (BoardEvent.DoesNotExist) for no such event on this board; UndoRefused subclasses for
    the rest; HistoryPruned when the state before it is no longer kept."""
    with transaction.atomic():
        board = board_lock(board_id)
        event = BoardEvent.objects.get(board_id=board.pk, seq=seq)
        if event.name not in UNDOABLE:
            raise NotUndoable(
                f"Only a task's edit, move or deletion can be undone, not {event.name}."
            )
        role = access.role_on(user=actor.user, board_id=board.pk)
        if not access.can_write(role):
            raise NotYours("Viewers cannot change this board.")
        if event.actor_id != actor.user.pk and not access.can_manage(role):
            raise NotYours("Only the board's owners can undo someone else's change.")
        task_id = _task_id(event.name, event.data)
        task = (
            Task.all_objects.select_for_update()
            .select_related("sprint", "assigned")
            .filter(pk=task_id, board=board)
            .first()
        )
        live = task if task is not None and task.deleted_at is None else None
        _check_untouched(board.pk, seq, task_id, live)
        if seq - 1 < board.history_from:
            raise HistoryPruned(f"board {board.pk}'s history starts after seq {seq - 1}")
        before = state_at(board.pk, seq - 1, remember=False)
        values = before.tasks.get(task_id)
        if task is None or values is None:
            raise ChangedSince("The task no longer exists.", None)
        if event.name == realtime.TASK_DELETED:
            if live is not None or task.version != values["version"]:
                raise ChangedSince("The task changed after this change.", live)
            task = trash.restore_locked(
                board=board, task=task, actor=actor, reverts=seq,
                place=lambda row: _order_back(before, row),
            )  # fmt: skip
            return task, board.last_seq
        after = event.data["task"] if event.name == realtime.TASK_MOVED else event.data
        if live is None:
            raise ChangedSince("The task was deleted since.", None)
        if task.version != after["version"]:
            raise ChangedSince("The task changed after this change.", live)
        labels = _labels_back(board, task, values)
        _put_back(board, task, values)
        task.order = _order_back(before, task)
        task.version += 1
        task.save()
        if labels is not None:
            task.labels.set(labels)
        data = realtime.task_payload(task)
        if event.name == realtime.TASK_MOVED:
            data = {"task": data, "reordered": []}
        event_append(board, actor, event.name, {**data, realtime.REVERTS: seq})
    return task, board.last_seq
