"""The replay lever: a cache checkpoint every EVERY events, written by the replay that passes it.

Replaying a 20,000-event board from seq 0 costs ~550 ms (SQLite and MariaDB alike: most of it
is decoding the events' JSON), over B8's 500 ms. A checkpoint is a pure function of the log,
which is append-only, so the state a replay holds when it passes seq k*EVERY is stored as it
goes; any later replay then starts at most EVERY events back (~30 ms). Written lazily by
reads rather than by writers: no write pays for it, a board nobody looks back at stores
none, and it needs no job to catch up. Two replays racing to store the same one are both
right: the second insert is ignored (unique board, seq).

Compaction (compaction.py) deletes the ones below its checkpoint; a cache checkpoint is never
marked `compaction`, so retention and reports (board/history/reports/stored.py) ignore it.
docs/benchmarks.md has the measurement; tests/board/timetravel/test_checkpoints.py guards it.
"""

from __future__ import annotations

from typing import Any

from django.conf import settings

from ..models import BoardCheckpoint, BoardEvent
from .state import BoardState

DEFAULT_EVERY = 1000


def every() -> int:
    """Events between two cache checkpoints (HISTORY_CHECKPOINT_EVERY, 0 = none)."""
    return int(getattr(settings, "HISTORY_CHECKPOINT_EVERY", DEFAULT_EVERY))


class Recorder:
    """Collects the states one replay passes at multiples of `every()` past where it began,
    and stores them in two statements at the end."""

    def __init__(self, board_id: int, start_seq: int, enabled: bool = True):
        self.board_id = board_id
        self.start_seq = start_seq
        self.step = every() if enabled else 0
        self.pending: list[tuple[int, dict[str, Any]]] = []

    def passed(self, state: BoardState) -> None:
        if self.step and state.seq % self.step == 0 and state.seq > self.start_seq:
            # A copy: the rows of `state` are changed in place by the events that follow.
            self.pending.append((state.seq, state.copy().to_json()))

    def save(self) -> int:
        """Store what was collected; returns how many were new or already there."""
        if not self.pending:
            return 0
        seqs = [seq for seq, _ in self.pending]
        times = dict(
            BoardEvent.objects.filter(board_id=self.board_id, seq__in=seqs).values_list(
                "seq", "created_at"
            )
        )
        rows = [
            BoardCheckpoint(board_id=self.board_id, seq=seq, state=state, at=times[seq])
            for seq, state in self.pending
            if seq in times  # pruned meanwhile: a compaction owns that part of history now
        ]
        BoardCheckpoint.objects.bulk_create(rows, ignore_conflicts=True)
        self.pending = []
        return len(rows)
