"""Who hears about a card: watching (SPEC section 12).

Assigning and commenting start watching a card unless the user chose not to; the explicit
choice is a TaskWatch row either way. Watchers hear about comments, status moves and
reassignment through one coalesced `task_activity` notification per card
(notifications/services/activity.py)."""

from __future__ import annotations

from typing import Any

from django.db.models import Exists, OuterRef

from notifications.services.activity import Recipient, activity_notify

from .. import access
from ..models import Membership, Task, TaskWatch
from ._events import Actor

# What a watcher is told about (a `task_activity` notification's data.items[].what)
COMMENT, STATUS, ASSIGNED = "comment", "status", "assigned"
WHATS = frozenset({COMMENT, STATUS, ASSIGNED})


def auto_watch(*, task_id: int, user_id: int) -> None:
    """The user (an assignee, a commenter) watches the card unless they chose not to."""
    # An insert that a concurrent one (or an explicit watching=False row) makes a no-op:
    # no read-then-write race, and an explicit "stop watching" is never overridden.
    TaskWatch.objects.bulk_create(
        [TaskWatch(task_id=task_id, user_id=user_id, watching=True)], ignore_conflicts=True
    )


def watch_set(*, actor: Actor, task_id: int, watching: bool) -> bool:
    """The actor's explicit choice for one card; returns it. Any member may watch (reading
    is enough); a card outside the actor's boards raises Task.DoesNotExist (a 404)."""
    if access.row_access(user=actor.user, model=Task, pk=task_id) is None:
        raise Task.DoesNotExist("No Task matches the given query.")
    TaskWatch.objects.update_or_create(
        task_id=task_id, user_id=actor.user.pk, defaults={"watching": watching}
    )
    return watching


def is_watching(*, user_id: int, task_id: int) -> bool:
    return TaskWatch.objects.filter(user_id=user_id, task_id=task_id, watching=True).exists()


def watchers_of(
    *, board_id: int, task_id: int, exclude: frozenset[int] | set[int] = frozenset()
) -> list[Recipient]:
    """The card's watchers who still see its board (a removed member keeps a stale row), in
    one query, with whether each wants activity mail."""
    member = Membership.objects.filter(board_id=board_id, user_id=OuterRef("user_id"))
    rows = (
        TaskWatch.objects.filter(task_id=task_id, watching=True, user__is_active=True)
        .filter(Exists(member))
        .exclude(user_id__in=exclude)
        .order_by("user_id")
        .values_list("user_id", "user__activity_mail", "user__email")
    )
    return [Recipient(user_id=uid, mail=bool(wants and email)) for uid, wants, email in rows]


def notify_watchers(
    *,
    board: Any,
    task: Any,
    actor: Actor,
    what: str,
    detail: dict[str, Any],
    exclude: frozenset[int] | set[int] = frozenset(),
) -> None:
    """Tell the card's watchers (members, not the actor, not `exclude`) what happened, inside
    the caller's transaction: rows now, pushes and mail once it commits.

    The caller holds the board's lock: that is what keeps two activities on one card from
    both opening a new notification for the same watcher."""
    assert what in WHATS, what
    skip = set(exclude)
    if actor.user is not None:
        skip.add(actor.user.pk)
    recipients = watchers_of(board_id=board.pk, task_id=task.pk, exclude=skip)
    activity_notify(
        recipients=recipients, board=board, task=task, actor=actor.user, what=what, detail=detail
    )
