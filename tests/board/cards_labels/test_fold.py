"""The fold (board/history/state.py) rebuilds the live snapshot from the log after every
label event, including a deletion that strips the label from live and trashed cards."""

import pytest

from board import services
from board.services.labels import label_delete, label_update
from tests.board.history.test_fold import live_snapshot, replayed_snapshot

from .conftest import last_seq, make_label

pytestmark = pytest.mark.django_db


def test_every_state_along_a_label_history_is_the_live_snapshot_of_its_seq(team):
    actor, board = team.actor, team.board
    seen = {}

    def record():
        seen[last_seq(board)] = live_snapshot(board.pk, team.owner)

    bug, ui = make_label(team, name="Bug"), make_label(team, name="UI", color="#ABCDEF")
    record()
    a = services.task_create(actor=actor, board_id=board.pk, name="A", labels=[bug, ui])
    b = services.task_create(actor=actor, board_id=board.pk, name="B", labels=[bug])
    gone = services.task_create(actor=actor, board_id=board.pk, name="Gone", labels=[bug])
    services.task_update(actor=actor, task_id=b.pk, labels=[ui, bug])
    record()
    label_update(actor=actor, label_id=bug.pk, name="Defect", color="#000000")
    services.task_delete(actor=actor, task_id=gone.pk)
    record()
    label_delete(actor=actor, label_id=bug.pk)
    record()
    # The trashed card comes back without the deleted label, in the log as in the database.
    services.task_restore(actor=actor, task_id=gone.pk)
    services.task_update(actor=actor, task_id=a.pk, labels=[])
    record()
    tasks = {t["id"]: t for t in seen[last_seq(board)]["tasks"]}
    assert tasks[gone.pk]["labels"] == [] and tasks[b.pk]["labels"] == [ui.pk]
    for seq, snap in seen.items():
        assert replayed_snapshot(board, team.owner, seq) == snap, seq
