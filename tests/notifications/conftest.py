import datetime as dt
from zoneinfo import ZoneInfo

import pytest
import time_machine

from board.models import Status
from notifications.tasks import due_today_digest
from tests.factories import BoardFactory, MembershipFactory, SprintFactory, TaskFactory, UserFactory

TOKYO, LONDON, NEW_YORK = "Asia/Tokyo", "Europe/London", "America/New_York"


def at(zone: str, *args: int) -> dt.datetime:
    """A wall-clock time in a zone, as an aware datetime."""
    return dt.datetime(*args, tzinfo=ZoneInfo(zone))


def utc(*args: int) -> dt.datetime:
    return dt.datetime(*args, tzinfo=dt.UTC)


@pytest.fixture
def run_job(django_capture_on_commit_callbacks):
    """Run the periodic Huey task (immediate mode) at a frozen instant, commit callbacks
    included; re-raise anything the task raised."""

    def run(when: dt.datetime):
        with (
            time_machine.travel(when, tick=False),
            django_capture_on_commit_callbacks(execute=True),
        ):
            due_today_digest().get()

    return run


@pytest.fixture
def team(db):
    """A board with a sprint; `assign(user, due, **kw)` adds a member's task to it."""
    board = BoardFactory(name="Apollo")
    sprint = SprintFactory(board=board, name="Sprint 7", end=dt.date(2030, 1, 1))

    class Team:
        def __init__(self):
            self.board, self.sprint = board, sprint

        def user(self, username: str, zone: str, **kw):
            user = UserFactory(username=username, timezone=zone, **kw)
            MembershipFactory(board=board, user=user)
            return user

        def assign(self, user, due: dt.date, status=Status.IN_PROGRESS, sprint=True, **kw):
            return TaskFactory(
                board=board, sprint=self.sprint if sprint else None, assigned=user, due=due,
                status=status, **kw,
            )  # fmt: skip

    return Team()
