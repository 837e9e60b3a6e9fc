"""Reading the event log fast: every replay (time travel, undo, checkpoints) and every report
reads its events through `log_rows`."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from typing import Any

import orjson
from django.db import connections
from django.db.models import CharField
from django.db.models.functions import Cast

from ..models import BoardEvent

_CHUNK = 2000

# --- reading the log fast: B8's 20,000 events in one statement, without Django's per-row
# conversions (the JSONField's json.loads was half the burndown) -------------------------

LogRow = tuple[int, str, Any, str]  # seq, name, data, created_at as the database's UTC text


def instant(text: str) -> dt.datetime:
    """A created_at read as text (the database's UTC form) as an aware datetime."""
    return dt.datetime.fromisoformat(text).replace(tzinfo=dt.UTC)


def log_rows(board_id: int, after: int, upto: int) -> Iterator[LogRow]:
    """The events after < seq <= upto, oldest first: one statement on a plain cursor, read in
    chunks, each event's JSON decoded by orjson (5x json.loads here) and its time left as
    text, since only the few that make a scope change need a datetime."""
    if upto <= after:
        return
    query = (
        BoardEvent.objects.filter(board_id=board_id, seq__gt=after, seq__lte=upto)
        .order_by("seq")
        .values_list("seq", "name", "data", Cast("created_at", CharField()))
    )
    # The router's choice, as the ORM would make it: the replica inside a report
    # (realtime_scrum/db_router.py), the primary for every replay.
    db = query.db
    sql, params = query.query.get_compiler(db).as_sql()
    loads = orjson.loads
    with connections[db].cursor() as cursor:
        cursor.execute(sql, params)
        while batch := cursor.fetchmany(_CHUNK):
            for seq, name, data, at in batch:
                yield seq, name, loads(data), str(at)
