"""One dependency's outage as this process sees it: one log line when calls start failing,
one when they work again, and a pause between attempts.

While Redis is away each call would wait out a connection attempt (redis-py retries with
backoff); the pause lets one call a second find out whether it is back and the others skip
at once. What they skip is never lost: events are in the board's log, presence is redrawn
on the next heartbeat."""

from __future__ import annotations

import logging
import threading
import time

log = logging.getLogger("realtime_scrum.sockets")

RETRY_AFTER_S = 1.0


class Outage:
    def __init__(self, what: str, consequence: str) -> None:
        self.what = what
        self.consequence = consequence
        self.lock = threading.Lock()  # REST threads and the server loop share one
        self.failing = False
        self.next_try = 0.0

    def allow(self) -> bool:
        return not self.failing or time.monotonic() >= self.next_try

    def failed(self, exc: BaseException) -> None:
        with self.lock:
            first, self.failing = not self.failing, True
            self.next_try = time.monotonic() + RETRY_AFTER_S
        if first:
            log.warning("%s failed (%s): %s", self.what, type(exc).__name__, self.consequence)

    def reset(self) -> None:
        """Forget a past outage without a log line (tests: one test's outage is not the
        next one's, and a send skipped for it would be a lost frame there)."""
        with self.lock:
            self.failing = False
            self.next_try = 0.0

    def worked(self) -> None:
        if self.failing:
            with self.lock:
                was, self.failing = self.failing, False
            if was:
                log.warning("%s works again", self.what)
