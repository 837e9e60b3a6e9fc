"""One test per event name: the frame a member's socket receives, payload asserted."""

import datetime as dt

import pytest
from asgiref.sync import sync_to_async
from django.utils import timezone

from board import services
from board.models import Role, Status
from board.services import Actor
from tests.board.conftest import board_socket, recv_type
from tests.factories import MembershipFactory, SprintFactory, TaskFactory, UserFactory

pytestmark = pytest.mark.django_db(transaction=True)


async def expect_event(user, board, change, name: str) -> dict:
    """Open a socket, make `change` as the board owner, return the one event it produced."""
    comm = await board_socket(user, board)
    hello = await recv_type(comm, "hello")
    await sync_to_async(change)(Actor(board.owner, client_op_id="op-7"))
    frame = await recv_type(comm, "event")
    assert frame["seq"] == hello["seq"] + 1
    assert frame["name"] == name
    assert frame["actor"] == {"id": board.owner.pk, "username": board.owner.username}
    assert frame["client_op_id"] == "op-7"
    assert frame["at"].endswith("Z")
    assert set(frame) == {"type", "seq", "name", "data", "actor", "client_op_id", "at"}
    assert await comm.receive_nothing(0.2)
    await comm.disconnect()
    return frame["data"]


async def test_board_updated(board, member):
    data = await expect_event(
        member, board,
        lambda a: services.board_update(actor=a, board_id=board.pk, name="New"),
        "board.updated",
    )  # fmt: skip
    assert data["name"] == "New" and data["id"] == board.pk


async def test_member_added(board, member):
    newcomer = await sync_to_async(UserFactory)(username="newcomer")
    data = await expect_event(
        member, board,
        lambda a: services.member_add(actor=a, board_id=board.pk, user=newcomer, role="viewer"),
        "member.added",
    )  # fmt: skip
    assert data["user"]["username"] == "newcomer" and data["role"] == "viewer"


async def test_member_updated(board, member, viewer):
    data = await expect_event(
        member, board,
        lambda a: services.member_update(
            actor=a, board_id=board.pk, user_id=viewer.pk, role=Role.MEMBER
        ),
        "member.updated",
    )  # fmt: skip
    assert data["user"]["id"] == viewer.pk and data["role"] == "member"


async def test_member_removed(board, member, viewer):
    data = await expect_event(
        member, board,
        lambda a: services.member_remove(actor=a, board_id=board.pk, user_id=viewer.pk),
        "member.removed",
    )  # fmt: skip
    assert data["user"]["id"] == viewer.pk and data["unassigned"] == []


async def test_sprint_created(board, member):
    end = timezone.localdate() + dt.timedelta(days=14)
    data = await expect_event(
        member, board,
        lambda a: services.sprint_create(actor=a, board_id=board.pk, end=end, name="S1"),
        "sprint.created",
    )  # fmt: skip
    assert data["name"] == "S1" and data["end"] == end.isoformat()


async def test_sprint_updated(board, member):
    sprint = await sync_to_async(SprintFactory)(board=board)
    data = await expect_event(
        member, board,
        lambda a: services.sprint_update(actor=a, sprint_id=sprint.pk, name="Renamed"),
        "sprint.updated",
    )  # fmt: skip
    assert data["id"] == sprint.pk and data["name"] == "Renamed"


async def test_sprint_deleted(board, member):
    sprint = await sync_to_async(SprintFactory)(board=board)
    data = await expect_event(
        member, board,
        lambda a: services.sprint_delete(actor=a, sprint_id=sprint.pk),
        "sprint.deleted",
    )  # fmt: skip
    assert data["id"] == sprint.pk and data["tasks"] == []


async def test_task_created(board, member):
    data = await expect_event(
        member, board,
        lambda a: services.task_create(actor=a, board_id=board.pk, name="Write docs"),
        "task.created",
    )  # fmt: skip
    assert data["name"] == "Write docs" and data["status"] == Status.NOT_STARTED


async def test_task_updated(board, member):
    task = await sync_to_async(TaskFactory)(board=board)
    data = await expect_event(
        member, board,
        lambda a: services.task_update(actor=a, task_id=task.pk, name="Edited"),
        "task.updated",
    )  # fmt: skip
    assert data["id"] == task.pk and data["name"] == "Edited" and data["version"] == 2


async def test_task_moved(board, member):
    sprint = await sync_to_async(SprintFactory)(board=board)
    task = await sync_to_async(TaskFactory)(board=board)
    data = await expect_event(
        member, board,
        lambda a: services.task_move(
            actor=a, task_id=task.pk, sprint=sprint, status=Status.IN_PROGRESS
        ),
        "task.moved",
    )  # fmt: skip
    assert data["task"]["id"] == task.pk and data["task"]["sprint"] == sprint.pk
    assert data["task"]["status"] == Status.IN_PROGRESS and data["reordered"] == []


async def test_task_deleted(board, member):
    task = await sync_to_async(TaskFactory)(board=board)
    data = await expect_event(
        member, board,
        lambda a: services.task_delete(actor=a, task_id=task.pk),
        "task.deleted",
    )  # fmt: skip
    assert data == {"id": task.pk, "sprint": None, "status": Status.NOT_STARTED}


async def test_viewer_receives_events_too(board, viewer):
    other = await sync_to_async(MembershipFactory)(board=board)
    assert other.role == Role.MEMBER
    data = await expect_event(
        viewer, board,
        lambda a: services.task_create(actor=a, board_id=board.pk, name="Seen by viewers"),
        "task.created",
    )  # fmt: skip
    assert data["name"] == "Seen by viewers"
