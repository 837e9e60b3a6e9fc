"""Time-travel tests' tools: a clock the services stamp events with, and the snapshot live
and past over REST."""

from __future__ import annotations

import datetime as dt
from contextlib import contextmanager
from unittest import mock

from django.utils import timezone


class Clock:
    def __init__(self, at: dt.datetime):
        self.at = at

    def now(self) -> dt.datetime:
        return self.at

    def tick(self, **delta) -> dt.datetime:
        self.at += dt.timedelta(**delta) if delta else dt.timedelta(seconds=1)
        return self.at


@contextmanager
def clock_at(at: dt.datetime):
    """`timezone.now()` reads the clock: events (auto_now_add) and the rules' today follow it.
    Only around service calls: REST calls (token checks) run on the real clock."""
    clock = Clock(at)
    with mock.patch("django.utils.timezone.now", clock.now):
        yield clock


def days_ago(days: float) -> dt.datetime:
    return timezone.now() - dt.timedelta(days=days)


def snapshot(client, board_id: int, **params):
    return client.get(f"/api/boards/{board_id}/snapshot/", params)


def past_body(client, board_id: int, **params) -> dict:
    """A past view, less its marker: what must equal the live snapshot of its seq."""
    response = snapshot(client, board_id, **params)
    assert response.status_code == 200, response.content
    body = response.json()
    as_of = body.pop("as_of")
    assert as_of["seq"] == body["seq"]
    return body
