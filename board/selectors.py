"""Reads, with access built in: anything inside a board a user is not a member of is
indistinguishable from a board that does not exist (404 over REST, 4403 over WebSocket)."""

from __future__ import annotations

import functools
from datetime import timedelta
from typing import Any

from django.conf import settings
from django.contrib.auth import get_user_model
from django.db import connection, transaction
from django.db.models import OuterRef, Q, QuerySet, Subquery
from django.http import Http404
from django.utils import timezone

from .models import Board, BoardEvent, Membership, Sprint, Task

User = get_user_model()
MAX_ID = 2**63 - 1  # BigAutoField's range


def membership_role(*, user, board_id: int) -> str | None:
    """The user's role on a board, or None. REST permissions and sockets both ask this."""
    if not getattr(user, "is_authenticated", False) or not user.is_active:
        return None
    if not 0 < board_id <= MAX_ID:
        # /ws/boards/<digits>/ takes any length; SQLite raises OverflowError past 64 bits.
        return None
    return (
        Membership.objects.filter(board_id=board_id, user=user).values_list("role", flat=True)
    ).first()


def board_list_for_user(*, user) -> QuerySet[Board]:
    return (
        Board.objects.filter(memberships__user=user)
        .select_related("owner")
        .annotate(
            my_role=Subquery(
                Membership.objects.filter(board=OuterRef("pk"), user=user).values("role")[:1]
            )
        )
        .order_by("name", "pk")
    )


def board_get_for_user(*, user, board_id: int) -> Board:
    board = board_list_for_user(user=user).filter(pk=board_id).first()
    if board is None:
        raise Http404("No such board.")
    return board


def row_access(*, user, model: type[Sprint] | type[Task], pk: Any) -> tuple[int, str] | None:
    """(board id, the user's role there) for one sprint or task, or None when the row does not
    exist or lies outside the user's boards: the check a write to that row starts with.

    One statement in SQL: DRF's get_object compiled the whole list queryset for it, 0.8 ms of
    a PATCH's CPU (B6 profile); this is under 0.1 ms. The write itself re-reads the row under
    its board's lock, so nothing else of the row is needed here."""
    try:
        pk = int(pk)
    except (TypeError, ValueError):
        return None
    if not 0 < pk <= MAX_ID or not getattr(user, "is_active", False):
        return None
    with connection.cursor() as cursor:
        cursor.execute(_access_sql(model), [pk, user.pk])
        return cursor.fetchone()


@functools.cache
def _access_sql(model: type[Sprint] | type[Task]) -> str:
    qn, rows, members = connection.ops.quote_name, model._meta, Membership._meta
    board = qn(rows.get_field("board").column)
    return (  # built once; only identifiers from model metadata, values are parameters
        f"SELECT r.{board}, m.{qn(members.get_field('role').column)} "  # noqa: S608
        f"FROM {qn(rows.db_table)} r INNER JOIN {qn(members.db_table)} m "
        f"ON m.{qn(members.get_field('board').column)} = r.{board} "
        f"WHERE r.{qn(rows.pk.column)} = %s AND m.{qn(members.get_field('user').column)} = %s"
    )


def sprint_list_for_user(*, user) -> QuerySet[Sprint]:
    return Sprint.objects.filter(board__memberships__user=user).order_by("end", "pk")


# A task's own columns and its assignee's username: the task JSON reads nothing else of the
# user, and building whole User rows was a fifth of fetching a 50-task page (B6 profile).
_TASK_ROW = [*(field.name for field in Task._meta.concrete_fields), "assigned__username"]


def task_list_for_user(*, user) -> QuerySet[Task]:
    return (
        Task.objects.filter(board__memberships__user=user)
        .select_related("assigned")
        .only(*_TASK_ROW)
        .order_by("order", "pk")
    )


def member_list(*, board_id: int) -> QuerySet[Membership]:
    return (
        Membership.objects.filter(board_id=board_id)
        .select_related("user")
        .order_by("joined_at", "pk")
    )


