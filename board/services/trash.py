"""The board's trash: soft-deleted tasks, restorable for TRASH_DAYS."""

from __future__ import annotations


def trash_purge() -> int:
    """Delete for good the tasks in any trash for longer than TRASH_DAYS; returns how many."""
    return 0
