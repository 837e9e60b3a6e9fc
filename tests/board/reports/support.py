"""Reports tests' tools: a clock the whole stack reads (event times, the rules' and the
reports' "today"), a restore that works before and after the trash service lands, and the
brute-force replay the reports are held equal to."""

from __future__ import annotations

import datetime as dt
import importlib
import zoneinfo
from contextlib import contextmanager
from decimal import Decimal
from unittest import mock

from django.db import transaction

from board import realtime, representation
from board.history.state import BoardState
from board.models import BoardCheckpoint, BoardEvent, Sprint, SprintState, Status, Task
from board.services import Actor
from board.services._events import board_lock, event_append

UTC = dt.UTC


class Clock:
    def __init__(self, at: dt.datetime):
        self.at = at

    def advance(self, **delta) -> None:
        self.at += dt.timedelta(**delta)

    def now(self) -> dt.datetime:
        return self.at


@contextmanager
def frozen(at: dt.datetime):
    """`timezone.now()` returns the clock's time: auto_now_add stamps events with it and the
    rules' board_today reads it."""
    clock = Clock(at)
    with mock.patch("django.utils.timezone.now", clock.now):
        yield clock


def lifecycle():
    """Helper A's sprint_start/close/plan once they exist, else None."""
    try:
        return importlib.import_module("board.services.sprint_lifecycle")
    except ImportError:
        return None


def restore(actor: Actor, task_id: int) -> None:
    service = getattr(importlib.import_module("board.services.trash"), "task_restore", None)
    if service is not None:
        service(actor=actor, task_id=task_id)
        return
    with transaction.atomic():
        task = Task.all_objects.select_related("assigned").get(pk=task_id)
        board = board_lock(task.board_id)
        Task.all_objects.filter(pk=task_id).update(deleted_at=None)
        event_append(board, actor, realtime.TASK_RESTORED, representation.task_values(task))


# --- the brute force: every day refolds the whole log from seq 0 -------------------------


def _log(board_id):
    return list(
        BoardEvent.objects.filter(board_id=board_id)
        .order_by("seq")
        .values_list("seq", "name", "data", "created_at")
    )


def _genesis(board_id) -> dict:
    return BoardCheckpoint.objects.get(board_id=board_id, seq=0).state


def _fold(genesis: dict, log, upto: int) -> BoardState:
    state = BoardState.from_json(genesis)
    for seq, name, data, _ in log:
        if seq > upto:
            break
        state.apply(seq, name, data)
    return state


def _pts(task) -> Decimal:
    return Decimal(str(task["points"])) if task.get("points") is not None else Decimal(0)


def _num(value: Decimal):
    return int(value) if value == value.to_integral_value() else float(value)


def _totals(state: BoardState, sprint_id: int) -> tuple:
    tasks = [t for t in state.tasks.values() if t["sprint"] == sprint_id]
    open_ = [t for t in tasks if t["status"] != Status.DONE]
    return (
        _num(sum((_pts(t) for t in tasks), Decimal(0))),
        _num(sum((_pts(t) for t in open_), Decimal(0))),
        len(tasks),
        len(open_),
    )


def _last_seq_at(log, instant) -> int:
    return max((seq for seq, _, _, at in log if at <= instant), default=0)


def brute_burndown(board, sprint: Sprint, today: dt.date) -> dict:
    zone = zoneinfo.ZoneInfo(board.timezone)
    log, genesis = _log(board.pk), _genesis(board.pk)

    def end_of(day):
        return dt.datetime.combine(day + dt.timedelta(days=1), dt.time(), tzinfo=zone)

    rows = []
    day = sprint.start
    while day <= min(sprint.end, today):
        totals = _totals(_fold(genesis, log, _last_seq_at(log, end_of(day))), sprint.pk)
        rows.append(
            dict(
                zip(
                    ("date", "scope_points", "remaining_points", "scope_tasks", "remaining_tasks"),
                    (day.isoformat(), *totals),
                    strict=True,
                )
            )
        )
        day += dt.timedelta(days=1)
    started = [
        seq
        for seq, name, data, _ in log
        if name == realtime.SPRINT_STARTED and data["sprint"]["id"] == sprint.pk
    ]
    threshold = started[0] if started else _last_seq_at(log, end_of(sprint.start - dt.timedelta(1)))
    upto = _last_seq_at(log, end_of(min(sprint.end, today))) if rows else board.last_seq
    changes = []
    after = BoardState.from_json(genesis)
    for seq, name, data, at in log:
        before = after.copy()
        after.apply(seq, name, data)
        if threshold < seq <= upto:
            for task_id in sorted(set(before.tasks) | set(after.tasks)):
                was, now = (
                    (1, _pts(s.tasks[task_id]))
                    if task_id in s.tasks and s.tasks[task_id]["sprint"] == sprint.pk
                    else (0, Decimal(0))
                    for s in (before, after)
                )
                if was != now:
                    changes.append(
                        {
                            "seq": seq,
                            "at": representation.stamp(at),
                            "task": task_id,
                            "points_delta": _num(now[1] - was[1]),
                        }
                    )
    return {"unit_days": rows, "scope_changes": changes}


def brute_velocity(board) -> list[dict]:
    log, genesis = _log(board.pk), _genesis(board.pk)
    out = []
    closed = Sprint.objects.filter(board=board, state=SprintState.CLOSED).order_by("-end", "-pk")
    for sprint in closed:
        (close_seq,) = [
            seq
            for seq, name, data, _ in log
            if name == realtime.SPRINT_CLOSED and data["sprint"]["id"] == sprint.pk
        ]
        (committed,) = [
            data["committed"]
            for _, name, data, _ in log
            if name == realtime.SPRINT_STARTED and data["sprint"]["id"] == sprint.pk
        ]
        state = _fold(genesis, log, close_seq)
        done = [
            t
            for t in state.tasks.values()
            if t["sprint"] == sprint.pk and t["status"] == Status.DONE
        ]
        out.append(
            {
                "sprint": sprint.pk,
                "name": sprint.name,
                "start": sprint.start.isoformat(),
                "end": sprint.end.isoformat(),
                "committed_points": _num(Decimal(str(committed["points"]))),
                "completed_points": _num(sum((_pts(t) for t in done), Decimal(0))),
                "committed_tasks": len(committed["tasks"]),
                "completed_tasks": len(done),
            }
        )
    return out


def by_seq_task(changes: list[dict]) -> list[dict]:
    return sorted(changes, key=lambda c: (c["seq"], c["task"]))


def prune(board, seq: int) -> None:
    """What compaction does, by hand: the state at `seq` with compaction_reports under
    "reports" as a compaction checkpoint, `history_from` moved there, older events and
    checkpoints deleted."""
    from board.history.replay import state_at
    from board.history.reports import compaction_reports

    state = state_at(board.pk, seq).to_json()
    state["reports"] = compaction_reports(board.pk, seq)
    at = BoardEvent.objects.get(board=board, seq=seq).created_at
    BoardCheckpoint.objects.update_or_create(
        board=board, seq=seq, defaults={"state": state, "at": at, "compaction": True}
    )
    type(board).objects.filter(pk=board.pk).update(history_from=seq)
    BoardEvent.objects.filter(board=board, seq__lte=seq).delete()
    BoardCheckpoint.objects.filter(board=board, seq__lt=seq).delete()
