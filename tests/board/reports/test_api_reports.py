"""The report endpoints: shapes, input checks, and SQL that does not grow with the log."""

import datetime as dt
from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from board import services
from board.models import Status
from board.services import Actor
from tests.conftest import client_for
from tests.factories import UserFactory

from .support import UTC, frozen, lifecycle

pytestmark = pytest.mark.django_db
START = dt.datetime(2026, 3, 2, 8, 0, tzinfo=UTC)
needs_lifecycle = pytest.mark.skipif(lifecycle() is None, reason="sprint lifecycle not built")


def _queries(client, url):
    with CaptureQueriesContext(connection) as ctx:
        response = client.get(url)
    assert response.status_code == 200, response.content[:300]
    return len(ctx), response.json()


def _busy_day(actor, board, sprint, clock, tasks: int):
    """`tasks` tasks created, re-estimated and moved to Done, a day later than the last."""
    clock.advance(days=1)
    for i in range(tasks):
        task = services.task_create(
            actor=actor, board_id=board.pk, name=f"t{i}", sprint=sprint, points=Decimal(i % 5)
        )
        services.task_update(actor=actor, task_id=task.pk, points=Decimal(i % 3))
        services.task_move(actor=actor, task_id=task.pk, sprint=sprint, status=Status.DONE)


@needs_lifecycle
def test_burndown_queries_do_not_grow_with_events_or_tasks():
    owner = UserFactory()
    actor, api = Actor(owner), client_for(owner)
    with frozen(START) as clock:
        board = services.board_create(actor=actor, name="Q", timezone="Europe/Berlin")
        sprint = services.sprint_create(
            actor=actor, board_id=board.pk, name="S", end=START.date() + dt.timedelta(13)
        )
        _busy_day(actor, board, sprint, clock, 2)
        lifecycle().sprint_start(actor=actor, sprint_id=sprint.pk)
        url = f"/api/sprints/{sprint.pk}/burndown/"
        _queries(api, url)  # warms the session cache
        small, body = _queries(api, url)
        assert len(body["unit_days"]) == 1
        for _ in range(3):
            _busy_day(actor, board, sprint, clock, 15)
        big, body = _queries(api, url)
    assert big == small
    assert body["unit_days"][-1]["scope_tasks"] == 47
    assert body["unit_days"][-1]["remaining_tasks"] == 0
    # Each task created, and re-estimated unless i % 5 == i % 3 (an unchanged estimate).
    reestimated = 3 * sum(1 for i in range(15) if i % 5 != i % 3)
    assert len(body["scope_changes"]) == 45 + reestimated


@needs_lifecycle
def test_velocity_lists_closed_sprints_newest_first_with_fixed_queries():
    owner = UserFactory()
    actor, api = Actor(owner), client_for(owner)
    counts = []
    with frozen(START) as clock:
        board = services.board_create(actor=actor, name="V")
        url = f"/api/boards/{board.pk}/velocity/"
        _queries(api, url)
        for n in range(4):
            sprint = services.sprint_create(
                actor=actor, board_id=board.pk, name=f"S{n}", end=clock.at.date() + dt.timedelta(6)
            )
            services.task_create(
                actor=actor, board_id=board.pk, name="open", sprint=sprint, points=Decimal(2)
            )
            done = services.task_create(
                actor=actor, board_id=board.pk, name="done", sprint=sprint, points=Decimal(n + 1)
            )
            lifecycle().sprint_start(actor=actor, sprint_id=sprint.pk)
            services.task_move(actor=actor, task_id=done.pk, sprint=sprint, status=Status.DONE)
            clock.advance(days=7)
            lifecycle().sprint_close(actor=actor, sprint_id=sprint.pk)
            counts.append(_queries(api, url)[0])
        _, rows = _queries(api, url + "?last=3")
    assert len(set(counts[1:])) == 1, counts
    assert [row["name"] for row in rows] == ["S3", "S2", "S1"]
    assert rows[0] | {"sprint": None, "start": None, "end": None} == {
        "sprint": None,
        "name": "S3",
        "start": None,
        "end": None,
        "committed_points": 6,
        "completed_points": 4,
        "committed_tasks": 2,
        "completed_tasks": 1,
    }


@pytest.mark.parametrize("last", ["0", "51", "abc", "-1", "1.5", "9" * 30])
def test_velocity_refuses_a_bad_last(last):
    owner = UserFactory()
    board = services.board_create(actor=Actor(owner), name="Bad")
    response = client_for(owner).get(f"/api/boards/{board.pk}/velocity/?last={last}")
    assert response.status_code == 400
    assert "last" in response.json()


def test_velocity_is_not_shown_outside_the_board(outsider):
    board = services.board_create(actor=Actor(UserFactory()), name="Private")
    assert client_for(outsider).get(f"/api/boards/{board.pk}/velocity/").status_code == 404
