"""Huey tasks (autodiscovered by `run_huey` and by the in-process consumer)."""

import logging

from django.utils import timezone
from huey import crontab
from huey.contrib.djhuey import db_periodic_task

from .services import digest_run

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
