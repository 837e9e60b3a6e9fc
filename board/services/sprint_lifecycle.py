"""A sprint's life (SPEC section 11): start, close with carry-over, and planning.

Each is one transaction and one event. Everything is validated before the first write, so a
refusal writes nothing; a failure midway rolls the whole operation back, event included (the
broadcast runs on commit only).
"""

from __future__ import annotations

from collections import Counter
from decimal import Decimal
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Max
from django.utils import timezone

from .. import realtime, representation
from ..models import Board, Sprint, SprintState, Status, Task
from ._events import Actor, check_version, event_append
from .rules import board_today, sprint_length_error
from .sprints import _lock_sprint
from .tasks import ORDER_GAP, column_tail

PLAN_MAX = 200
# The columns of a sprint, as the board shows them: what "relative order" means across them.
_BOARD_ORDER = ("status", "order", "pk")
_MOVED_FIELDS = ["sprint", "status", "started", "completed", "order", "version", "updated_at"]


def _scope(rows: list[tuple[int, Decimal | None]]) -> dict[str, Any]:
    """{"points": n, "tasks": [ids]} of (id, points) rows: unestimated tasks count as 0."""
    total = sum((value for _, value in rows if value is not None), Decimal(0))
    return {"points": representation.points(total), "tasks": [pk for pk, _ in rows]}


def _tasks_of(sprint: Sprint) -> list[Task]:
    return list(
        Task.objects.filter(sprint=sprint)
        .select_related("assigned")
        .select_for_update()
        .order_by(*_BOARD_ORDER)
    )


def _column_tails(board_id: int, sprint_id: int | None) -> dict[int, int]:
    """{status: highest order} of every column of a sprint (or the backlog), in one query."""
    rows = (
        Task.objects.filter(board_id=board_id, sprint=sprint_id)
        .order_by()
        .values("status")
        .annotate(top=Max("order"))
    )
    return {row["status"]: row["top"] or 0 for row in rows}


def _save_moved(tasks: list[Task]) -> None:
    now = timezone.now()
    for task in tasks:
        task.version += 1
        task.updated_at = now  # bulk_update skips auto_now
    Task.objects.bulk_update(tasks, _MOVED_FIELDS)


def sprint_start(*, actor: Actor, sprint_id: int, expected_version: int | None = None) -> Sprint:
    """planned → active, recording the committed scope (its live tasks and their points).

    Refused while another sprint of the board is active: the board has one sprint in play. A
    sprint with no start, or one planned to start later, starts on the board's today."""
    with transaction.atomic():
        board, sprint = _lock_sprint(sprint_id)
        check_version(sprint, expected_version)
        if sprint.state != SprintState.PLANNED:
            raise ValidationError(
                {"state": f"Only a planned sprint can start; this one is {sprint.state}."}
            )
        active = Sprint.objects.filter(board=board, state=SprintState.ACTIVE).first()
        if active is not None:
            raise ValidationError(
                {"state": f"{active} is active on this board: close it before starting another."}
            )
        today = board_today(board)
        if sprint.end < today:
            raise ValidationError({"end": "This sprint has already ended: it cannot start."})
        if sprint.start is None or sprint.start > today:
            sprint.start = today
        if too_long := sprint_length_error(sprint.start, sprint.end):
            raise ValidationError({"end": f"{too_long} Move its end closer to start it."})
        scope = Task.objects.filter(sprint=sprint).order_by(*_BOARD_ORDER)
        committed = _scope(list(scope.values_list("pk", "points")))
        sprint.state = SprintState.ACTIVE
        sprint.committed = committed
        sprint.version += 1
        sprint.save()
        data = {"sprint": realtime.sprint_payload(sprint), "committed": committed}
        event_append(board, actor, realtime.SPRINT_STARTED, data)
    return sprint


def _carry_target(board: Board, sprint: Sprint, carry_to: int | None) -> Sprint | None:
    if carry_to is None:
        return None
    if carry_to == sprint.pk:
        raise ValidationError({"carry_to": "A sprint cannot carry its work into itself."})
    target = Sprint.objects.select_for_update().filter(pk=carry_to, board=board).first()
    if target is None:
        raise ValidationError({"carry_to": "No such sprint on this board."})
    if target.state == SprintState.CLOSED:
        raise ValidationError({"carry_to": "A closed sprint takes no new tasks."})
    if target.end < board_today(board):
        raise ValidationError({"carry_to": "Cannot move a task into a sprint that has ended."})
    return target


