"""After commit: push the notification frame and send the mail, then record the outcome.

Mail is the only step that can fail after the digest is claimed. A failed send keeps its
ledger row (so no second notification or push), counts the attempt, and is retried by a
later run while the user is still in their morning window; the lease on the row keeps two
concurrent retries from both sending. The remaining gap is a worker dying after the SMTP
server accepted a message but before `emailed_at` is written: that mail can go out twice.
"""

from __future__ import annotations

import datetime as dt
import logging
import uuid
from collections import defaultdict
from collections.abc import Iterable
from typing import Any

from django.conf import settings
from django.core.mail import EmailMultiAlternatives, get_connection
from django.db.models import F, Q
from django.template.loader import render_to_string

from board import realtime
from realtime_scrum import metrics
from realtime_scrum.sockets import groups

from ..embedded import call_in_server
from ..models import DigestLedger, Notification
from .types import Digest, DigestReport
from .window import Targets

log = logging.getLogger(__name__)

MAIL_LEASE = dt.timedelta(minutes=10)
MAIL_MAX_ATTEMPTS = 5


def digest_message(*, email: str, name: str, data: dict[str, Any]) -> EmailMultiAlternatives | None:
    """The digest mail, rendered from the notification's data (so a retry sends the same)."""
    if not email:
        return None
    context = {
        "name": name,
        "date": dt.date.fromisoformat(data["date"]),
        "tasks": data["tasks"],
        "site_url": settings.SITE_URL,
    }
    subject = render_to_string("notifications/due_today_subject.txt", context).strip()
    message = EmailMultiAlternatives(
        subject=subject,
        body=render_to_string("notifications/due_today.txt", context),
        to=[email],
    )
    html = render_to_string("notifications/due_today.html", context)
    message.attach_alternative(html, "text/html")
    return message


def _mail_send(
    mails: list[tuple[int, EmailMultiAlternatives | None]],
    *,
    now: dt.datetime,
    report: DigestReport,
) -> None:
    """Send each mail on one connection; record sent and failed rows in two updates."""
    sent: list[int] = []
    failed: dict[str, list[int]] = defaultdict(list)
    try:
        with get_connection() as connection:
            for ledger_id, message in mails:
                if message is None:  # no address: nothing to send, nothing to retry
                    sent.append(ledger_id)
                    continue
                try:
                    connection.send_messages([message])
                except Exception as exc:
                    log.exception("digest mail for ledger %s failed", ledger_id)
                    failed[repr(exc)[:200]].append(ledger_id)
                else:
                    sent.append(ledger_id)
    except Exception as exc:
        # Opening the connection failed: nothing after the last success went out.
        log.exception("mail connection failed")
        done = set(sent).union(*failed.values())
        failed[repr(exc)[:200]].extend(i for i, _ in mails if i not in done)
    if sent:
        DigestLedger.objects.filter(pk__in=sent).update(emailed_at=now)
        done = set(sent)
        emailed = sum(1 for i, m in mails if i in done and m is not None)
        report.emailed += emailed
        metrics.DIGEST_SENT.inc(emailed)
    for error, ids in failed.items():
        DigestLedger.objects.filter(pk__in=ids).update(
            mail_attempts=F("mail_attempts") + 1, mail_error=error
        )
        report.mail_failed += len(ids)
        metrics.DIGEST_FAILED.inc(len(ids))


# Pushes per hand-off: one event loop (and Redis connection) per chunk rather than per user,
# and each chunk well inside embedded.PUSH_TIMEOUT_S when handed to the server loop.
PUSH_CHUNK = 200


def _push_all(pairs: list[tuple[Digest, Notification]]) -> None:
    pushes = [(d.user_id, realtime.notification_frame(note)) for d, note in pairs]
    for start in range(0, len(pushes), PUSH_CHUNK):
        call_in_server(groups.push_to_users, pushes[start : start + PUSH_CHUNK])


def deliver(
    pairs: Iterable[tuple[Digest, Notification]], *, now: dt.datetime, report: DigestReport
) -> None:
    """Push to every open socket of each user, then mail them (on_commit callback)."""
    pairs = list(pairs)
    _push_all(pairs)
    mails = [
        (
            note.digest_id,
            digest_message(email=d.email, name=d.full_name or d.username, data=note.data),
        )
        for d, note in pairs
    ]
    _mail_send(mails, now=now, report=report)


def _ledger_targets_q(targets: Targets) -> Q:
    from .digest import targets_q

    return targets_q(targets, date_field="local_date", zone_field="user__timezone")


def mail_retry(targets: Targets, *, now: dt.datetime, report: DigestReport) -> None:
    """Resend mails that failed earlier for these zones and dates (no new push or row)."""
    token = uuid.uuid4().hex
    pending = DigestLedger.objects.filter(
        _ledger_targets_q(targets),
        Q(mail_claimed_at__isnull=True) | Q(mail_claimed_at__lt=now - MAIL_LEASE),
        emailed_at__isnull=True,
        mail_attempts__lt=MAIL_MAX_ATTEMPTS,
        notification__isnull=False,
    )
    # Take the lease in one UPDATE, then read back what this run holds.
    if not pending.update(claim=token, mail_claimed_at=now):
        return
    rows = DigestLedger.objects.filter(claim=token).select_related("user", "notification")
    mails = [
        (
            row.pk,
            digest_message(
                email=row.user.email, name=row.user.get_full_name(), data=row.notification.data
            ),
        )
        for row in rows
    ]
    report.mail_retried += len(mails)
    _mail_send(mails, now=now, report=report)
