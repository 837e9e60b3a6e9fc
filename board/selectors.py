"""Reads, with access built in: anything inside a board a user is not a member of is
indistinguishable from a board that does not exist (404 over REST, 4403 over WebSocket)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import timedelta
from typing import Any

from django.conf import settings
from django.contrib.auth import get_user_model
from django.db import transaction
from django.db.models import F, Q, QuerySet
from django.http import Http404
from django.utils import timezone

from . import access, representation
from .models import Board, BoardEvent, Label, Membership, Sprint, Task

User = get_user_model()


def boards_with_role(*, user: Any) -> QuerySet[Board]:
    """The user's boards, each annotated with `my_role`, read from the membership row the
    access rule joins (board/access.py)."""
    return (
        Board.objects.filter(memberships__in=access.memberships_of(user))
        .select_related("owner")
        .annotate(my_role=F("memberships__role"))
        .order_by("name", "pk")
    )


def board_get_for_user(*, user: Any, board_id: Any) -> Board:
    board_pk = access.valid_id(board_id)
    board = None if board_pk is None else boards_with_role(user=user).filter(pk=board_pk).first()
    if board is None:
        raise Http404("No such board.")
    return board


def sprint_list_for_user(*, user: Any) -> QuerySet[Sprint]:
    """With each sprint's totals annotated: a list costs the same queries at any length."""
    return (
        Sprint.objects.filter(board_id__in=access.visible_board_ids(user))
        .annotate(**representation.totals_annotation())
        .order_by("end", "pk")
    )


def task_list_for_user(*, user: Any) -> QuerySet[Task]:
    return (
        Task.objects.filter(board_id__in=access.visible_board_ids(user))
        .select_related("assigned")
        .prefetch_related(representation.LABEL_IDS)
        .order_by("order", "pk")
    )


def member_list(*, board_id: int) -> QuerySet[Membership]:
    return (
        Membership.objects.filter(board_id=board_id)
        .select_related("user")
        .order_by("joined_at", "pk")
    )


def users_visible_to(*, user: Any) -> QuerySet:
    """Users who share at least one board with `user`, and `user`."""
    boards = access.memberships_of(user).values("board_id")
    shared = Membership.objects.filter(board_id__in=boards).values("user_id")
    return User.objects.filter(Q(pk__in=shared) | Q(pk=user.pk), is_active=True).order_by(
        "username"
    )


INVITEE_SEARCH_MIN = 2
INVITEE_SEARCH_MAX_RESULTS = 10


def users_invitable(*, board_id: int, search: str) -> list[Any]:
    """Active users not on the board whose username, or a word of whose full name, starts with
    `search`: who an owner may invite, whether or not they share a board yet.

    Not a directory: the caller manages the board (the view checks), the search is a prefix of
    at least INVITEE_SEARCH_MIN characters, at most INVITEE_SEARCH_MAX_RESULTS come back, and
    only what the member list would show of them (id, username, full_name). One statement."""
    members = Membership.objects.filter(board_id=board_id).values("user_id")
    named = (
        Q(username__istartswith=search)
        | Q(full_name__istartswith=search)
        | Q(full_name__icontains=f" {search}")
    )
    return list(
        User.objects.filter(named, is_active=True)
        .exclude(pk__in=members)
        .only("id", "username", "full_name")
        .order_by("username")[:INVITEE_SEARCH_MAX_RESULTS]
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


@dataclass(frozen=True)
class BoardSnapshot:
    board: Board
    role: str | None
    members: list[Membership]
    sprints: list[Sprint]
    tasks: list[Task]
    labels: list[Label]
    user: Any = None  # the caller (its token may narrow `can`)

    def json(self, links: representation.Links) -> dict[str, Any]:
        """The snapshot as REST serves it (the same renderer as the board's past)."""
        return representation.snapshot_json(
            board=representation.board_values(self.board),
            created_at=self.board.created_at,
            role=self.role,
            seq=self.board.last_seq,
            epoch=self.board.epoch,
            members=[representation.member_values(m) for m in self.members],
            sprints=[representation.sprint_facts(x) for x in self.sprints],
            tasks=[representation.task_values(t) for t in self.tasks],
            labels=[representation.label_values(x) for x in self.labels],
            links=links,
            user=self.user,
        )


def board_snapshot(*, board_id: int, user: Any) -> BoardSnapshot:
    """Board, members, sprints and tasks as of exactly `board.last_seq`.

    Writers lock the board row before they change anything and keep the lock until commit,
    so holding that lock while reading gives one consistent cut: replaying events after
    `seq` on top of this snapshot misses nothing and applies nothing twice.
    """
    with transaction.atomic():
        board = Board.objects.select_for_update().select_related("owner").get(pk=board_id)
        members = list(member_list(board_id=board_id))
        sprints = list(Sprint.objects.filter(board_id=board_id).order_by("end", "pk"))
        tasks = list(
            Task.objects.filter(board_id=board_id)
            .select_related("assigned")
            .prefetch_related(representation.LABEL_IDS)
            .order_by("order", "pk")
        )
        labels = list(Label.objects.filter(board_id=board_id).order_by("pk"))
    role = next((m.role for m in members if m.user_id == user.pk), None)
    return BoardSnapshot(
        board=board, role=role, members=members, sprints=sprints, tasks=tasks, labels=labels,
        user=user,
    )  # fmt: skip
