"""`task_activity` notifications: what happened on a watched card, coalesced per card.

One unread row per user and card collects everything within WINDOW of its creation, so a
busy card rings the bell once instead of once per change. The caller (board/services/
watching.py) picks the recipients and holds the board's lock, which serializes every write
to one card: two activities never both find "no open row" and create two.

Queries do not grow with the number of watchers: one read of the open rows, one insert, one
update (plus one read-back where the backend returns no ids from a bulk insert)."""

from __future__ import annotations

import datetime as dt
import logging
from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.core.mail import EmailMultiAlternatives, get_connection
from django.db import transaction
from django.template.loader import render_to_string
from django.utils import timezone

from board import realtime
from board.models import Status
from board.representation import stamp

from ..links import task_page_url
from ..models import Kind, Notification

log = logging.getLogger(__name__)

WINDOW = dt.timedelta(minutes=10)
MAX_ITEMS = 20  # the row keeps the latest ones; `count` still counts them all
TITLE_MAX = 200  # Notification.title


@dataclass(frozen=True)
class Recipient:
    user_id: int
    mail: bool  # wants activity mail and has an address


def group_key(task_id: int) -> str:
    return f"task:{task_id}"


def activity_title(task_name: str, count: int) -> str:
    head = "Activity on " if count == 1 else f"{count} updates on "
    room = TITLE_MAX - len(head) - 2
    name = task_name if len(task_name) <= room else task_name[: room - 1] + "…"
    return f'{head}"{name}"'


def _item(what: str, actor: Any, now: dt.datetime, detail: dict[str, Any]) -> dict[str, Any]:
    who = None if actor is None else {"id": actor.pk, "username": actor.username}
    return {"what": what, "actor": who, "at": stamp(now), "detail": detail}


def _open_rows(user_ids: list[int], key: str, now: dt.datetime) -> dict[int, Notification]:
    """Each user's newest unread row of this card still inside its window, locked so a
    concurrent "mark read" lands before or after this update, not in between."""
    rows = (
        Notification.objects.select_for_update()
        .filter(
            user_id__in=user_ids,
            kind=Kind.TASK_ACTIVITY,
            group_key=key,
            read_at__isnull=True,
            created_at__gte=now - WINDOW,
        )  # fmt: skip
        .order_by("created_at", "pk")
    )
    return {row.user_id: row for row in rows}  # later rows win: the newest per user


def _coalesce(rows: list[Notification], item: dict[str, Any], name: str, now: dt.datetime) -> None:
    for row in rows:
        count = int(row.data.get("count", 0)) + 1
        items = [*row.data.get("items", []), item][-MAX_ITEMS:]
        row.data = {**row.data, "task_name": name, "count": count, "items": items}
        row.title = activity_title(name, count)
        row.updated_at = now
    if rows:
        Notification.objects.bulk_update(rows, ["data", "title", "updated_at"])


def _create(
    user_ids: list[int], board: Any, task: Any, item: dict[str, Any], now: dt.datetime
) -> list[Notification]:
    key = group_key(task.pk)
    data = {"board": board.pk, "task": task.pk, "task_name": task.name, "count": 1}
    rows = [
        Notification(
            user_id=uid,
            kind=Kind.TASK_ACTIVITY,
            group_key=key,
            title=activity_title(task.name, 1),
            data={**data, "items": [item]},
            created_at=now,
            updated_at=now,
        )  # fmt: skip
        for uid in user_ids
    ]
    Notification.objects.bulk_create(rows)
    if rows and any(row.pk is None for row in rows):
        # No ids back from a bulk insert (MySQL): these are the only rows of this card
        # created at this instant for these users (the board lock serializes the card).
        ids = dict(
            Notification.objects.filter(
                user_id__in=user_ids, kind=Kind.TASK_ACTIVITY, group_key=key, created_at=now
            ).values_list("user_id", "pk")
        )
        for row in rows:
            row.pk = ids[row.user_id]
    return rows


def _schedule_mail(ids: list[int]) -> None:
    from ..tasks import activity_mail  # the tasks module imports the services package

    # After the window closes, so the one mail carries everything the row collected.
    activity_mail.schedule(args=(ids,), delay=int(WINDOW.total_seconds()))


