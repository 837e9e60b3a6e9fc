"""Comments on a card (SPEC section 12): write, edit, delete, with their mentions.

Each write locks the board first (like every board write), so the card's comments_count,
the comment and its event move together, and the mention ledger cannot race an edit."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import F
from django.utils import timezone

from notifications.services import mentions

from .. import access, realtime
from ..models import Board, Comment, Task
from ..representation import comment_values
from . import watching
from ._events import Actor, board_lock_of, event_append

BODY_MAX = 10_000


def comment_body_clean(body: Any) -> str:
    """The body as stored: stripped, 1..BODY_MAX characters, encodable (a lone surrogate
    from a JSON "\\ud800" would fail the INSERT with a 500 on MariaDB and SQLite)."""
    if not isinstance(body, str):
        raise ValidationError({"body": "Write the comment as text."})
    body = body.strip()
    if not body:
        raise ValidationError({"body": "A comment cannot be empty."})
    if len(body) > BODY_MAX:
        raise ValidationError({"body": f"Keep a comment to {BODY_MAX:,} characters."})
    if "\x00" in body:
        raise ValidationError({"body": "Null characters are not allowed."})
    try:
        body.encode("utf-8")
    except UnicodeEncodeError:
        raise ValidationError({"body": "The text holds an invalid character."}) from None
    return body


def _count_add(task: Task, delta: int) -> None:
    """Move the card's counter in SQL (no lost update) and read back the value it reached."""
    Task.all_objects.filter(pk=task.pk).update(comments_count=F("comments_count") + delta)
    task.refresh_from_db(fields=["comments_count"])


def _mentions_set(board: Board, comment: Comment) -> list[Any]:
    """Store the usernames of the members the body mentions now; return those users."""
    users = mentions.mentioned_members(board_id=board.pk, body=comment.body)
    comment.mentions = [user.username for user in users]
    return users


def comment_create(*, actor: Actor, task_id: int, body: str) -> Comment:
    """A comment by the actor on a live card. The author watches the card from now on; the
    card's watchers hear of it, except those a mention in it already told."""
    body = comment_body_clean(body)
    with transaction.atomic():
        board = board_lock_of(Task, task_id)
        task = Task.objects.get(pk=task_id)  # a card in the trash takes no comments: 404
        comment = Comment(board=board, task=task, author=actor.user, body=body)
        users = _mentions_set(board, comment)
        comment.save()
        _count_add(task, +1)
        data = realtime.card_payload(comment_values(comment), task)
        event_append(board, actor, realtime.COMMENT_CREATED, data)
        told = mentions.mentions_notify(comment=comment, task=task, actor=actor.user, users=users)
        watching.auto_watch(task_id=task.pk, user_id=actor.user.pk)
        detail = {"comment": comment.pk, "excerpt": mentions.excerpt(body)}
        watching.notify_watchers(
            board=board, task=task, actor=actor, what=watching.COMMENT, detail=detail, exclude=told
        )
    return comment


def _lock_comment(comment_id: int) -> tuple[Board, Comment, Task]:
    board = board_lock_of(Comment, comment_id)
    comment = Comment.objects.select_related("author").get(pk=comment_id)
    task = Task.objects.get(pk=comment.task_id)  # comments of a trashed card are out of reach
    return board, comment, task


def comment_update(*, actor: Actor, comment_id: int, body: str) -> Comment:
    """The author's edit. A body that does not change is no edit: no event, no edited_at.
    Someone the edit mentions for the first time is notified, once."""
    body = comment_body_clean(body)
    with transaction.atomic():
        board, comment, task = _lock_comment(comment_id)
        if comment.author_id != actor.user.pk:
            raise PermissionDenied("Only its author can edit a comment.")
        if comment.body == body:
            return comment
        comment.body = body
        users = _mentions_set(board, comment)
        comment.edited_at = timezone.now()
        comment.save(update_fields=["body", "mentions", "edited_at"])
        data = realtime.card_payload(comment_values(comment), task)
        event_append(board, actor, realtime.COMMENT_UPDATED, data)
        mentions.mentions_notify(comment=comment, task=task, actor=actor.user, users=users)
    return comment


def comment_delete(*, actor: Actor, comment_id: int) -> None:
    """Its author or the board's owner deletes a comment (its mention ledger goes with it;
    the notifications it sent stay in their inboxes)."""
    with transaction.atomic():
        board, comment, task = _lock_comment(comment_id)
        if comment.author_id != actor.user.pk and not access.can_manage(
            access.role_on(user=actor.user, board_id=board.pk)
        ):
            raise PermissionDenied("Only its author or the board's owner can delete a comment.")
        data = {"id": comment.pk, "task": task.pk}
        comment.delete()
        _count_add(task, -1)
        event_append(board, actor, realtime.COMMENT_DELETED, realtime.card_payload(data, task))
