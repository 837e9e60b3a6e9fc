"""Replay on `since`/`resume`, resync past retention, and a gap-free live stream."""

import datetime as dt

import pytest
from asgiref.sync import sync_to_async
from django.utils import timezone

from board import realtime, services
from board.models import BoardEvent
from board.services import Actor
from realtime_scrum.sockets import groups
from tests.board.conftest import board_socket, recv_type

pytestmark = pytest.mark.django_db(transaction=True)


def make_tasks(board, user, count: int) -> None:
    for n in range(count):
        services.task_create(actor=Actor(user), board_id=board.pk, name=f"T{n}")


async def seqs(comm, count: int) -> list[int]:
    return [(await recv_type(comm, "event"))["seq"] for _ in range(count)]


async def test_hello_is_the_first_frame(board, member):
    await sync_to_async(make_tasks)(board, member, 2)
    comm = await board_socket(member, board)
    hello = await recv_type(comm, "hello")
    assert hello == {
        "type": "hello",
        "board": board.pk,
        "seq": 2,
        "epoch": board.epoch,
        "user": {"id": member.pk, "username": "member"},
        "role": "member",
        "can": {"write": True, "manage": False},
        "heartbeat_s": 25.0,
        "presence": [
            {
                "id": member.pk,
                "username": "member",
                "full_name": "Member",
                "focus": None,
                "mode": "view",
            }
        ],
    }


async def test_since_mid_log_replays_the_rest_then_live(board, member):
    await sync_to_async(make_tasks)(board, member, 5)
    comm = await board_socket(member, board, since=2)
    assert (await recv_type(comm, "hello"))["seq"] == 5
    assert await seqs(comm, 3) == [3, 4, 5]
    await sync_to_async(make_tasks)(board, member, 1)
    assert await seqs(comm, 1) == [6]
    assert await comm.receive_nothing(0.2)


async def test_since_at_head_replays_nothing(board, member):
    await sync_to_async(make_tasks)(board, member, 3)
    comm = await board_socket(member, board, since=3)
    await recv_type(comm, "hello")
    assert await comm.receive_nothing(0.2)


async def test_since_beyond_retention_gets_resync_required(board, member):
    await sync_to_async(make_tasks)(board, member, 3)
    old = timezone.now() - dt.timedelta(days=8)
    await sync_to_async(BoardEvent.objects.filter(board=board, seq=2).update)(created_at=old)
    comm = await board_socket(member, board, since=1)
    await recv_type(comm, "hello")
    assert await recv_type(comm, "resync_required") == {
        "type": "resync_required",
        "seq": 3,
        "epoch": board.epoch,
    }
    await sync_to_async(make_tasks)(board, member, 1)
    assert await seqs(comm, 1) == [4]


async def test_since_pruned_from_log_gets_resync_required(board, member):
    await sync_to_async(make_tasks)(board, member, 3)
    await sync_to_async(BoardEvent.objects.filter(board=board, seq__lte=2).delete)()
    comm = await board_socket(member, board, since=0)
    await recv_type(comm, "hello")
    assert (await recv_type(comm, "resync_required"))["seq"] == 3


async def test_since_ahead_of_board_gets_resync_required(board, member):
    comm = await board_socket(member, board, since=40)
    await recv_type(comm, "hello")
    assert (await recv_type(comm, "resync_required"))["seq"] == 0


async def test_resume_replays_from_since(board, member):
    await sync_to_async(make_tasks)(board, member, 4)
    comm = await board_socket(member, board)
    await recv_type(comm, "hello")
    await comm.send_json_to({"type": "resume", "since": 1})
    assert await seqs(comm, 3) == [2, 3, 4]
    assert await comm.receive_nothing(0.2)


async def test_live_duplicates_of_replayed_events_are_dropped(board, member):
    await sync_to_async(make_tasks)(board, member, 3)
    comm = await board_socket(member, board, since=1)
    await recv_type(comm, "hello")
    assert await seqs(comm, 2) == [2, 3]
    # The broadcast of seq 3 arriving after the replay already sent it (the switch-over race).
    event = await sync_to_async(BoardEvent.objects.select_related("actor").get)(board=board, seq=3)
    await groups.send(
        realtime.board_group(board.pk),
        realtime.event_message(await sync_to_async(realtime.event_frame)(event)),
    )
    assert await comm.receive_nothing(0.3)


async def test_a_dropped_group_message_is_filled_from_the_log(board, member, monkeypatch):
    comm = await board_socket(member, board)
    await recv_type(comm, "hello")
    real = realtime.broadcast_event
    monkeypatch.setattr(realtime, "broadcast_event", lambda e: e.seq != 2 and real(e))
    await sync_to_async(make_tasks)(board, member, 3)
    assert await seqs(comm, 3) == [1, 2, 3]
    assert await comm.receive_nothing(0.2)


async def test_out_of_order_delivery_is_put_in_order(board, member, monkeypatch):
    comm = await board_socket(member, board)
    await recv_type(comm, "hello")
    held = []
    real = realtime.broadcast_event
    monkeypatch.setattr(realtime, "broadcast_event", lambda e: held.append(e))
    await sync_to_async(make_tasks)(board, member, 2)
    for event in reversed(held):
        await sync_to_async(real)(event)
    assert await seqs(comm, 2) == [1, 2]
    assert await comm.receive_nothing(0.2)


async def test_a_dropped_last_message_is_filled_on_heartbeat(board, member, monkeypatch, settings):
    settings.WS_HEARTBEAT_SECONDS = 0.2
    comm = await board_socket(member, board)
    await recv_type(comm, "hello")
    real = realtime.broadcast_event
    monkeypatch.setattr(realtime, "broadcast_event", lambda e: e.seq != 2 and real(e))
    await sync_to_async(make_tasks)(board, member, 2)
    assert await seqs(comm, 2) == [1, 2]
