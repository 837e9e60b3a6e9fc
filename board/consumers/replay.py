"""Reads from the event log for sockets: the board head, retention and the events in a range.

Sync functions for database_sync_to_async. The log is gap-free per board (seq is assigned
under the board row lock and the row is written in the same transaction as the change), so
"every event in (after, upto]" is exactly `upto - after` rows when none were pruned.
"""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from django.conf import settings
from django.utils import timezone

from .. import realtime
from ..models import Board, BoardEvent
from ..selectors import board_events_after

BATCH = 500


def board_head(board_id: int) -> int | None:
    """The board's newest seq, or None if the board is gone."""
    return Board.objects.filter(pk=board_id).values_list("last_seq", flat=True).first()


def can_replay(board_id: int, since: int, head: int, replay_max: int) -> bool:
    """True if every event after `since` is still in the retained log (and worth replaying).

    False sends the client `resync_required`: its `since` is ahead of the board (a different
    board's seq, a restored database), older than retention, or so far behind that a
    snapshot is cheaper than a replay.
    """
    if since == head:
        return True
    if since > head or head - since > replay_max:
        return False
    oldest_allowed = timezone.now() - timedelta(days=settings.EVENT_RETENTION_DAYS)
    first = (
        BoardEvent.objects.filter(board_id=board_id, seq=since + 1)
        .values_list("created_at", flat=True)
        .first()
    )
    return first is not None and first >= oldest_allowed


def frames_between(board_id: int, after: int, upto: int | None = None) -> list[dict[str, Any]]:
    """Event frames with after < seq <= upto (or up to the head), oldest first."""
    frames: list[dict[str, Any]] = []
    while True:
        batch = board_events_after(board_id=board_id, after=after, limit=BATCH)
        for event in batch:
            if upto is not None and event.seq > upto:
                return frames
            frames.append(realtime.event_frame(event))
        if len(batch) < BATCH:
            return frames
        after = batch[-1].seq
