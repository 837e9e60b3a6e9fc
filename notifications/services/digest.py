"""The daily "due today" digest: find, claim, record; delivery happens after commit.

Cost is a fixed number of queries per run (plus one per batch of BATCH_SIZE digests): the
zones, one query for every due task of every eligible user, one batched ledger insert, one
read-back, one batched notification insert, and the after-commit mail bookkeeping.
"""

from __future__ import annotations

import datetime as dt
import uuid
from collections import defaultdict
from itertools import groupby
from typing import Any

from django.db import transaction
from django.db.models import Exists, OuterRef, Q
from django.utils import timezone

from board.models import Status, Task

from ..links import task_page_url
from ..models import DigestLedger, Kind, Notification
from . import delivery
from .types import Digest, DigestReport
from .window import Targets, digest_zones, targets_for_date, targets_in_window

BATCH_SIZE = 500

_TASK_FIELDS = (
    "assigned_id",
    "assigned__username",
    "assigned__full_name",
    "assigned__email",
    "due",
    "id",
    "name",
    "status",
    "board_id",
    "board__name",
    "sprint_id",
    "sprint__name",
    "sprint__end",
)


def targets_q(targets: Targets, *, date_field: str, zone_field: str) -> Q:
    """`(date = d AND zone IN zones_on_d) OR ...`: one term per distinct local date (2-3)."""
    zones_by_date: dict[dt.date, list[str]] = defaultdict(list)
    for zone, date in targets.items():
        zones_by_date[date].append(zone)
    where = Q(pk__in=[])
    for date, zones in zones_by_date.items():
        where |= Q(**{date_field: date, f"{zone_field}__in": zones})
    return where


def _sprint_label(name: str, end: dt.date) -> str:
    return name or f"Sprint ending {end.isoformat()}"


def _task_item(row: dict[str, Any]) -> dict[str, Any]:
    sprint = None
    if row["sprint_id"] is not None:
        name = _sprint_label(row["sprint__name"], row["sprint__end"])
        sprint = {"id": row["sprint_id"], "name": name}
    return {
        "id": row["id"],
        "name": row["name"],
        "status": row["status"],
        "status_display": Status(row["status"]).label,
        "board": {"id": row["board_id"], "name": row["board__name"]},
        "sprint": sprint,
        "url": task_page_url(row["board_id"], row["id"]),
    }


def digests_due(targets: Targets, *, user_id: int | None = None) -> list[Digest]:
    """Every unclaimed digest for these zones and dates, in one query over tasks.

    A task's `due` equals its user's local date, so "already has a digest for that date"
    is a NOT EXISTS on (assigned, due) and needs no per-user lookups."""
    if not targets:
        return []
    claimed = DigestLedger.objects.filter(
        user_id=OuterRef("assigned_id"), local_date=OuterRef("due")
    )
    tasks = (
        Task.objects.filter(targets_q(targets, date_field="due", zone_field="assigned__timezone"))
        .filter(assigned__digest_enabled=True, assigned__is_active=True)
        .exclude(status=Status.DONE)
        .exclude(Exists(claimed))
    )
    if user_id is not None:
        tasks = tasks.filter(assigned_id=user_id)
    rows = tasks.order_by("assigned_id", "board__name", "board_id", "order", "id").values(
        *_TASK_FIELDS
    )
    digests = []
    for _, user_rows in groupby(rows.iterator(chunk_size=2000), key=lambda r: r["assigned_id"]):
        user_rows = list(user_rows)
        first = user_rows[0]
        digests.append(
            Digest(
                user_id=first["assigned_id"],
                username=first["assigned__username"],
                full_name=first["assigned__full_name"],
                email=first["assigned__email"],
                local_date=first["due"],
                tasks=[_task_item(r) for r in user_rows],
            )
        )
    return digests


def _claim(digests: list[Digest], now: dt.datetime) -> dict[int, int]:
    """Insert the ledger rows; return {user_id: ledger_id} for the rows this run won.

    Another run that already holds (user, date) makes our insert a no-op, so each digest is
    sent by exactly one run even when two workers race."""
    token = uuid.uuid4().hex
    rows = [
        DigestLedger(
            user_id=d.user_id, local_date=d.local_date, created_at=now,
            claim=token, mail_claimed_at=now,
        )
        for d in digests
    ]  # fmt: skip
    DigestLedger.objects.bulk_create(rows, ignore_conflicts=True, batch_size=BATCH_SIZE)
    return dict(DigestLedger.objects.filter(claim=token).values_list("user_id", "pk"))


def digest_title(count: int) -> str:
    return f"{count} task{'' if count == 1 else 's'} due today"


def _notifications_create(
    digests: list[Digest], won: dict[int, int], now: dt.datetime
) -> list[tuple[Digest, Notification]]:
    pairs = [
        (
            d,
            Notification(
                user_id=d.user_id,
                kind=Kind.DUE_TODAY,
                title=digest_title(len(d.tasks)),
                data={"date": d.local_date.isoformat(), "tasks": d.tasks},
                created_at=now,
                digest_id=won[d.user_id],
            ),
        )
        for d in digests
        if d.user_id in won
    ]
    notes = [n for _, n in pairs]
    Notification.objects.bulk_create(notes, batch_size=BATCH_SIZE)
    if any(n.pk is None for n in notes):
        # Backends without INSERT ... RETURNING (MySQL 8) leave pks unset; read them back.
        ids = dict(
            Notification.objects.filter(digest_id__in=won.values()).values_list("digest_id", "pk")
        )
        for note in notes:
            note.pk = ids[note.digest_id]
    return pairs


def _digest_deliver(
    targets: Targets, *, now: dt.datetime, user_id: int | None = None
) -> DigestReport:
    report = DigestReport()
    digests = digests_due(targets, user_id=user_id)
    if digests:
        with transaction.atomic():
            won = _claim(digests, now)
            pairs = _notifications_create(digests, won, now)
            report.digests = len(pairs)
            # Mail and push only once the ledger and notification rows are durable: a
            # rollback must not leave a mail out for a digest that will be sent again.
            transaction.on_commit(lambda: delivery.deliver(pairs, now=now, report=report))
    if targets:
        transaction.on_commit(lambda: delivery.mail_retry(targets, now=now, report=report))
    return report


def digest_run(*, now: dt.datetime | None = None) -> DigestReport:
    """The periodic job: every user whose local time is 07:00-12:00 and has no digest yet."""
    now = now or timezone.now()
    return _digest_deliver(targets_in_window(now, digest_zones()), now=now)


def digest_send_for_date(
    *, local_date: dt.date | None = None, now: dt.datetime | None = None
) -> DigestReport:
    """By hand: every user's digest for `local_date` (default: their own today), any hour."""
    now = now or timezone.now()
    return _digest_deliver(targets_for_date(now, digest_zones(), local_date), now=now)


def digest_send_for_user(
    *, user: Any, local_date: dt.date | None = None, now: dt.datetime | None = None
) -> DigestReport:
    """One user's digest for `local_date` (default: their today), still at most once."""
    now = now or timezone.now()
    targets = targets_for_date(now, [user.timezone], local_date)
    return _digest_deliver(targets, now=now, user_id=user.pk)
