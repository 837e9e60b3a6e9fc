"""Velocity: committed and completed work of a board's closed sprints (SPEC section 11).

Committed is what `sprint.started` recorded (kept on Sprint.committed); completed is what
`sprint.closed` recorded (`completed`), else the sprint's Done tasks in the state at its
close (one replay each: only for events written before the key existed)."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from ... import realtime
from ...models import Board, BoardEvent, Sprint, SprintState, Status
from ...representation import day, points
from ..replay import state_at
from .stored import compacted

JSON = dict[str, Any]
LAST_DEFAULT, LAST_MAX = 6, 50


def completed_in(state_tasks: dict[int, JSON], sprint_id: int) -> tuple[Decimal, int]:
    done = [
        t for t in state_tasks.values() if t["sprint"] == sprint_id and t["status"] == Status.DONE
    ]
    total = sum(
        (Decimal(str(t["points"])) for t in done if t.get("points") is not None), Decimal(0)
    )
    return total, len(done)


def committed_of(committed: JSON | None) -> tuple[Any, int]:
    committed = committed or {}
    return points(Decimal(str(committed.get("points") or 0))), len(committed.get("tasks") or [])


def _completed(board: Board, sprint_id: int, seq: int, data: JSON) -> tuple[Any, int]:
    recorded = data.get("completed")
    if recorded is not None:
        tasks = recorded.get("tasks") or []  # the ids of the Done tasks
        count = len(tasks) if isinstance(tasks, list) else int(tasks)
        return points(Decimal(str(recorded.get("points") or 0))), count
    total, count = completed_in(state_at(board.pk, seq).tasks, sprint_id)
    return points(total), count


def velocity(*, board: Board, last: int = LAST_DEFAULT) -> list[JSON]:
    sprints = list(
        Sprint.objects.filter(board_id=board.pk, state=SprintState.CLOSED).order_by("-end", "-pk")[
            :last
        ]
    )
    if not sprints:
        return []
    closes = {
        data["sprint"]["id"]: (seq, data)
        for seq, data in BoardEvent.objects.filter(
            board_id=board.pk,
            name=realtime.SPRINT_CLOSED,
            data__sprint__id__in=[s.pk for s in sprints],
        ).values_list("seq", "data")
    }
    kept = compacted(board) if len(closes) < len(sprints) else None
    out = []
    for sprint in sprints:
        committed_points, committed_tasks = committed_of(sprint.committed)
        if sprint.pk in closes:
            completed_points, completed_tasks = _completed(board, sprint.pk, *closes[sprint.pk])
        else:
            row = (kept.velocity(sprint.pk) if kept else None) or {}
            completed_points = row.get("completed_points", 0)
            completed_tasks = row.get("completed_tasks", 0)
        out.append(
            {
                "sprint": sprint.pk,
                "name": sprint.name,
                "start": day(sprint.start),
                "end": day(sprint.end),
                "committed_points": committed_points,
                "completed_points": completed_points,
                "committed_tasks": committed_tasks,
                "completed_tasks": completed_tasks,
            }
        )
    return out