def activity_notify(
    *,
    recipients: list[Recipient],
    board: Any,
    task: Any,
    actor: Any,
    what: str,
    detail: dict[str, Any],
    now: dt.datetime | None = None,
) -> list[Notification]:
    """Add one activity to each recipient's open row of the card, or open a new one; push the
    row (same id when coalesced: the page replaces it) and schedule the mail on commit."""
    if not recipients:
        return []
    now = now or timezone.now()
    item = _item(what, actor, now, detail)
    user_ids = [r.user_id for r in recipients]
    open_rows = _open_rows(user_ids, group_key(task.pk), now)
    updated = list(open_rows.values())
    _coalesce(updated, item, task.name, now)
    created = _create([u for u in user_ids if u not in open_rows], board, task, item, now)
    rows = updated + created
    realtime.push_on_commit([(row.user_id, realtime.notification_frame(row)) for row in rows])
    wants_mail = {r.user_id for r in recipients if r.mail}
    mail_ids = [row.pk for row in created if row.user_id in wants_mail]
    if mail_ids:
        transaction.on_commit(lambda: _schedule_mail(mail_ids))
    return rows


# --- the mail, once the window has closed ---------------------------------------------


def _line(item: dict[str, Any], names: dict[int, str]) -> str:
    who = (item.get("actor") or {}).get("username") or "Someone"
    detail = item.get("detail") or {}
    if item.get("what") == "status":
        return f"{who} moved it from {_status(detail.get('from'))} to {_status(detail.get('to'))}"
    if item.get("what") == "assigned":
        to = detail.get("to")
        return f"{who} assigned it to {names.get(to, 'someone')}" if to else f"{who} unassigned it"
    if item.get("what") == "comment":
        excerpt = detail.get("excerpt") or ""
        return f"{who} commented: {excerpt}" if excerpt else f"{who} commented"
    return f"{who} changed it"


def _status(value: Any) -> str:
    try:
        return str(Status(value).label)
    except ValueError:
        return str(value)


def _user_names(rows: list[Notification]) -> dict[int, str]:
    from django.contrib.auth import get_user_model

    ids: set[int] = set()
    for row in rows:
        for item in row.data.get("items", []):
            to = (item.get("detail") or {}).get("to")
            if item.get("what") == "assigned" and isinstance(to, int):
                ids.add(to)
    if not ids:
        return {}
    users = get_user_model().objects.filter(pk__in=ids).values_list("pk", "full_name", "username")
    return {pk: full or username for pk, full, username in users}


def activity_message(row: Notification, names: dict[int, str]) -> EmailMultiAlternatives:
    data = row.data
    items = data.get("items", [])
    context = {
        "name": row.user.full_name or row.user.username,
        "task_name": data.get("task_name", ""),
        "count": data.get("count", 1),
        "lines": [_line(item, names) for item in items],
        "earlier": max(0, int(data.get("count", 1)) - len(items)),
        "url": task_page_url(data["board"], data["task"]),
        "site_url": settings.SITE_URL,
    }
    message = EmailMultiAlternatives(
        subject=render_to_string("notifications/task_activity_subject.txt", context).strip(),
        body=render_to_string("notifications/task_activity.txt", context),
        to=[row.user.email],
    )
    message.attach_alternative(
        render_to_string("notifications/task_activity.html", context), "text/html"
    )
    return message


def activity_mail_send(*, notification_ids: list[int]) -> int:
    """Mail each notification that is still unread to a user who wants activity mail (the
    preference is read now: turning it off stops mails already scheduled). Returns the
    number sent; a failed send is logged, not retried (the row is still in the inbox)."""
    rows = list(
        Notification.objects.filter(
            pk__in=notification_ids,
            kind=Kind.TASK_ACTIVITY,
            read_at__isnull=True,
            user__activity_mail=True,
            user__is_active=True,
        )  # fmt: skip
        .exclude(user__email="")
        .select_related("user")
    )
    if not rows:
        return 0
    names = _user_names(rows)
    sent = 0
    with get_connection() as connection:
        for row in rows:
            try:
                connection.send_messages([activity_message(row, names)])
            except Exception:
                log.exception("activity mail for notification %s failed", row.pk)
            else:
                sent += 1
    return sent
