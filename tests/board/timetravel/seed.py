"""A long board history written in bulk: 20,000 events cost seconds, not minutes.

The board comes from `services.board_create` (genesis checkpoint, the owner's member.added);
the rest of the log is what tasks being created, edited and moved through a sprint write:
every event carries the full task values the services would store, so the fold reads it as
it reads a real history. Only the log is written (the live rows stay as created)."""

from __future__ import annotations

import datetime as dt
import random
from typing import Any
from unittest import mock

from django.utils import timezone

from board import services
from board.models import Board, BoardEvent
from board.services import Actor

JSON = dict[str, Any]


def _task(board_id: int, task_id: int, at: str) -> JSON:
    return {
        "id": task_id, "board": board_id, "sprint": None, "name": f"Task {task_id}",
        "description": "", "status": 1, "order": task_id, "assigned": None,
        "assigned_id": None, "started": None, "due": None, "completed": None,
        "points": None, "version": 1, "created_at": at, "updated_at": at,
    }  # fmt: skip


def long_board(owner: Any, *, events: int = 20_000, tasks: int = 500, seed: int = 1) -> Board:
    """A board whose log holds `events` events (seq 1 is the owner joining), spread one
    second apart ending now."""
    board = services.board_create(actor=Actor(owner), name="Long history")
    rng = random.Random(seed)
    start = timezone.now() - dt.timedelta(seconds=events)
    sprint = {
        "id": 10**9, "board": board.pk, "name": "Sprint", "description": "",
        "start": None, "end": "2100-01-01", "goal": "", "state": "planned", "version": 1,
    }  # fmt: skip
    rows, live = [], {}
    for seq in range(2, events + 1):
        at = start + dt.timedelta(seconds=seq)
        stamp = at.isoformat()
        if seq == 2:
            name, data = "sprint.created", dict(sprint)
        elif len(live) < tasks:
            task_id = 10**9 + seq
            live[task_id] = _task(board.pk, task_id, stamp)
            name, data = "task.created", dict(live[task_id])
        else:
            task = live[rng.choice(list(live))]
            task["version"] += 1
            task["updated_at"] = stamp
            if rng.random() < 0.5:
                task.update(sprint=sprint["id"], status=rng.choice([1, 2, 3, 4]))
                name, data = "task.moved", {"task": dict(task), "reordered": []}
            else:
                task.update(name=f"Task {seq}", points=rng.choice([None, 1, 2, 3, 5, 0.5]))
                name, data = "task.updated", dict(task)
        rows.append(BoardEvent(board=board, seq=seq, name=name, data=data, created_at=at))
    # created_at is auto_now_add, which would stamp every row "now": keep the spread times.
    with mock.patch.object(BoardEvent._meta.get_field("created_at"), "auto_now_add", False):
        BoardEvent.objects.bulk_create(rows, batch_size=1000)
    Board.objects.filter(pk=board.pk).update(last_seq=events)
    board.refresh_from_db()
    return board
