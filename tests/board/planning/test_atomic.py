"""Each lifecycle operation is one transaction: one event, broadcast once after commit; a
failure midway leaves the board, the log and every socket exactly as they were."""

import pytest
from django.db import transaction

from board import realtime, services
from board.models import Board, BoardEvent, Sprint, Task
from board.services import sprint_lifecycle
from tests.board.history.test_fold import live_snapshot, replayed_snapshot

pytestmark = pytest.mark.django_db(transaction=True)


def board_rows(board):
    """Everything a lifecycle operation may write, as plain values."""
    return (
        Board.objects.get(pk=board.pk).last_seq,
        list(Sprint.objects.filter(board=board).values_list("pk", "state", "start", "version")),
        list(
            Task.all_objects.filter(board=board).values_list(
                "pk", "sprint", "status", "order", "started", "version"
            )
        ),
        BoardEvent.objects.filter(board=board).count(),
    )


@pytest.fixture
def setup(team, make_sprint, make_task):
    """A planned sprint with work in it, another planned sprint, and a backlog."""
    board, actor, _ = team
    sprint, nxt = make_sprint(), make_sprint()
    make_task("todo", sprint=sprint, points=2)
    make_task("doing", sprint=sprint, status=2, points=3)
    backlog = [make_task(f"b{i}", points=1) for i in range(3)]
    return board, actor, sprint, nxt, backlog


def operations(actor, sprint, nxt, backlog):
    """(event name, the operation) in an order in which each is allowed."""
    ids = [t.pk for t in backlog]
    return [
        (realtime.SPRINT_PLANNED, lambda: services.sprint_plan(
            actor=actor, sprint_id=sprint.pk, tasks=ids)),
        (realtime.SPRINT_STARTED, lambda: services.sprint_start(actor=actor, sprint_id=sprint.pk)),
        (realtime.SPRINT_CLOSED, lambda: services.sprint_close(
            actor=actor, sprint_id=sprint.pk, carry_to=nxt.pk)),
    ]  # fmt: skip


def test_each_operation_appends_one_event_broadcast_once_after_commit(setup, broadcasts):
    board, actor, sprint, nxt, backlog = setup
    for name, run in operations(actor, sprint, nxt, backlog):
        seq = Board.objects.get(pk=board.pk).last_seq
        sent = len(broadcasts)
        with transaction.atomic():
            run()
            assert len(broadcasts) == sent  # not before commit
        events = list(BoardEvent.objects.filter(board=board, seq__gt=seq))
        assert [(e.seq, e.name) for e in events] == [(seq + 1, name)]
        assert [(e.seq, e.name) for e in broadcasts[sent:]] == [(seq + 1, name)]


@pytest.mark.parametrize("step", [0, 1, 2])
def test_a_failure_after_the_writes_rolls_everything_back(setup, broadcasts, monkeypatch, step):
    board, actor, sprint, nxt, backlog = setup
    steps = operations(actor, sprint, nxt, backlog)
    for _, run in steps[:step]:
        run()
    before, sent = board_rows(board), len(broadcasts)

    def fail(*args, **kwargs):
        raise RuntimeError("the log write fails")

    # The event is the operation's last write: failing it undoes the task and sprint writes.
    monkeypatch.setattr(sprint_lifecycle, "event_append", fail)
    with pytest.raises(RuntimeError):
        steps[step][1]()
    assert board_rows(board) == before
    assert len(broadcasts) == sent


def test_a_close_failing_between_moving_tasks_and_closing_the_sprint_moves_nothing(
    setup, broadcasts, monkeypatch
):
    board, actor, sprint, nxt, _ = setup
    services.sprint_start(actor=actor, sprint_id=sprint.pk)
    before, sent = board_rows(board), len(broadcasts)
    original = Sprint.save

    def save(self, *args, **kwargs):
        if self.state == "closed":
            raise RuntimeError("the sprint row cannot be written")
        original(self, *args, **kwargs)

    monkeypatch.setattr(Sprint, "save", save)
    with pytest.raises(RuntimeError):
        services.sprint_close(actor=actor, sprint_id=sprint.pk, carry_to=nxt.pk)
    assert board_rows(board) == before
    assert len(broadcasts) == sent


def test_the_log_replays_to_the_live_board_after_each_operation(setup):
    """The fold (board/history/state.py) rebuilds each state from the events alone."""
    board, actor, sprint, nxt, backlog = setup
    owner = actor.user
    for _, run in operations(actor, sprint, nxt, backlog):
        run()
        live = live_snapshot(board.pk, owner)
        assert replayed_snapshot(board, owner, live["seq"]) == live
    services.sprint_start(actor=actor, sprint_id=nxt.pk)
    services.sprint_close(actor=actor, sprint_id=nxt.pk, carry_to=None)
    live = live_snapshot(board.pk, owner)
    assert replayed_snapshot(board, owner, live["seq"]) == live
