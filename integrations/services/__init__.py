"""Writes of the integrations: imports (a Huey job building a board through board/services/)
and calendar feeds."""

from .calendar import calendar_feed_issue, calendar_feed_revoke
from .imports import document_read, import_run, import_start

__all__ = [
    "calendar_feed_issue",
    "calendar_feed_revoke",
    "document_read",
    "import_run",
    "import_start",
]
