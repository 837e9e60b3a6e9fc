"""Plain data passed between the digest's steps (no ORM objects cross the commit)."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Any


@dataclass
class Digest:
    """One user's due-today digest, before it is claimed."""

    user_id: int
    username: str
    full_name: str
    email: str
    local_date: dt.date
    tasks: list[dict[str, Any]] = field(default_factory=list)


@dataclass
class DigestReport:
    """What a run did; mail counts are filled in after commit."""

    digests: int = 0
    emailed: int = 0
    mail_failed: int = 0
    mail_retried: int = 0
