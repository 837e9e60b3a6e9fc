"""Event log plumbing shared by every service.

Every write locks its board row first. That lock is what makes `seq` gap-free and ordered,
and it also serializes concurrent moves of one column, so two moves never pick the same slot.
"""

from __future__ import annotations

import enum
from dataclasses import dataclass
from typing import Any, TypeVar

from django.db import connection, models, transaction

from webhooks import triggers

from .. import realtime, sql
from ..models import Board, BoardEvent, EventTask


@dataclass(frozen=True)
class Actor:
    """Who made a change, and the client's own id for it (from X-Client-Op-Id)."""

    user: Any
    client_op_id: str = ""


class Unset(enum.Enum):
    """The default of a service's optional field: "not given", distinct from None ("clear")."""

    UNSET = enum.auto()


UNSET = Unset.UNSET
T = TypeVar("T")


def given(**fields: T | Unset) -> dict[str, T]:
    """The fields a caller passed, as {name: value}."""
    return {name: value for name, value in fields.items() if value is not UNSET}


class VersionConflict(Exception):
    """The caller's version is stale; `current` is the row as it is now."""

    def __init__(self, current: Any):
        super().__init__("stale version")
        self.current = current


def _board_locked(owner: type[models.Model] | None, pk: int) -> Board:
    for board in Board.objects.raw(sql.board_lock(owner), [pk]):
        return board
    raise Board.DoesNotExist("No such board.")


def board_lock(board_id: int) -> Board:
    """Lock the board row for the rest of the transaction (callers are inside atomic())."""
    return _board_locked(None, board_id)


def board_lock_of(model: type[models.Model], pk: int) -> Board:
    """Lock the board of one sprint or task, found and locked in one statement.

    Only the board row is locked: InnoDB takes no lock on the rows a subquery of a locking
    read reads (checked on MariaDB 10.11), so every write still locks its board before its
    row. A vanished row raises Board.DoesNotExist (a 404, like the row's own)."""
    return _board_locked(model, pk)


def event_append(board: Board, actor: Actor, name: str, data: dict[str, Any]) -> BoardEvent:
    """Append the next event of a locked board and broadcast it once the transaction commits."""
    assert name in realtime.EVENT_NAMES, name
    board.last_seq += 1
    with connection.cursor() as cursor:
        cursor.execute(sql.last_seq_update(), [board.last_seq, board.pk])
    event = BoardEvent.objects.create(
        board=board,
        seq=board.last_seq,
        name=name,
        data=data,
        actor=actor.user,
        client_op_id=actor.client_op_id or "",
    )
    touched = realtime.tasks_touched(name, data)
    if touched:
        EventTask.objects.bulk_create(
            [EventTask(board_id=board.pk, seq=event.seq, task_id=task) for task in touched]
        )
    transaction.on_commit(lambda: realtime.broadcast_event(event))
    # After the broadcast, and robust: a failure to wake the webhooks is logged, the sweep
    # catches up, and the committed write still answers.
    transaction.on_commit(lambda: triggers.board_event_committed(board.pk), robust=True)
    return event


def check_version(row: Any, expected: int | None) -> None:
    if expected is not None and expected != row.version:
        raise VersionConflict(row)
