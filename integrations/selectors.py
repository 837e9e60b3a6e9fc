"""Reads of the integrations: the caller's import jobs, the board to export, a feed's rows."""

from __future__ import annotations

from typing import Any

from django.db.models import Exists, OuterRef, QuerySet
from django.http import Http404

from board import access
from board.models import Sprint, Task

from .models import CalendarFeed, ImportJob
from .services.calendar import secret_hash

# A feed is fetched by calendar apps every few hours: bound what one fetch reads.
FEED_EVENTS_MAX = 2_000


def import_job_get_for_user(*, user: Any, job_id: Any) -> ImportJob:
    """The caller's own job; anyone else's, like a missing one, is a 404."""
    pk = access.valid_id(job_id)
    job = None if pk is None else ImportJob.objects.filter(pk=pk, owner=user).first()
    if job is None:
        raise Http404("No such import.")
    return job


def calendar_user(*, secret: str) -> Any:
    """The user whose feed this secret opens, or None (unknown, rotated or revoked)."""
    feed = (
        CalendarFeed.objects.filter(secret_hash=secret_hash(secret), user__is_active=True)
        .select_related("user")
        .first()
    )
    return feed.user if feed is not None else None


def calendar_tasks(*, user: Any) -> QuerySet[Task]:
    """Live tasks assigned to the user with a due date (assignees are members: removing a
    member unassigns): the latest due dates when there are more than a feed holds."""
    return (
        Task.objects.filter(assigned=user, due__isnull=False)
        .select_related("board", "sprint")
        .order_by("-due", "-pk")[:FEED_EVENTS_MAX]
    )


def calendar_sprints(*, user: Any) -> QuerySet[Sprint]:
    """Sprints of the user's boards that hold a live task assigned to the user."""
    mine = Task.objects.filter(sprint=OuterRef("pk"), assigned=user)
    return (
        Sprint.objects.filter(board_id__in=access.visible_board_ids(user))
        .filter(Exists(mine))
        .select_related("board")
        .order_by("-end", "-pk")[:FEED_EVENTS_MAX]
    )
