"""The board's trash: soft-deleted tasks, restorable for TRASH_DAYS (SPEC section 11).

A trashed row keeps its values, order and version (services/tasks.py `task_delete`), so a
restore needs nothing from the log. Only `deleted_by` in the list is read from the log: the
actor of the task's newest `task.deleted` event.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from typing import Any

from django.conf import settings
from django.db import transaction
from django.db.models import QuerySet
from django.utils import timezone

from .. import realtime, representation
from ..models import Board, BoardEvent, Membership, SprintState, Status, Task
from ._events import Actor, board_lock_of, event_append
from .rules import board_today, task_validate
from .tasks import ORDER_GAP, column_tail

# The order a restored task takes in its column (the undo's "where it was"); given the task
# as it will be saved.
Placer = Callable[[Task], int]


class NotInTrash(Exception):
    """The task is on the board, not in the trash; `current` is the row as it is (409)."""

    def __init__(self, current: Task):
        super().__init__("not in the trash")
        self.current = current


def trash_cutoff(now: dt.datetime | None = None) -> dt.datetime:
    """Tasks deleted before this instant have left the trash for good."""
    return (now or timezone.now()) - dt.timedelta(days=settings.TRASH_DAYS)


def trash_list(*, board_id: int) -> QuerySet[Task]:
    """The board's trash, newest deletion first."""
    return (
        Task.all_objects.filter(board_id=board_id, deleted_at__gte=trash_cutoff())
        .select_related("assigned")
        .prefetch_related(representation.LABEL_IDS)
        .order_by("-deleted_at", "-pk")
    )


def deleted_by(tasks: list[Task]) -> dict[int, Any]:
    """{task id: the user who deleted it, or None} for one board's trashed tasks, in one query.

    The event is written after `deleted_at` is taken, in the same transaction, so no event of
    these deletions is older than the oldest `deleted_at`: that bound keeps the scan short."""
    if not tasks:
        return {}
    events = (
        BoardEvent.objects.filter(
            board_id=tasks[0].board_id,
            name=realtime.TASK_DELETED,
            created_at__gte=min(task.deleted_at for task in tasks if task.deleted_at),
            data__id__in=[task.pk for task in tasks],
        )
        .select_related("actor")
        .order_by("seq")
    )
    return {event.data["id"]: event.actor for event in events}  # the newest deletion wins


def lock_trashed(task_id: int) -> tuple[Board, Task]:
    """The task's board locked, then the task, trashed or not (404 when there is no row)."""
    board = board_lock_of(Task, task_id)
    task = Task.all_objects.select_for_update().select_related("sprint", "assigned").get(pk=task_id)
    return board, task


def task_restore(*, actor: Actor, task_id: int) -> Task:
    """Bring a task back from the trash to the end of its column: `task.restored`."""
    with transaction.atomic():
        board, task = lock_trashed(task_id)
        if task.deleted_at is None:
            raise NotInTrash(task)
        if task.deleted_at < trash_cutoff():
            raise Task.DoesNotExist("That task left the trash.")  # a purge is due: gone
        return restore_locked(board=board, task=task, actor=actor)


def restore_locked(
    *, board: Board, task: Task, actor: Actor, place: Placer | None = None, reverts: int = 0
) -> Task:
    """Restore a trashed task of a locked board: into its sprint while that still takes tasks
    (not closed, not ended), else into the backlog as Not Started with its dates cleared; an
    assignee who left the board is cleared (member.removed unassigns only live tasks). It goes
    to the end of its column unless `place` says where; `reverts` marks an undo's event."""
    column = (task.sprint_id, task.status)
    sprint = task.sprint
    if sprint is not None and (
        sprint.state == SprintState.CLOSED or sprint.end < board_today(board)
    ):
        task.sprint = None
    if task.sprint is None:
        task.status = Status.NOT_STARTED
        task.started = task.completed = None
    if (
        task.assigned_id is not None
        and not Membership.objects.filter(board=board, user_id=task.assigned_id).exists()
    ):
        task.assigned = None
    state = {
        "sprint": task.sprint, "status": task.status, "started": task.started,
        "completed": task.completed, "assigned": task.assigned,
    }  # fmt: skip
    # Checked as a new task would be: the sprint rules, and the assignee (a member, above).
    task_validate(board=board, state=state, original=None)
    if place is not None and column == (task.sprint_id, task.status):
        task.order = place(task)
    else:
        task.order = column_tail(board.pk, task.sprint_id, task.status) + ORDER_GAP
    task.deleted_at = None
    task.version += 1
    task.save()
    data = realtime.task_payload(task)
    if reverts:
        data[realtime.REVERTS] = reverts
    event_append(board, actor, realtime.TASK_RESTORED, data)
    return task


def trash_purge() -> int:
    """Delete for good the tasks in any trash for longer than TRASH_DAYS; returns how many.
    No event: the board's history already saw them go (task.deleted); a replay keeps them in
    its trash, which only the fold reads."""
    doomed = Task.all_objects.filter(deleted_at__isnull=False, deleted_at__lt=trash_cutoff())
    _, per_model = doomed.delete()
    return per_model.get(Task._meta.label, 0)
