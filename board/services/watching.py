"""Who hears about a card: watching (SPEC section 12).

Stubs with their final signatures: the watching slice fills them in."""

from __future__ import annotations

from typing import Any

from ._events import Actor

# What a watcher is told about (a `task_activity` notification's data.what)
COMMENT, STATUS, ASSIGNED = "comment", "status", "assigned"


def auto_watch(*, task_id: int, user_id: int) -> None:
    """The user (an assignee, a commenter) watches the card unless they chose not to."""


def watch_set(*, actor: Actor, task_id: int, watching: bool) -> bool:
    """The actor's explicit choice for one card; returns it."""
    return watching


def is_watching(*, user_id: int, task_id: int) -> bool:
    return False


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
    the caller's transaction: rows now, pushes and mail once it commits."""
