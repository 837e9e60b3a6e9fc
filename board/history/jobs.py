"""Keeping history within its retention (HISTORY_RETENTION_DAYS): run by board/tasks.py."""

from __future__ import annotations


def prune_due_boards() -> int:
    """Compact and prune every board whose oldest events are past retention; returns how many
    boards were pruned. (Filled in with board/history/compaction.py.)"""
    return 0
