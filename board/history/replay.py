"""The board as it stood after any event: the newest checkpoint at or before it, plus the
events after that checkpoint folded on (board/history/state.py)."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from ..models import BoardCheckpoint
from . import checkpoints
from .log import log_rows
from .state import BoardState


class HistoryPruned(Exception):
    """The state asked for lies before the board's retained history (410 over REST)."""


def events_between(board_id: int, after: int, upto: int) -> Iterator[tuple[int, str, Any]]:
    """(seq, name, data) of the events after < seq <= upto, oldest first, as plain tuples (no
    model instances: a replay reads thousands). One statement whatever the count: the rows
    come in chunks from its cursor, so a replay's query count is fixed."""
    return ((seq, name, data) for seq, name, data, _ in log_rows(board_id, after, upto))


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


def state_at(board_id: int, seq: int, *, remember: bool = True) -> BoardState:
    """The board right after event `seq` (0: as created). Callers check `seq` against the
    board's `history_from` and `last_seq` first.

    The fold raises rather than guess: an event with no handler or a seq gap in the log is a
    ValueError (state.py), a log that ends early is HistoryPruned. With `remember`, the
    states passed on the way are kept as cache checkpoints (checkpoints.py)."""
    state = checkpoint_before(board_id, seq)
    recorder = checkpoints.Recorder(board_id, state.seq, enabled=remember)
    for event_seq, name, data in events_between(board_id, state.seq, seq):
        state.apply(event_seq, name, data)
        recorder.passed(state)
    if state.seq != seq:
        raise HistoryPruned(f"board {board_id}'s log ends before seq {seq}")
    recorder.save()
    return state
