"""A sprint's burndown from the event log (SPEC section 11; docs/planning.md).

Not a replay per day: the state at the start (replay.state_at, from the nearest checkpoint),
then one pass over the events of the charted days, emitting a row each time the pass reaches
the last event of a day."""

from __future__ import annotations

import datetime as dt
import zoneinfo
from decimal import Decimal
from typing import Any

from ... import realtime
from ...models import Board, BoardEvent, Sprint
from ...representation import sprint_totals, stamp
from ...services.rules import board_today
from ..log import instant, log_rows
from ..replay import state_at
from .fold import Slot, TaskFold, as_points
from .log import Days, day_end, last_seqs_at
from .stored import Compacted, compacted

JSON = dict[str, Any]


class NotCharted(Exception):
    """The sprint has no start date yet: there is no first day to chart from."""


def started_seq(board_id: int, sprint_id: int) -> int | None:
    return (
        BoardEvent.objects.filter(
            board_id=board_id, name=realtime.SPRINT_STARTED, data__sprint__id=sprint_id
        )
        .values_list("seq", flat=True)
        .first()
    )


def _row(day: dt.date, totals: tuple[Any, ...] | list[Any]) -> JSON:
    scope, remaining, tasks, open_tasks = totals
    return {
        "date": day.isoformat(),
        "scope_points": scope,
        "remaining_points": remaining,
        "scope_tasks": tasks,
        "remaining_tasks": open_tasks,
    }


def ideal_line(start: dt.date, end: dt.date, committed: Decimal) -> list[JSON]:
    """Committed points on the start day down to 0 on the end day, evenly (a one-day sprint
    ends at 0)."""
    length = (end - start).days
    out = []
    for i in range(length + 1):
        left = committed * (length - i) / length if length else Decimal(0)
        out.append(
            {"date": (start + dt.timedelta(days=i)).isoformat(), "remaining_points": _num(left)}
        )
    return out


def _num(value: Decimal) -> int | float:
    rounded = round(value, 2)
    return int(rounded) if rounded == rounded.to_integral_value() else float(rounded)


def _in_sprint(slot: Slot | None, sprint_id: int) -> tuple[int, int]:
    return (1, slot[2]) if slot is not None and slot[0] == sprint_id else (0, 0)


def scope_change(sprint_id: int, touched, seq: int, at: dt.datetime) -> list[JSON]:
    """Tasks whose membership of the sprint or whose points the event changed."""
    out = []
    for task_id, before, after in touched:
        was, now = _in_sprint(before, sprint_id), _in_sprint(after, sprint_id)
        if was != now:
            delta = now[1] - was[1]
            out.append(
                {"seq": seq, "at": stamp(at), "task": task_id, "points_delta": as_points(delta)}
            )
    return out


def burndown(*, board: Board, sprint: Sprint) -> JSON:
    if sprint.start is None:
        raise NotCharted("This sprint has no start date yet: plan or start it first.")
    zone = zoneinfo.ZoneInfo(board.timezone)
    start, last_day = sprint.start, min(sprint.end, board_today(board))
    days = Days(start, max(0, (last_day - start).days + 1), zone)
    kept = compacted(board)
    begun = started_seq(board.pk, sprint.pk) or kept.started(sprint.pk)
    # The last event of the day before the start and of each charted day, in one statement.
    eve = start - dt.timedelta(days=1)
    found = last_seqs_at(board.pk, [day_end(eve, zone), *days.ends])
    base = _seq_on(board, kept, found[0], eve, zone)
    cutoffs = [
        _seq_on(board, kept, seq, day, zone) for seq, day in zip(found[1:], days.dates, strict=True)
    ]
    threshold = begun if begun is not None else base
    head = cutoffs[-1] if cutoffs else board.last_seq
    rows, changes = _pass(
        board, sprint.pk, days, cutoffs, kept, min(threshold, base), threshold, head
    )
    if sprint.committed:
        committed = Decimal(str(sprint.committed.get("points") or 0))
    elif rows:
        committed = Decimal(str(rows[0]["scope_points"]))
    else:
        committed = Decimal(str(sprint_totals(sprint)["points_total"] or 0))
    return {
        "unit_days": rows,
        "ideal": ideal_line(start, sprint.end, committed),
        "scope_changes": changes,
    }


def _seq_on(
    board: Board, kept: Compacted, found: int | None, day: dt.date, zone: zoneinfo.ZoneInfo
) -> int:
    """The seq of the last event on or before `day`: `found` among the retained events, else
    from the compaction checkpoint when that day's events were pruned, else none is retained
    so far and the retained history's start is."""
    if found is not None:
        return found
    if kept.covers(day_end(day, zone)):
        return kept.last_seq_on(day)
    return board.history_from


def _pass(
    board: Board, sprint_id: int, days: Days, cutoffs: list[int], kept: Compacted,
    after: int, threshold: int, head: int,
) -> tuple[list[JSON], list[JSON]]:  # fmt: skip
    """Rows for the charted days (each the state after its cutoff seq) and the scope changes
    after `threshold`, from the state at `after` (no earlier than the retained history) and
    one pass over the events up to `head`."""
    after = max(after, kept.seq)
    changes = [
        {"seq": c[0], "at": c[1], "task": c[2], "points_delta": c[3]}
        for c in kept.scope_changes(sprint_id, threshold)
        if c[0] <= head  # a change after the charted days is not on this chart
    ]
    rows: list[JSON | None] = [None] * len(days.dates)
    for i, (day, end) in enumerate(zip(days.dates, days.ends, strict=True)):
        if kept.covers(end):
            rows[i] = _row(day, kept.day_row(sprint_id, day) or (0, 0, 0, 0))
    fold = TaskFold.from_state(state_at(board.pk, after))
    pending = [i for i, row in enumerate(rows) if row is None]
    position = 0

    def emit(seq: int) -> None:
        nonlocal position
        while position < len(pending) and cutoffs[pending[position]] <= seq:
            index = pending[position]
            rows[index] = _row(days.dates[index], fold.totals(sprint_id))
            position += 1

    emit(after)
    for seq, name, data, at in log_rows(board.pk, after, head):
        touched = fold.apply(name, data)
        if seq > threshold and touched:
            changes.extend(scope_change(sprint_id, touched, seq, instant(at)))
        emit(seq)
    return [row for row in rows if row is not None], changes
