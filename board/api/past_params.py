"""The snapshot's time-travel parameters, `?seq=N` and `?at=<ISO 8601>`, as 400s with field
messages for anything that is not one (docs/history.md)."""

from __future__ import annotations

import datetime as dt
import re
import zoneinfo

from django.utils import timezone
from django.utils.dateparse import parse_datetime
from rest_framework.exceptions import ValidationError

_SEQ = re.compile(r"-?\d{1,20}", re.ASCII)
# "+02:00" sent unencoded in a query string arrives as " 02:00": read it as the offset it was.
_SPACED_OFFSET = re.compile(r"(.*\d:\d\d(?::\d\d(?:\.\d+)?)?) (\d\d(?::?\d\d)?)", re.ASCII)
_AT_MAX = 64
AT_FORMAT = (
    "Give an ISO 8601 date-time, e.g. 2026-05-01T09:30:00+02:00 (no offset: the board's zone)."
)


def seq_param(raw: str) -> int:
    if not _SEQ.fullmatch(raw):
        raise ValidationError({"seq": "Must be an integer."})
    return int(raw)


def at_param(raw: str, zone: str) -> dt.datetime:
    """An aware instant. Without an offset it is read in the board's zone: the zone its days,
    its rules and its reports are in, and the one its members plan by."""
    text = raw.strip()
    if len(text) > _AT_MAX or "\x00" in text:
        raise ValidationError({"at": AT_FORMAT})
    spaced = _SPACED_OFFSET.fullmatch(text)
    if spaced:
        text = f"{spaced[1]}+{spaced[2]}"
    try:
        value = parse_datetime(text)
    except ValueError:
        raise ValidationError({"at": "Not a real date or time (out of range)."}) from None
    if value is None:
        raise ValidationError({"at": AT_FORMAT})
    try:
        if timezone.is_naive(value):
            value = value.replace(tzinfo=zoneinfo.ZoneInfo(zone))
        return value.astimezone(dt.UTC)
    except (OverflowError, ValueError):
        raise ValidationError({"at": "Out of the range of dates this board can have."}) from None
