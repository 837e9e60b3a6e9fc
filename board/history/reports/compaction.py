"""`compaction_reports(board_id, seq)`: what burndown and velocity need of the events at and
before `seq`, for the compaction checkpoint there (board/history/ compaction stores it under
its state's "reports" key; the format is in stored.py).

Built from the previous compaction's reports (if the board was pruned before) and one pass
over the events after it, in the board's zone as it is now."""

from __future__ import annotations

import datetime as dt
import zoneinfo
from typing import Any

from ... import realtime
from ...models import Board
from ..log import instant, log_rows
from ..replay import state_at
from .burndown import scope_change
from .fold import TaskFold, as_points
from .log import day_end
from .stored import compacted, empty

JSON = dict[str, Any]


class _Days:
    """Per sprint, the rows of the days that ended before the checkpoint's instant, kept only
    on days where they differ from the day before; and the last seq of each such day."""

    def __init__(self, fold: TaskFold, reports: JSON, zone: zoneinfo.ZoneInfo, seq: int):
        self.fold, self.zone, self.seq = fold, zone, seq
        self.rows: dict[str, list[list[Any]]] = {k: list(v) for k, v in reports["days"].items()}
        self.day_seqs: list[list[Any]] = list(reports["day_seqs"])
        self.day: dt.date | None = None
        self.dirty: set[int] = set()

    def reach(self, at: dt.datetime) -> None:
        """Close every day that ended before `at` (the instant of the next event)."""
        if self.day is not None and day_end(self.day, self.zone) < at:
            self._close(self.day)
        # The day this event counts on: midnight itself still belongs to the day it ends.
        local = at.astimezone(self.zone)
        self.day = local.date() - dt.timedelta(days=1 if local.time() == dt.time() else 0)

    def _close(self, day: dt.date) -> None:
        for sprint_id in sorted(self.dirty):
            row = [day.isoformat(), *self.fold.totals(sprint_id)]
            kept = self.rows.setdefault(str(sprint_id), [])
            if not kept or kept[-1][1:] != row[1:]:
                kept.append(row)
        self.dirty.clear()
        self.day_seqs.append([day.isoformat(), self.seq])


def compaction_reports(board_id: int, seq: int) -> JSON:
    board = Board.objects.get(pk=board_id)
    kept = compacted(board)
    reports = {**empty(), **kept.reports, "zone": board.timezone}
    zone = zoneinfo.ZoneInfo(board.timezone)
    state = state_at(board_id, kept.seq)
    fold = TaskFold.from_state(state)
    days = _Days(fold, reports, zone, kept.seq)
    if kept.at is not None:
        # The day the previous compaction ended in is still open: its rows were not kept.
        days.reach(kept.at)
        # Every sprint: one whose last task left it that day has no totals in the fold.
        days.dirty = set(fold.sprints) | set(state.sprints)
    for event_seq, name, data, at_text in log_rows(board_id, kept.seq, seq):
        at = instant(at_text)
        days.reach(at)
        touched = fold.apply(name, data)
        sprints = {slot[0] for _, *slots in touched for slot in slots if slot and slot[0]}
        days.dirty |= sprints
        for sprint_id in sprints:
            changes = scope_change(sprint_id, touched, event_seq, at)
            if changes:
                listed = reports["scope_changes"].setdefault(str(sprint_id), [])
                listed.extend([c["seq"], c["at"], c["task"], c["points_delta"]] for c in changes)
        _lifecycle(reports, fold, name, data, event_seq)
        days.seq = event_seq
    # The day of the event at `seq` ends at or after the checkpoint: the live pass charts it.
    reports["days"], reports["day_seqs"] = days.rows, days.day_seqs
    return reports


def _lifecycle(reports: JSON, fold: TaskFold, name: str, data: JSON, seq: int) -> None:
    if name == realtime.SPRINT_STARTED:
        reports["started"][str(data["sprint"]["id"])] = seq
    elif name == realtime.SPRINT_CLOSED:
        sprint_id = data["sprint"]["id"]
        # After the close only its Done tasks are left in it (the rest were carried).
        scope, remaining, tasks, open_tasks = fold.tenths(sprint_id)
        reports["velocity"][str(sprint_id)] = {
            "completed_points": as_points(scope - remaining),
            "completed_tasks": tasks - open_tasks,
        }
