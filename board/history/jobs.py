"""Keeping history within its retention (HISTORY_RETENTION_DAYS): run hourly by board/tasks.py
and by hand with `manage.py prune_history`."""

from __future__ import annotations

import datetime as dt
import logging
from dataclasses import dataclass

from django.conf import settings
from django.db.models import Count, Max
from django.utils import timezone

from ..models import BoardEvent
from .compaction import compact

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class Due:
    board_id: int
    through_seq: int  # the last event older than the cutoff
    events: int  # how many events pruning removes


def retention() -> dt.timedelta | None:
    days = settings.HISTORY_RETENTION_DAYS
    return None if days is None else dt.timedelta(days=days)


def due_boards(*, board_id: int | None = None, now: dt.datetime | None = None) -> list[Due]:
    """Boards with events older than the retention, in one statement (created_at index). None
    without a retention: history is kept for ever by default."""
    keep = retention()
    if keep is None:
        return []
    cutoff = (now or timezone.now()) - keep
    old = BoardEvent.objects.filter(created_at__lt=cutoff)
    if board_id is not None:
        old = old.filter(board_id=board_id)
    rows = old.values("board_id").annotate(through=Max("seq"), events=Count("pk"))
    return [Due(r["board_id"], r["through"], r["events"]) for r in rows.order_by("board_id")]


def prune_due_boards(*, board_id: int | None = None) -> int:
    """Compact every due board through its last event past retention; returns how many were
    pruned. One board failing does not keep the others from being pruned."""
    pruned = 0
    for due in due_boards(board_id=board_id):
        try:
            pruned += compact(board_id=due.board_id, through_seq=due.through_seq)
        except Exception:
            log.exception("pruning board %s through seq %s failed", due.board_id, due.through_seq)
    return pruned