def sprint_close(
    *,
    actor: Actor,
    sprint_id: int,
    carry_to: int | None = None,
    expected_version: int | None = None,
) -> Sprint:
    """active → closed; its unfinished work moves on in the same transaction.

    Every live task not Done goes to `carry_to` (a planned or active sprint of the board) or,
    with None, to the backlog. Carried into a sprint, a task keeps its status and dates, as
    Jira does: work in progress stays in progress. Into the backlog it becomes Not Started
    with its dates cleared (rule 5). Either way it joins the end of its target column, the
    carried tasks keeping their order on the old board, and its version rises by one."""
    with transaction.atomic():
        board, sprint = _lock_sprint(sprint_id)
        check_version(sprint, expected_version)
        if sprint.state != SprintState.ACTIVE:
            raise ValidationError(
                {"state": f"Only an active sprint can close; this one is {sprint.state}."}
            )
        target = _carry_target(board, sprint, carry_to)
        tasks = _tasks_of(sprint)
        done = [t for t in tasks if t.status == Status.DONE]
        carried = [t for t in tasks if t.status != Status.DONE]
        tails = _column_tails(board.pk, target.pk if target else None)
        for task in carried:
            if target is None:
                task.status = Status.NOT_STARTED
                task.started = task.completed = None
            task.sprint = target
            tails[task.status] = tails.get(task.status, 0) + ORDER_GAP
            task.order = tails[task.status]
        _save_moved(carried)
        sprint.state = SprintState.CLOSED
        sprint.version += 1
        sprint.save()
        data = {
            "sprint": realtime.sprint_payload(sprint),
            "carried": [realtime.task_payload(t) for t in representation.with_label_ids(carried)],
            "carry_to": target.pk if target else None,
            "completed": _scope([(t.pk, t.points) for t in done]),
        }
        event_append(board, actor, realtime.SPRINT_CLOSED, data)
    return sprint


def _plan_ids(tasks: list[int]) -> list[int]:
    if not tasks:
        raise ValidationError({"tasks": "Name at least one task to plan."})
    if len(tasks) > PLAN_MAX:
        raise ValidationError({"tasks": f"Plan at most {PLAN_MAX} tasks at once."})
    twice = sorted(pk for pk, count in Counter(tasks).items() if count > 1)
    if twice:
        raise ValidationError({"tasks": f"Each task may be named once; repeated: {twice}."})
    return tasks


def sprint_plan(
    *, actor: Actor, sprint_id: int, tasks: list[int], expected_version: int | None = None
) -> Sprint:
    """Move backlog tasks into a planned or active sprint, in the given order, after what its
    Not Started column holds. Backlog tasks are Not Started (rule 5) and stay so."""
    ids = _plan_ids(tasks)
    with transaction.atomic():
        board, sprint = _lock_sprint(sprint_id)
        check_version(sprint, expected_version)
        if sprint.state == SprintState.CLOSED:
            raise ValidationError({"sprint": "A closed sprint takes no new tasks."})
        if sprint.end < board_today(board):
            raise ValidationError({"sprint": "Cannot move a task into a sprint that has ended."})
        found = {
            t.pk: t
            for t in Task.objects.filter(pk__in=ids, board=board, sprint__isnull=True)
            .select_related("assigned")
            .select_for_update()
        }
        missing = [pk for pk in ids if pk not in found]
        if missing:
            raise ValidationError({"tasks": f"Not backlog tasks of this board: {missing}."})
        planned = [found[pk] for pk in ids]
        base = column_tail(board.pk, sprint.pk, Status.NOT_STARTED)
        for index, task in enumerate(planned, start=1):
            task.sprint = sprint
            task.order = base + index * ORDER_GAP
        _save_moved(planned)
        data = {
            "sprint": realtime.sprint_payload(sprint),
            "tasks": [realtime.task_payload(t) for t in representation.with_label_ids(planned)],
        }
        event_append(board, actor, realtime.SPRINT_PLANNED, data)
    return sprint
