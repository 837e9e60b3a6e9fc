"""Repairs from the event log and resyncs are counted: a lost layer message filled from the
log, a `since` the log cannot replay."""

import pytest
from asgiref.sync import sync_to_async

from board import services
from board.services import Actor
from tests.board.conftest import board_socket, recv_type

from .conftest import sample

pytestmark = pytest.mark.django_db(transaction=True)


def create_task(board, user, name: str) -> None:
    services.task_create(actor=Actor(user), board_id=board.pk, name=name)


async def test_an_event_lost_on_the_layer_is_a_gap_repair(board, member, monkeypatch):
    comm = await board_socket(member, board)
    hello = await recv_type(comm, "hello")
    repairs = sample("rs_gap_repairs_total")
    monkeypatch.setattr("board.realtime.broadcast_event", lambda event: None)
    await sync_to_async(create_task)(board, member, "lost on the layer")
    monkeypatch.undo()
    await sync_to_async(create_task)(board, member, "sent")
    first = await recv_type(comm, "event")
    second = await recv_type(comm, "event")
    assert [first["seq"], second["seq"]] == [hello["seq"] + 1, hello["seq"] + 2]
    # The stream's fill or the watcher's (whichever came first) read the hole from the log.
    assert sample("rs_gap_repairs_total") >= repairs + 1
    await comm.disconnect()


async def test_a_since_the_log_cannot_replay_is_a_resync(board, member):
    resyncs = sample("rs_resyncs_total")
    comm = await board_socket(member, board, since=40)
    await recv_type(comm, "hello")
    await recv_type(comm, "resync_required")
    assert sample("rs_resyncs_total") == resyncs + 1
    await comm.disconnect()