def users_visible_to(*, user) -> QuerySet:
    """Users who share at least one board with `user`, and `user`."""
    boards = Membership.objects.filter(user=user).values("board_id")
    shared = Membership.objects.filter(board_id__in=boards).values("user_id")
    return User.objects.filter(Q(pk__in=shared) | Q(pk=user.pk), is_active=True).order_by(
        "username"
    )


def board_events_after(*, board_id: int, after: int, limit: int) -> list[BoardEvent]:
    return list(
        BoardEvent.objects.filter(board_id=board_id, seq__gt=after)
        .select_related("actor")
        .order_by("seq")[:limit]
    )


# --- the log as sockets read it (board/live/) ---------------------------------------------

_LOG_BATCH = 500


def board_head(*, board_id: int) -> tuple[int, str] | None:
    """(newest seq, epoch) of a board, or None when it is gone."""
    return Board.objects.filter(pk=board_id).values_list("last_seq", "epoch").first()


def board_heads(*, board_ids: list[int]) -> dict[int, int]:
    """Newest seq of each board that still exists: one statement for every board a process
    holds sockets on (boards missing from the answer were deleted)."""
    return dict(Board.objects.filter(pk__in=board_ids).values_list("pk", "last_seq"))


def board_events_between(*, board_id: int, after: int, upto: int) -> list[BoardEvent]:
    """Events with after < seq <= upto, oldest first, read in bounded batches."""
    events: list[BoardEvent] = []
    while after < upto:
        batch = list(
            BoardEvent.objects.filter(board_id=board_id, seq__gt=after, seq__lte=upto)
            .select_related("actor")
            .order_by("seq")[:_LOG_BATCH]
        )
        events += batch
        if len(batch) < _LOG_BATCH:
            break
        after = batch[-1].seq
    return events


def replay_possible(*, board_id: int, since: int, head: int, replay_max: int) -> bool:
    """True if every event after `since` is still in the retained log and worth replaying.

    False means `resync_required`: `since` is ahead of the board (another board's seq, a
    restored database), older than retention, or so far behind that a snapshot is cheaper."""
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


def board_roles(*, board_ids: list[int]) -> dict[int, dict[int, str]]:
    """{board id: {user id: role}} of active users, for the boards a process holds sockets on.
    The same rule as membership_role, read for many sockets in one statement."""
    roles: dict[int, dict[int, str]] = {board_id: {} for board_id in board_ids}
    rows = Membership.objects.filter(board_id__in=board_ids, user__is_active=True).values_list(
        "board_id", "user_id", "role"
    )
    for board_id, user_id, role in rows:
        roles[board_id][user_id] = role
    return roles


def board_snapshot(*, board_id: int, request=None) -> dict[str, Any]:
    """Board, members, sprints and tasks as of exactly `seq`.

    Writers lock the board row before they change anything and keep the lock until commit,
    so holding that lock while reading gives one consistent cut: replaying events after
    `seq` on top of this snapshot misses nothing and applies nothing twice.
    """
    from .api.serializers import BoardSerializer, MemberSerializer, SprintSerializer, TaskSerializer

    context = {"request": request}
    with transaction.atomic():
        board = Board.objects.select_for_update().select_related("owner").get(pk=board_id)
        members = list(member_list(board_id=board_id))
        sprints = list(Sprint.objects.filter(board_id=board_id).order_by("end", "pk"))
        tasks = list(
            Task.objects.filter(board_id=board_id)
            .select_related("assigned")
            .order_by("order", "pk")
        )
    role = next((m.role for m in members if request and m.user_id == request.user.pk), None)
    board.my_role = role
    return {
        "board": BoardSerializer(board, context=context).data,
        "members": MemberSerializer(members, many=True, context=context).data,
        "sprints": SprintSerializer(sprints, many=True, context=context).data,
        "tasks": TaskSerializer(tasks, many=True, context=context).data,
        "seq": board.last_seq,
        "epoch": board.epoch,
    }
