"""The event log as the reports read it: (seq, name, data, created_at), and the local days of
the board's time zone those events fall on."""

from __future__ import annotations

import datetime as dt
import zoneinfo
from collections.abc import Sequence

from django.db.models import Max, Q

from ...models import BoardEvent

_CHUNK = 2000


def day_end(day: dt.date, zone: zoneinfo.ZoneInfo) -> dt.datetime:
    """The local midnight that ends `day` (an event at that very instant still counts on it)."""
    return dt.datetime.combine(day + dt.timedelta(days=1), dt.time(), tzinfo=zone)


def last_seqs_at(board_id: int, instants: Sequence[dt.datetime]) -> list[int | None]:
    """For each instant, the seq of the last event at or before it (None: no retained event),
    all in one statement."""
    if not instants:
        return []
    marks = {
        f"m{i}": Max("seq", filter=Q(created_at__lte=instant)) for i, instant in enumerate(instants)
    }
    row = BoardEvent.objects.filter(board_id=board_id).aggregate(**marks)
    return [row[f"m{i}"] for i in range(len(instants))]


class Days:
    """Consecutive local days and the instants that end them."""

    def __init__(self, first: dt.date, count: int, zone: zoneinfo.ZoneInfo):
        self.dates = [first + dt.timedelta(days=i) for i in range(count)]
        self.ends = [day_end(day, zone) for day in self.dates]
