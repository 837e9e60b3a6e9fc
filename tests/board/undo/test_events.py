"""The undo's and the restore's events: broadcast once, after commit, and received by a
member's socket with `reverts`."""

import pytest
from asgiref.sync import sync_to_async
from django.db import transaction

from board import services
from board.models import Role
from board.services import Actor
from tests.board.conftest import board_socket, recv_type
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db(transaction=True)


def _board_with_history():
    owner = UserFactory(username="olive")
    board = services.board_create(actor=Actor(owner), name="Live undo")
    mate = UserFactory(username="mate")
    services.member_add(actor=Actor(owner), board_id=board.pk, user=mate, role=Role.MEMBER)
    task = services.task_create(actor=Actor(owner), board_id=board.pk, name="One")
    services.task_update(actor=Actor(owner), task_id=task.pk, name="Two")
    board.refresh_from_db()
    return board, owner, mate, task


async def test_a_members_socket_receives_the_undo_with_reverts():
    board, owner, mate, task = await sync_to_async(_board_with_history)()
    seq = board.last_seq
    comm = await board_socket(mate, board)
    hello = await recv_type(comm, "hello")

    await sync_to_async(services.event_revert)(
        actor=Actor(owner, client_op_id="undo-1"), board_id=board.pk, seq=seq
    )

    frame = await recv_type(comm, "event")
    assert frame["seq"] == hello["seq"] + 1 == seq + 1
    assert frame["name"] == "task.updated" and frame["client_op_id"] == "undo-1"
    assert frame["data"]["reverts"] == seq and frame["data"]["name"] == "One"
    assert frame["data"]["links"]["self"] == f"/api/tasks/{task.pk}/"
    assert await comm.receive_nothing(0.2)
    await comm.disconnect()


def test_every_undo_and_restore_is_broadcast_once_after_commit(broadcasts):
    board, owner, mate, edited = _board_with_history()
    actor = Actor(owner)
    moved, deleted, spare = (
        services.task_create(actor=actor, board_id=board.pk, name=name) for name in "MDS"
    )
    services.task_move(actor=actor, task_id=moved.pk, sprint=None, status=1, before=edited.pk)
    services.task_delete(actor=actor, task_id=deleted.pk)
    services.task_delete(actor=actor, task_id=spare.pk)
    board.refresh_from_db()
    head = board.last_seq
    # The edit is _board_with_history's last event; then 3 creates, the move, 2 deletes.
    seqs = {"task.updated": head - 6, "task.moved": head - 2, "task.restored": head - 1}
    calls = [
        (name, lambda seq=seq: services.event_revert(actor=actor, board_id=board.pk, seq=seq))
        for name, seq in seqs.items()
    ]
    calls.append(("task.restored", lambda: services.task_restore(actor=actor, task_id=spare.pk)))
    for name, call in calls:
        sent = len(broadcasts)
        with transaction.atomic():
            call()
            assert len(broadcasts) == sent  # not before the commit
        head += 1
        assert [(e.seq, e.name) for e in broadcasts[sent:]] == [(head, name)]
