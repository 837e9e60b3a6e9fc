"""The board as it stood after any event: the newest checkpoint at or before it, plus the
events after that checkpoint folded on (board/history/state.py)."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from ..models import BoardCheckpoint, BoardEvent
from .state import BoardState

_BATCH = 2000


class HistoryPruned(Exception):
    """The state asked for lies before the board's retained history (410 over REST)."""


def events_between(board_id: int, after: int, upto: int) -> Iterator[tuple[int, str, Any]]:
    """(seq, name, data) of the events after < seq <= upto, oldest first, in bounded batches
    of plain tuples (no model instances: a replay reads thousands)."""
    while after < upto:
        batch = list(
            BoardEvent.objects.filter(board_id=board_id, seq__gt=after, seq__lte=upto)
            .order_by("seq")
            .values_list("seq", "name", "data")[:_BATCH]
        )
        yield from batch
        if len(batch) < _BATCH:
            return
        after = batch[-1][0]


def checkpoint_before(board_id: int, seq: int) -> BoardState:
    """The newest stored state at or before `seq`."""
    row = (
        BoardCheckpoint.objects.filter(board_id=board_id, seq__lte=seq)
        .order_by("-seq")
        .values_list("state", flat=True)
        .first()
    )
    if row is None:
        raise HistoryPruned(f"no history of board {board_id} at or before seq {seq}")
    return BoardState.from_json(row)


def state_at(board_id: int, seq: int) -> BoardState:
    """The board right after event `seq` (0: as created). Callers check `seq` against the
    board's `history_from` and `last_seq` first."""
    state = checkpoint_before(board_id, seq)
    for event_seq, name, data in events_between(board_id, state.seq, seq):
        state.apply(event_seq, name, data)
    if state.seq != seq:
        raise HistoryPruned(f"board {board_id}'s log ends before seq {seq}")
    return state
