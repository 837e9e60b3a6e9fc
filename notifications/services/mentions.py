"""@mentions in comments (SPEC section 12): who a body names, and the `mention` notification.

Called by board/services/comments.py inside its transaction, under the board's lock: the
ledger read and insert below cannot race another edit of the same comment. The ledger
(board.models.CommentMention) is what makes a mention notify once per comment and user:
an edit that keeps, removes and re-adds @bob finds his row and sends nothing."""

from __future__ import annotations

import re
from collections.abc import Iterable
from typing import Any

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.mail import EmailMultiAlternatives
from django.db import transaction
from django.template.loader import render_to_string

from board import realtime
from board.models import CommentMention, Membership

from ..links import task_page_url
from ..models import Kind, Notification

EXCERPT_MAX = 140
TITLE_MAX = 200  # Notification.title
# Django's username characters; the lookbehind keeps the host of "bob@example.com" from
# reading as a mention of "example.com".
_MENTION = re.compile(r"(?<![\w.@+-])@([\w.@+-]+)")
# Sentence punctuation after a name ("thanks @bob!") is not part of it.
_TRAILING = ".,;:!?"


def mentioned_names(body: str) -> set[str]:
    """The casefolded names a body @-mentions (members or not)."""
    names = set()
    for match in _MENTION.finditer(body):
        name = match.group(1).rstrip(_TRAILING)
        if name:
            names.add(name.casefold())
    return names


def mentioned_members(*, board_id: int, body: str) -> list[Any]:
    """The board's active members the body mentions, by username ignoring case (usernames
    are unique ignoring case: accounts.User.clean). No query when nothing looks like one."""
    names = mentioned_names(body)
    if not names:
        return []
    members = get_user_model().objects.filter(
        pk__in=Membership.objects.filter(board_id=board_id).values("user_id"), is_active=True
    )
    return sorted(
        (user for user in members if user.username.casefold() in names),
        key=lambda user: user.username,
    )


def excerpt(body: str, limit: int = EXCERPT_MAX) -> str:
    """The body on one line, cut to `limit` characters with an ellipsis."""
    text = " ".join(body.split())
    return text if len(text) <= limit else text[: limit - 1].rstrip() + "…"


def _title(actor: Any, task_name: str) -> str:
    who = actor.full_name or actor.username
    title = f'{who} mentioned you on "{task_name}"'
    if len(title) <= TITLE_MAX:
        return title
    room = TITLE_MAX - len(f'{who} mentioned you on "…"')
    return f'{who} mentioned you on "{task_name[: max(room, 0)]}…"'[:TITLE_MAX]


def mentions_notify(*, comment: Any, task: Any, actor: Any, users: Iterable[Any]) -> set[int]:
    """Notify the users this comment mentions for the first time (never its author): a row
    now, then after commit a push and, if they want it, a mail. Returns who was notified."""
    candidates = {user.pk: user for user in users if user.pk != actor.pk}
    if not candidates:
        return set()
    seen = set(
        CommentMention.objects.filter(comment=comment, user_id__in=candidates).values_list(
            "user_id", flat=True
        )
    )
    fresh = [user for pk, user in candidates.items() if pk not in seen]
    if not fresh:
        return set()
    CommentMention.objects.bulk_create([CommentMention(comment=comment, user=u) for u in fresh])
    data = {
        "board": task.board_id,
        "task": task.pk,
        "task_name": task.name,
        "comment": comment.pk,
        "actor": {"id": actor.pk, "username": actor.username},
        "excerpt": excerpt(comment.body),
    }
    title = _title(actor, task.name)
    notes = [Notification(user=u, kind=Kind.MENTION, title=title, data=data) for u in fresh]
    # One INSERT per row: bulk_create returns no primary keys on MariaDB, and the frame
    # and the mail task need them.
    for note in notes:
        note.save()
    realtime.push_on_commit([(note.user_id, realtime.notification_frame(note)) for note in notes])
    mailed = [note.pk for note, user in zip(notes, fresh, strict=True) if _wants_mail(user)]
    if mailed:
        transaction.on_commit(lambda: _mail_enqueue(mailed))
    return {user.pk for user in fresh}


def _wants_mail(user: Any) -> bool:
    return bool(user.mention_mail and user.email)


def _mail_enqueue(notification_ids: list[int]) -> None:
    from ..tasks import mention_mail  # the tasks module imports these services

    for pk in notification_ids:
        mention_mail(pk)


def mention_mail_send(*, notification_id: int) -> bool:
    """Send one mention's mail (the Huey task's body). The preference is read again here:
    a user who turned mention mail off since the comment gets none. Returns whether sent."""
    note = (
        Notification.objects.select_related("user")
        .filter(pk=notification_id, kind=Kind.MENTION)
        .first()
    )
    if note is None or not _wants_mail(note.user) or not note.user.is_active:
        return False
    mention_message(user=note.user, title=note.title, data=note.data).send()
    return True


def mention_message(*, user: Any, title: str, data: dict[str, Any]) -> EmailMultiAlternatives:
    context = {
        "name": user.full_name or user.username,
        "title": title,
        "actor": data["actor"]["username"],
        "task_name": data["task_name"],
        "excerpt": data["excerpt"],
        "url": task_page_url(data["board"], data["task"]),
        "site_url": settings.SITE_URL,
    }
    subject = render_to_string("notifications/mention_subject.txt", context).strip()
    message = EmailMultiAlternatives(
        subject=" ".join(subject.split()),  # a newline in a subject is a header injection
        body=render_to_string("notifications/mention.txt", context),
        to=[user.email],
    )
    message.attach_alternative(render_to_string("notifications/mention.html", context), "text/html")
    return message
