"""Huey tasks (autodiscovered): a drain per webhook, and the sweep every minute."""

from django.utils import timezone
from huey import crontab
from huey.contrib.djhuey import db_periodic_task, db_task

from . import drain


@db_task()
def webhook_drain(webhook_id: int) -> int:
    return drain.drain(webhook_id).delivered


# Retries come due and a drain that lost a race leaves events behind: the sweep finds both
# (its query reads the index on active, retry_at) and hands each webhook its own drain.
@db_periodic_task(crontab(minute="*"))
def webhooks_sweep() -> int:
    due = drain.due_ids(now=timezone.now())
    for webhook_id in due:
        webhook_drain(webhook_id)
    return len(due)
