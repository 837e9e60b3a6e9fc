"""Board housekeeping on Huey: history retention and the trash's 30 days."""

from huey import crontab
from huey.contrib.djhuey import db_periodic_task

from .history.jobs import prune_due_boards
from .services.trash import trash_purge


@db_periodic_task(crontab(minute="17"), retries=1, retry_delay=300)
def history_prune() -> int:
    """Hourly: boards with a retention set lose their oldest events into a compaction
    checkpoint (board/history/compaction.py). Nothing happens without HISTORY_RETENTION_DAYS."""
    return prune_due_boards()


@db_periodic_task(crontab(minute="41"), retries=1, retry_delay=300)
def trash_empty() -> int:
    """Hourly: tasks in the trash for longer than TRASH_DAYS are deleted for good."""
    return trash_purge()
