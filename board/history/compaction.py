"""Pruning a board's oldest events into one compaction checkpoint (HISTORY_RETENTION_DAYS).

The checkpoint at `through_seq` holds the state there (so time travel from it on replays as
before) and what burndown and velocity need of the pruned events (board/history/reports/),
so neither report changes. Everything happens in one transaction under the board lock:
writers wait, and no reader sees events gone without the checkpoint that replaces them.
"""

from __future__ import annotations

import logging
from typing import Any

from django.db import transaction

from ..models import Board, BoardCheckpoint, BoardEvent
from ..services._events import board_lock
from .replay import state_at

log = logging.getLogger(__name__)


def _reports(board_id: int, through_seq: int) -> dict[str, Any] | None:
    """The reports' digest of the events being pruned; read before `history_from` moves (it
    folds on from the previous compaction's digest)."""
    try:
        from .reports import compaction_reports
    except ImportError:  # the reports package is optional to pruning itself
        return None
    return compaction_reports(board_id, through_seq)


def compact(*, board_id: int, through_seq: int) -> bool:
    """Make the state after `through_seq` the start of the board's retained history; returns
    False when history already starts there or later (nothing to do)."""
    with transaction.atomic():
        board = board_lock(board_id)
        if through_seq <= board.history_from:
            return False
        if through_seq > board.last_seq:
            raise ValueError(f"board {board_id} has no event {through_seq}")
        at = BoardEvent.objects.filter(board_id=board_id, seq=through_seq).values_list(
            "created_at", flat=True
        )[0]
        # Cache checkpoints on the way would be deleted below: do not write them.
        state = state_at(board_id, through_seq, remember=False).to_json()
        reports = _reports(board_id, through_seq)
        if reports is not None:
            state["reports"] = reports
        BoardCheckpoint.objects.update_or_create(
            board_id=board_id,
            seq=through_seq,
            defaults={"state": state, "at": at, "compaction": True},
        )
        BoardCheckpoint.objects.filter(board_id=board_id, seq__lt=through_seq).delete()
        pruned, _ = BoardEvent.objects.filter(board_id=board_id, seq__lte=through_seq).delete()
        Board.objects.filter(pk=board_id).update(history_from=through_seq)
    log.info("board %s: history from seq %s (%s events pruned)", board_id, through_seq, pruned)
    return True
