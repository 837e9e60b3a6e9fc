"""Huey tasks (autodiscovered by `run_huey` and by the in-process consumer)."""

import datetime as dt
import logging
from dataclasses import asdict

from django.utils import timezone
from huey import crontab
from huey.contrib.djhuey import db_periodic_task, db_task

from . import embedded
from .services import digest_run, digest_send_for_date
from .services.mentions import mention_mail_send

log = logging.getLogger(__name__)


# Every 15 minutes, not "at 07:00": crontab is UTC and skips runs missed while the consumer
# was down; digest_run finds each user's local morning itself and the ledger
# makes repeated and retried runs harmless.
@db_periodic_task(crontab(minute="*/15"), retries=2, retry_delay=60)
def due_today_digest() -> None:
    report = digest_run(now=timezone.now())
    log.info(
        "due-today digest: %s sent, %s mailed, %s mail failures, %s mail retries",
        report.digests, report.emailed, report.mail_failed, report.mail_retried,
    )  # fmt: skip


# `manage.py send_due_today` hands its run to the server's in-process consumer on the embedded
# default (notifications/embedded.py), so the pushes reach that server's sockets.
@db_task()
def due_today_by_hand(job_id: str, local_date: dt.date | None) -> dict[str, int] | None:
    if not embedded.job_claim(job_id, embedded.SERVER):
        return None  # the command stopped waiting and sent it itself
    return asdict(digest_send_for_date(local_date=local_date))


# Queued after the comment commits (services/mentions.py); a failed send is retried, so a
# worker dying after the SMTP server accepted a message can send it twice.
@db_task(retries=2, retry_delay=60)
def mention_mail(notification_id: int) -> bool:
    return mention_mail_send(notification_id=notification_id)


# --- task_activity mail (watching): scheduled WINDOW after a coalesced row opens ----------
@db_task()
def activity_mail(notification_ids: list[int]) -> int:
    from .services.activity import activity_mail_send  # services import this module lazily

    return activity_mail_send(notification_ids=notification_ids)
