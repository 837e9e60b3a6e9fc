"""The replay lever (board/history/checkpoints.py): cache checkpoints are written as replays
pass every K-th event, a replay starting from one equals the replay from seq 0, and the fold
refuses a log it cannot read rather than return a wrong state."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from board import services
from board.history import checkpoints, replay
from board.history.replay import state_at
from board.models import BoardCheckpoint, BoardEvent, Status
from board.services import Actor
from tests.factories import UserFactory

from .seed import long_board

pytestmark = pytest.mark.django_db


def from_zero(board_id, seq):
    """The replay the lever must equal: genesis plus every event, no cache read or written."""
    kept = BoardCheckpoint.objects.filter(board_id=board_id, seq=0).values_list("state", flat=True)
    state = replay.BoardState.from_json(kept.get())
    for event_seq, name, data in replay.events_between(board_id, 0, seq):
        state.apply(event_seq, name, data)
    return state.to_json()


def cached_seqs(board_id):
    return list(BoardCheckpoint.objects.filter(board_id=board_id).values_list("seq", flat=True))


def test_a_replay_stores_a_checkpoint_every_k_events_and_later_ones_start_there(settings):
    settings.HISTORY_CHECKPOINT_EVERY = 100
    board = long_board(UserFactory(), events=1000, tasks=60)
    assert state_at(board.pk, 950).seq == 950
    assert cached_seqs(board.pk) == [0, *range(100, 1000, 100)]
    assert not BoardCheckpoint.objects.filter(board=board, seq__gt=0, compaction=True).exists()
    folded = []
    real = replay.events_between
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(replay, "events_between", lambda *a: folded.extend(a[1:]) or real(*a))
        for seq in (999, 450, 101):
            state_at(board.pk, seq)
    assert folded == [900, 999, 400, 450, 100, 101]  # (after, upto): at most K-1 events each


def test_a_replay_from_a_checkpoint_equals_the_replay_from_seq_zero(settings):
    settings.HISTORY_CHECKPOINT_EVERY = 100
    board = long_board(UserFactory(), events=700, tasks=40, seed=7)
    state_at(board.pk, 700)  # writes the checkpoints
    for seq in (99, 100, 101, 350, 699, 700):
        assert state_at(board.pk, seq).to_json() == from_zero(board.pk, seq), seq


def test_checkpoints_of_a_real_history_equal_its_replay_from_zero(settings):
    settings.HISTORY_CHECKPOINT_EVERY = 4
    owner, mate = UserFactory(), UserFactory()
    actor = Actor(owner)
    board = services.board_create(actor=actor, name="Real")
    services.member_add(actor=actor, board_id=board.pk, user=mate, role="member")
    tasks = [
        services.task_create(actor=actor, board_id=board.pk, name=f"T{n}", assigned=mate)
        for n in range(6)
    ]
    services.task_update(actor=actor, task_id=tasks[0].pk, points=5)
    services.task_move(actor=actor, task_id=tasks[1].pk, sprint=None, status=Status.NOT_STARTED,
                       before=tasks[0].pk)  # fmt: skip
    services.task_delete(actor=actor, task_id=tasks[2].pk)
    services.member_remove(actor=actor, board_id=board.pk, user_id=mate.pk)
    services.board_update(actor=actor, board_id=board.pk, name="Real 2")
    board.refresh_from_db()
    state_at(board.pk, board.last_seq)
    assert cached_seqs(board.pk) == list(range(0, board.last_seq + 1, 4))
    for seq in range(board.last_seq + 1):
        assert state_at(board.pk, seq).to_json() == from_zero(board.pk, seq), seq


def test_a_replay_costs_the_same_queries_at_any_length(settings):
    settings.HISTORY_CHECKPOINT_EVERY = 0  # no cache: the whole log is read
    board = long_board(UserFactory(), events=5000, tasks=50)
    with CaptureQueriesContext(connection) as queries:
        state_at(board.pk, 5000)
    assert len(queries) == 2  # the checkpoint, then one statement over every event


def test_two_replays_storing_the_same_checkpoint_both_succeed(settings):
    settings.HISTORY_CHECKPOINT_EVERY = 100
    board = long_board(UserFactory(), events=250, tasks=20)
    recorder = checkpoints.Recorder(board.pk, 0)
    state = state_at(board.pk, 200, remember=False)
    recorder.passed(state)
    state_at(board.pk, 250)  # stores 100 and 200 first
    assert recorder.save() == 1 and cached_seqs(board.pk) == [0, 100, 200]


def test_a_gap_in_the_log_raises_instead_of_skipping(settings):
    board = long_board(UserFactory(), events=30, tasks=5)
    BoardEvent.objects.filter(board=board, seq=12).delete()
    with pytest.raises(ValueError, match="event 13 applied to the state at 11"):
        state_at(board.pk, 20)


def test_an_event_without_a_replay_raises(settings):
    board = long_board(UserFactory(), events=30, tasks=5)
    BoardEvent.objects.filter(board=board, seq=12).update(name="task.teleported")
    with pytest.raises(ValueError, match="no replay for event 'task.teleported'"):
        state_at(board.pk, 20)
