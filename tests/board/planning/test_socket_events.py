"""sprint.started, sprint.closed and sprint.planned as a member's socket receives them."""

import datetime as dt

import pytest
from asgiref.sync import sync_to_async

from board import services
from board.models import Status
from tests.board.test_consumers_events import expect_event
from tests.factories import SprintFactory, TaskFactory

# An explicit end: the factory's sequence grows through a run, past a sprint's 366 days.
SOON = dt.date.today() + dt.timedelta(days=10)

pytestmark = pytest.mark.django_db(transaction=True)


async def test_sprint_planned(board, member):
    sprint = await sync_to_async(SprintFactory)(board=board, end=SOON)
    first = await sync_to_async(TaskFactory)(board=board, points=2)
    second = await sync_to_async(TaskFactory)(board=board)
    data = await expect_event(
        member, board,
        lambda a: services.sprint_plan(actor=a, sprint_id=sprint.pk, tasks=[second.pk, first.pk]),
        "sprint.planned",
    )  # fmt: skip
    assert data["sprint"]["id"] == sprint.pk and data["sprint"]["points_total"] == 2
    assert data["sprint"]["links"]["self"] == f"/api/sprints/{sprint.pk}/"
    assert [t["id"] for t in data["tasks"]] == [second.pk, first.pk]
    assert all(t["sprint"] == sprint.pk and t["version"] == 2 for t in data["tasks"])
    assert data["tasks"][0]["links"]["sprint"] == f"/api/sprints/{sprint.pk}/"


async def test_sprint_started(board, member):
    sprint = await sync_to_async(SprintFactory)(board=board, end=SOON)
    task = await sync_to_async(TaskFactory)(board=board, sprint=sprint, points=3)
    data = await expect_event(
        member, board,
        lambda a: services.sprint_start(actor=a, sprint_id=sprint.pk),
        "sprint.started",
    )  # fmt: skip
    assert data["sprint"]["state"] == "active" and data["sprint"]["start"] is not None
    assert data["committed"] == {"points": 3, "tasks": [task.pk]}


async def test_sprint_closed(board, member):
    sprint = await sync_to_async(SprintFactory)(board=board, end=SOON)
    done = await sync_to_async(TaskFactory)(board=board, sprint=sprint, status=Status.DONE)
    left = await sync_to_async(TaskFactory)(board=board, sprint=sprint, points=1)
    await sync_to_async(services.sprint_start)(
        actor=services.Actor(board.owner), sprint_id=sprint.pk
    )
    data = await expect_event(
        member, board,
        lambda a: services.sprint_close(actor=a, sprint_id=sprint.pk, carry_to=None),
        "sprint.closed",
    )  # fmt: skip
    assert data["sprint"]["state"] == "closed"
    assert [(t["id"], t["sprint"], t["status"]) for t in data["carried"]] == [
        (left.pk, None, Status.NOT_STARTED)
    ]
    assert data["carried"][0]["status_display"] == "Not Started"
    assert data["carry_to"] is None
    assert data["completed"] == {"points": 0, "tasks": [done.pk]}
