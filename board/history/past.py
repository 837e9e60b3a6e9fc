"""Time travel: which event a past view stands on, and the board as it was right after it.

A past view is named by a seq or by an instant; both end as `AsOf(seq, at)`, the event and
the time it happened. The rules (docs/history.md):
- 0 <= seq <= last_seq; seq 0 is the board as created.
- An instant picks the last event at or before it. Before the board was created it is bad
  input (there was no board to show), after now too (the board then is not known yet).
- Anything before the retained history (`Board.history_from`, the compaction checkpoint's
  seq and instant) is gone: `HistoryPruned`, 410 over REST.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from django.utils import timezone

from .. import representation
from ..models import Board, BoardCheckpoint, BoardEvent
from ..representation import JSON, Links
from .replay import HistoryPruned, state_at
from .state import BoardState


class NotInHistory(ValueError):
    """The seq or instant names no point of this board's history (400 over REST)."""

    def __init__(self, field: str, message: str):
        super().__init__(message)
        self.field = field


@dataclass(frozen=True)
class AsOf:
    seq: int
    at: dt.datetime


def _retained_start(board: Board) -> AsOf:
    """The oldest point still kept: the compaction checkpoint, or the genesis one."""
    at = (
        BoardCheckpoint.objects.filter(board_id=board.pk, seq=board.history_from)
        .values_list("at", flat=True)
        .first()
    )
    if at is None:
        raise HistoryPruned(f"board {board.pk} keeps no checkpoint at {board.history_from}")
    return AsOf(board.history_from, at)


def as_of_seq(board: Board, seq: int) -> AsOf:
    if seq < 0:
        raise NotInHistory("seq", "Must be 0 or more.")
    if seq > board.last_seq:
        raise NotInHistory("seq", f"The board's last event is {board.last_seq}.")
    if seq < board.history_from:
        raise HistoryPruned(f"history before seq {board.history_from} was pruned")
    if seq == board.history_from:
        return _retained_start(board)
    at = (
        BoardEvent.objects.filter(board_id=board.pk, seq=seq)
        .values_list("created_at", flat=True)
        .first()
    )
    if at is None:
        raise HistoryPruned(f"event {seq} of board {board.pk} is not in the log")
    return AsOf(seq, at)


def as_of_instant(board: Board, at: dt.datetime) -> AsOf:
    """`at` is aware. The last event at or before it, in one statement (board, seq index)."""
    if at < board.created_at:
        created = board.created_at.isoformat()
        raise NotInHistory("at", f"The board did not exist yet: it was created at {created}.")
    if at > timezone.now():
        raise NotInHistory("at", "Is in the future: for the board as it is now, omit it.")
    row = (
        BoardEvent.objects.filter(board_id=board.pk, seq__gt=board.history_from, created_at__lte=at)
        .order_by("-seq")
        .values_list("seq", "created_at")
        .first()
    )
    if row is not None:
        return AsOf(*row)
    start = _retained_start(board)
    if at < start.at:
        raise HistoryPruned(f"history before {start.at.isoformat()} was pruned")
    return start


def past_state(board: Board, as_of: AsOf) -> BoardState:
    return state_at(board.pk, as_of.seq)


def role_then(state: BoardState, user: Any, current_role: str | None) -> str | None:
    """The caller's role in the replayed members; a member who had not joined yet reads the
    past with the role they hold now (their access today is what lets them look)."""
    return state.role_of(user.pk) or current_role


def snapshot_json(
    state: BoardState, board: Board, *, role: str | None, links: Links, user: Any = None
) -> JSON:
    """The snapshot of a replayed state, rendered as the live one is (representation.py)."""
    return representation.snapshot_json(
        board=state.board,
        created_at=board.created_at,
        role=role,
        seq=state.seq,
        epoch=board.epoch,
        members=state.member_list(),
        sprints=state.sprint_list(),
        tasks=state.task_list(),
        labels=state.label_list(),
        links=links,
        user=user,
    )
