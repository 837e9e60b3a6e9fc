"""Which local date each time zone is digesting now.

Huey's crontab runs in UTC and skips runs missed while the consumer is down, so
the job runs every 15 minutes and decides here, per zone, whether its users are inside the
07:00-12:00 local window. A zone is computed once, however many users live in it."""

from __future__ import annotations

import datetime as dt
import logging
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from django.contrib.auth import get_user_model

log = logging.getLogger(__name__)

WINDOW_START = dt.time(7, 0)
WINDOW_END = dt.time(12, 0)

# zone name -> the local date whose digest its users get
Targets = dict[str, dt.date]


def digest_zones() -> list[str]:
    """The distinct time zones of users who want a digest (one query)."""
    users = get_user_model().objects.filter(digest_enabled=True, is_active=True)
    return list(users.order_by().values_list("timezone", flat=True).distinct())


def _zone(name: str) -> ZoneInfo | None:
    try:
        return ZoneInfo(name)
    except (ZoneInfoNotFoundError, ValueError):
        # The model validates zones, but a bulk import could still store a bad one.
        log.warning("skipping users with unknown time zone %r", name)
        return None


def targets_in_window(now: dt.datetime, zones: list[str]) -> Targets:
    """Zones whose local wall-clock time is in [07:00, 12:00) at `now`, with their date.

    Local time comes from zoneinfo, so DST change days need no special case: 07:00 local
    is simply a different UTC instant on those days."""
    targets: Targets = {}
    for name in zones:
        zone = _zone(name)
        if zone is None:
            continue
        local = now.astimezone(zone)
        if WINDOW_START <= local.time() < WINDOW_END:
            targets[name] = local.date()
    return targets


def targets_for_date(now: dt.datetime, zones: list[str], date: dt.date | None) -> Targets:
    """Every zone, at `date` or (None) at its own current local date, whatever the hour."""
    targets: Targets = {}
    for name in zones:
        zone = _zone(name)
        if zone is not None:
            targets[name] = date or now.astimezone(zone).date()
    return targets
