"""Each label write appends one event, broadcast once after its commit, with the data the
contract names; deleting a label takes it off its cards without touching their versions."""

import pytest
from asgiref.sync import sync_to_async
from django.db import transaction

from board import realtime, services
from board.models import BoardEvent, Task
from board.services.labels import label_create, label_delete, label_update
from tests.board.conftest import board_socket, recv_type

from .conftest import last_seq, make_label

pytestmark = pytest.mark.django_db(transaction=True)


def test_each_write_is_one_event_broadcast_once_after_commit(team, broadcasts):
    board, actor = team.board, team.actor
    made = {}

    def create():
        made["label"] = label_create(actor=actor, board_id=board.pk, name="Bug", color="#FF0000")

    writes = [
        (realtime.LABEL_CREATED, create),
        (realtime.LABEL_UPDATED, lambda: label_update(
            actor=actor, label_id=made["label"].pk, name="Defect", color="#00ff00")),
        (realtime.LABEL_DELETED, lambda: label_delete(actor=actor, label_id=made["label"].pk)),
    ]  # fmt: skip
    for name, write in writes:
        seq, sent = last_seq(board), len(broadcasts)
        with transaction.atomic():
            write()
            assert len(broadcasts) == sent  # not before the commit
        assert [(e.seq, e.name) for e in broadcasts[sent:]] == [(seq + 1, name)]
        assert BoardEvent.objects.filter(board=board, seq__gt=seq).count() == 1
    label_id = made["label"].pk
    created, updated, deleted = (e.data for e in broadcasts[-3:])
    assert created == {"id": label_id, "board": board.pk, "name": "Bug", "color": "#ff0000"}
    assert updated == {"id": label_id, "board": board.pk, "name": "Defect", "color": "#00ff00"}
    assert deleted == {"id": label_id, "tasks": []}


def test_a_refused_write_emits_nothing(team, broadcasts):
    make_label(team, name="Bug")
    seq, sent = last_seq(team.board), len(broadcasts)
    with pytest.raises(Exception, match="already has"):
        make_label(team, name="bug")
    assert last_seq(team.board) == seq and len(broadcasts) == sent


def test_deleting_a_label_takes_it_off_live_and_trashed_cards_keeping_their_versions(
    team, broadcasts
):
    actor, board = team.actor, team.board
    bug, keep = make_label(team, name="Bug"), make_label(team, name="Keep")
    cards = [
        services.task_create(actor=actor, board_id=board.pk, name=n, labels=ls)
        for n, ls in [("a", [bug, keep]), ("b", [bug]), ("c", [keep]), ("gone", [bug])]
    ]
    services.task_delete(actor=actor, task_id=cards[3].pk)
    versions = dict(Task.all_objects.values_list("pk", "version"))
    stamps = dict(Task.all_objects.values_list("pk", "updated_at"))

    label_delete(actor=actor, label_id=bug.pk)

    assert broadcasts[-1].data == {"id": bug.pk, "tasks": [cards[0].pk, cards[1].pk, cards[3].pk]}
    assert dict(Task.all_objects.values_list("pk", "version")) == versions
    assert dict(Task.all_objects.values_list("pk", "updated_at")) == stamps
    carried = {t.pk: sorted(t.labels.values_list("pk", flat=True)) for t in Task.all_objects.all()}
    assert carried == {cards[0].pk: [keep.pk], cards[1].pk: [], cards[2].pk: [keep.pk],
                       cards[3].pk: []}  # fmt: skip


async def test_a_viewers_socket_receives_label_events(team):
    comm = await board_socket(team.guest, team.board)
    await recv_type(comm, "hello")
    label = await sync_to_async(make_label)(team, name="Bug", color="#ABCDEF")
    frame = await recv_type(comm, "event")
    assert frame["name"] == "label.created"
    assert frame["data"] == {"id": label.pk, "board": team.board.pk, "name": "Bug",
                             "color": "#abcdef"}  # fmt: skip
    await sync_to_async(label_delete)(actor=team.actor, label_id=label.pk)
    frame = await recv_type(comm, "event")
    assert (frame["name"], frame["data"]) == ("label.deleted", {"id": label.pk, "tasks": []})
    await comm.disconnect()
