"""Writes to boards and their memberships."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import F

from .. import realtime
from ..models import Board, BoardCheckpoint, Membership, Role, Task
from ._events import UNSET, Actor, Unset, board_lock, event_append, given


def board_create(
    *, actor: Actor, name: str, description: str = "", timezone: str | None = None
) -> Board:
    """Create a board; its creator becomes owner, which is the board's first event. The board
    keeps the creator's days unless told another zone."""
    with transaction.atomic():
        board = Board.objects.create(
            name=name,
            description=description,
            owner=actor.user,
            timezone=timezone or actor.user.timezone,
        )
        membership = Membership.objects.create(board=board, user=actor.user, role=Role.OWNER)
        # Seq 0 of its history: the board before any event (board/history/state.py).
        genesis = {"board": realtime.board_payload(board), "seq": 0, "members": [],
                   "sprints": [], "tasks": [], "trash": []}  # fmt: skip
        BoardCheckpoint.objects.create(board=board, seq=0, state=genesis, at=board.created_at)
        board = board_lock(board.pk)
        board.owner = actor.user
        event_append(board, actor, realtime.MEMBER_ADDED, realtime.member_payload(membership))
        # The creator's other tabs showing their boards list add it too.
        added = realtime.membership_frame(realtime.MEMBERSHIP_ADDED, board, Role.OWNER)
        realtime.push_on_commit([(actor.user.pk, added)])
    return board


def board_update(
    *,
    actor: Actor,
    board_id: int,
    name: str | Unset = UNSET,
    description: str | Unset = UNSET,
    timezone: str | Unset = UNSET,
) -> Board:
    """An edit that changes no value writes nothing and emits nothing."""
    fields = given(name=name, description=description, timezone=timezone)
    with transaction.atomic():
        board = board_lock(board_id)
        if all(getattr(board, key) == value for key, value in fields.items()):
            return board
        for key, value in fields.items():
            setattr(board, key, value)
        board.save(update_fields=list(fields))
        event_append(board, actor, realtime.BOARD_UPDATED, realtime.board_payload(board))
    return board


def board_delete(*, actor: Actor, board_id: int) -> None:
    """Delete a board with everything on it. Its log goes too, so there is no event; sockets
    on the board are closed by the realtime layer's board-deleted hook."""
    with transaction.atomic():
        board = board_lock(board_id)
        members = list(Membership.objects.filter(board=board).values_list("user_id", flat=True))
        gone = realtime.membership_removed_frame(board, actor.user, realtime.BOARD_GONE)
        Task.objects.filter(board=board).delete()
        board.delete()
        transaction.on_commit(lambda: realtime.board_deleted(board_id))
        realtime.push_on_commit([(user_id, gone) for user_id in members])


def member_add(*, actor: Actor, board_id: int, user: Any, role: str) -> Membership:
    """Add a member; their open boards list shows the board at once (a personal frame)."""
    with transaction.atomic():
        board = board_lock(board_id)
        if Membership.objects.filter(board=board, user=user).exists():
            raise ValidationError({"username": "That user is already a member of this board."})
        membership = Membership.objects.create(board=board, user=user, role=role)
        event_append(board, actor, realtime.MEMBER_ADDED, realtime.member_payload(membership))
        frame = realtime.membership_frame(realtime.MEMBERSHIP_ADDED, board, role)
        realtime.push_on_commit([(user.pk, frame)])
    return membership


def _membership_for_change(board: Board, user_id: int) -> Membership:
    membership = Membership.objects.select_related("user").get(board=board, user_id=user_id)
    if membership.user_id == board.owner_id:
        raise ValidationError({"role": "The board's owner cannot be demoted or removed."})
    return membership


def member_update(*, actor: Actor, board_id: int, user_id: int, role: str) -> Membership:
    with transaction.atomic():
        board = board_lock(board_id)
        membership = _membership_for_change(board, user_id)
        if membership.role == role:
            return membership
        membership.role = role
        membership.save(update_fields=["role"])
        event_append(board, actor, realtime.MEMBER_UPDATED, realtime.member_payload(membership))
        frame = realtime.membership_frame(realtime.MEMBERSHIP_UPDATED, board, role)
        realtime.push_on_commit([(user_id, frame)])
    return membership


def member_remove(*, actor: Actor, board_id: int, user_id: int) -> None:
    """Remove a member and unassign their tasks here (only members may be assigned)."""
    with transaction.atomic():
        board = board_lock(board_id)
        membership = _membership_for_change(board, user_id)
        tasks = Task.objects.filter(board=board, assigned_id=user_id)
        unassigned = list(tasks.values_list("pk", flat=True))
        tasks.update(assigned=None, version=F("version") + 1)
        membership.delete()
        data = {"user": realtime.user_payload(membership.user), "unassigned": unassigned}
        # The event itself closes the user's sockets on this board (board/live/cursor.py).
        event_append(board, actor, realtime.MEMBER_REMOVED, data)
        reason = realtime.LEFT if actor.user.pk == user_id else realtime.REMOVED_BY_OWNER
        frame = realtime.membership_removed_frame(board, actor.user, reason)
        realtime.push_on_commit([(user_id, frame)])
