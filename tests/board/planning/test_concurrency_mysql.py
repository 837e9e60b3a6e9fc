"""Two members start two sprints of one board at the same instant (MariaDB, services tier):
the board lock lets exactly one become active; the other is refused, not doubled."""

import datetime as dt
import threading

import pytest
from django.core.exceptions import ValidationError
from django.db import connection, connections

from board import services
from board.models import BoardEvent, Sprint, SprintState
from board.services import Actor
from tests.factories import SprintFactory

pytestmark = [pytest.mark.mysql, pytest.mark.django_db(transaction=True)]


def test_concurrent_starts_leave_one_active_sprint(board):
    assert connection.vendor == "mysql", "run this tier with DATABASE_URL=mysql://..."
    # Explicit ends: the factory's grow through a run, past a sprint's 366 days.
    soon = dt.date.today() + dt.timedelta(days=10)
    sprints = [SprintFactory(board=board, end=soon + dt.timedelta(days=i)) for i in range(4)]
    barrier = threading.Barrier(len(sprints))
    outcomes: list[str] = []

    def start(sprint):
        try:
            barrier.wait()
            services.sprint_start(actor=Actor(board.owner), sprint_id=sprint.pk)
            outcomes.append("started")
        except ValidationError as exc:
            outcomes.append(next(iter(exc.message_dict)))
        finally:
            connections.close_all()

    threads = [threading.Thread(target=start, args=(s,)) for s in sprints]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(30)
    assert sorted(outcomes) == ["started", "state", "state", "state"]
    assert Sprint.objects.filter(board=board, state=SprintState.ACTIVE).count() == 1
    assert list(BoardEvent.objects.filter(board=board).values_list("name", flat=True)) == [
        "sprint.started"
    ]
