import logging

from django.apps import AppConfig

SWEEP = "webhooks.tasks.webhooks_sweep"


class QuietSweep(logging.Filter):
    """Drops Huey's INFO lines about the minute sweep (enqueued, executing, executed): at one
    a minute they would bury every other line of `make run` and of a worker's log. Its
    warnings and errors, and the drains it starts, are still logged."""

    def filter(self, record: logging.LogRecord) -> bool:
        return record.levelno > logging.INFO or SWEEP not in record.getMessage()


class WebhooksConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "webhooks"

    def ready(self) -> None:
        quiet = QuietSweep()
        for name in ("huey", "huey.consumer.Scheduler"):
            logging.getLogger(name).addFilter(quiet)
