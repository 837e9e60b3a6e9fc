"""Writes to sprints."""

from __future__ import annotations

from django.db import transaction
from django.db.models import F

from .. import realtime
from ..models import Sprint, Status, Task
from ._events import Actor, board_lock, check_version, event_append
from .rules import sprint_validate
from .tasks import column_tail


def sprint_create(*, actor: Actor, board_id: int, end, name: str = "", description: str = ""):
    with transaction.atomic():
        board = board_lock(board_id)
        sprint_validate(board=board, end=end, original=None)
        sprint = Sprint.objects.create(board=board, name=name, description=description, end=end)
        event_append(board, actor, realtime.SPRINT_CREATED, realtime.sprint_payload(sprint))
    return sprint


def sprint_update(
    *, actor: Actor, sprint_id: int, expected_version: int | None = None, **fields
) -> Sprint:
    with transaction.atomic():
        board_id = Sprint.objects.values_list("board_id", flat=True).get(pk=sprint_id)
        board = board_lock(board_id)
        sprint = Sprint.objects.select_for_update().get(pk=sprint_id)
        check_version(sprint, expected_version)
        original_end = sprint.end
        for key in ("name", "description", "end"):
            if key in fields:
                setattr(sprint, key, fields[key])
        sprint_validate(
            board=board, end=sprint.end, original=Sprint(pk=sprint.pk, end=original_end)
        )
        sprint.version += 1
        sprint.save()
        event_append(board, actor, realtime.SPRINT_UPDATED, realtime.sprint_payload(sprint))
    return sprint


def sprint_delete(*, actor: Actor, sprint_id: int) -> None:
    """Delete a sprint; its tasks go back to the backlog, Not Started with dates cleared."""
    with transaction.atomic():
        board_id = Sprint.objects.values_list("board_id", flat=True).get(pk=sprint_id)
        board = board_lock(board_id)
        sprint = Sprint.objects.select_for_update().get(pk=sprint_id)
        tasks = Task.objects.filter(sprint=sprint)
        ids = list(tasks.order_by("status", "order", "pk").values_list("pk", flat=True))
        # Keep their relative order, after whatever is already in the backlog.
        base = column_tail(board.pk, None, Status.NOT_STARTED)
        for index, pk in enumerate(ids, start=1):
            Task.objects.filter(pk=pk).update(order=base + index * 1024)
        tasks.update(
            sprint=None,
            status=Status.NOT_STARTED,
            started=None,
            completed=None,
            version=F("version") + 1,
        )
        sprint.delete()
        moved = Task.objects.filter(pk__in=ids).select_related("assigned").order_by("order")
        data = {"id": sprint_id, "tasks": [realtime.task_payload(t) for t in moved]}
        event_append(board, actor, realtime.SPRINT_DELETED, data)
