"""Retention (HISTORY_RETENTION_DAYS): events past it are pruned into one compaction
checkpoint; time travel from there on, the live snapshot and the reports are unchanged,
anything older is 410, and sockets and the REST log behind it are told so."""

import io

import pytest
from asgiref.sync import sync_to_async
from django.core.management import call_command

from board import services
from board.history import compaction, jobs
from board.models import Board, BoardCheckpoint, BoardEvent
from board.services import Actor
from tests.board.conftest import board_socket, recv_type
from tests.conftest import client_for
from tests.factories import UserFactory

from .support import clock_at, days_ago, past_body, snapshot

pytestmark = pytest.mark.django_db


def build(owner, days=10):
    """One event a day for `days` days: joined (days ago), then a task a day."""
    with clock_at(days_ago(days)) as clock:
        board = services.board_create(actor=Actor(owner), name="Old")
        sprint_end = clock.at.date().replace(year=clock.at.year + 1)
        sprint = services.sprint_create(actor=Actor(owner), board_id=board.pk, end=sprint_end)
        for n in range(days - 1):
            clock.tick(days=1)
            services.task_create(actor=Actor(owner), board_id=board.pk, name=f"T{n}",
                                 sprint=sprint if n % 2 else None, points=n)  # fmt: skip
    board.refresh_from_db()
    return board


@pytest.fixture
def owner():
    return UserFactory(username="keeper")


@pytest.fixture
def old_board(owner):
    return build(owner)


def every_view(client, board):
    return {seq: past_body(client, board.pk, seq=seq) for seq in range(board.last_seq + 1)}


def test_nothing_is_pruned_without_a_retention(settings, old_board):
    settings.HISTORY_RETENTION_DAYS = None
    assert jobs.prune_due_boards() == 0
    out = io.StringIO()
    call_command("prune_history", stdout=out)
    assert "nothing pruned" in out.getvalue()
    assert BoardEvent.objects.filter(board=old_board).count() == old_board.last_seq == 11


def test_pruning_keeps_time_travel_from_the_checkpoint_on(settings, owner, old_board):
    client = client_for(owner)
    before, live = every_view(client, old_board), snapshot(client, old_board.pk).json()
    settings.HISTORY_RETENTION_DAYS = 5
    assert jobs.prune_due_boards() == 1
    board = Board.objects.get(pk=old_board.pk)
    # Events 10 to 5 days old go (seqs 1-2 ten days ago, then one a day): through seq 7.
    assert board.history_from == 7
    assert list(BoardEvent.objects.filter(board=board).values_list("seq", flat=True)) == [
        8, 9, 10, 11]  # fmt: skip
    kept = BoardCheckpoint.objects.get(board=board)
    assert (kept.seq, kept.compaction) == (7, True) and "reports" in kept.state
    for seq in range(7, 12):
        assert past_body(client, board.pk, seq=seq) == before[seq], seq
    assert snapshot(client, board.pk).json() == live
    for params in ({"seq": 6}, {"seq": 0}, {"at": days_ago(6).isoformat()}):
        gone = snapshot(client, board.pk, **params)
        assert gone.status_code == 410, params
        assert gone.json() == {
            "detail": "That part of the board's history is no longer kept.",
            "history_from": 7,
        }
    at_checkpoint = kept.at.isoformat()
    assert past_body(client, board.pk, at=at_checkpoint) == before[7]
    assert past_body(client, board.pk, at=days_ago(4.5).isoformat()) == before[7]
    assert past_body(client, board.pk, at=days_ago(3.5).isoformat()) == before[8]


def test_pruning_again_later_folds_onto_the_first_compaction(settings, owner, old_board):
    client = client_for(owner)
    before = every_view(client, old_board)
    settings.HISTORY_RETENTION_DAYS = 8
    assert jobs.prune_due_boards() == 1
    settings.HISTORY_RETENTION_DAYS = 3
    assert jobs.prune_due_boards() == 1
    assert jobs.prune_due_boards() == 0  # nothing older left
    board = Board.objects.get(pk=old_board.pk)
    assert board.history_from == 9
    assert list(BoardCheckpoint.objects.filter(board=board).values_list("seq", flat=True)) == [9]
    for seq in range(9, 12):
        assert past_body(client, board.pk, seq=seq) == before[seq], seq


def test_the_rest_log_below_history_says_so(settings, owner, old_board):
    settings.HISTORY_RETENTION_DAYS = 5
    jobs.prune_due_boards()
    client = client_for(owner)
    url = f"/api/boards/{old_board.pk}/events/"
    gone = client.get(url, {"after": 3})
    assert gone.status_code == 410 and gone.json()["history_from"] == 7
    assert [e["seq"] for e in client.get(url, {"after": 7}).json()["results"]] == [8, 9, 10, 11]
    # Without `after`: from the oldest event kept.
    assert client.get(url).json()["results"][0]["seq"] == 8


def test_a_failed_compaction_changes_nothing(settings, monkeypatch, owner, old_board):
    settings.HISTORY_RETENTION_DAYS = 5

    def broken(board_id, seq):
        raise RuntimeError("reports exploded")

    monkeypatch.setattr(compaction, "_reports", broken)
    other = build(UserFactory(), days=7)
    assert jobs.prune_due_boards() == 0  # both failed, the job itself did not
    for board in (old_board, other):
        board_now = Board.objects.get(pk=board.pk)
        assert board_now.history_from == 0
        assert BoardEvent.objects.filter(board=board).count() == board_now.last_seq
        kept = BoardCheckpoint.objects.filter(board=board).values_list("seq", flat=True)
        assert list(kept) == [0]


def test_the_command_dry_run_changes_nothing_and_board_limits_it(settings, old_board):
    settings.HISTORY_RETENTION_DAYS = 5
    other = build(UserFactory(), days=8)
    out = io.StringIO()
    call_command("prune_history", "--dry-run", stdout=out)
    assert f"board {old_board.pk}: would prune 7 events through seq 7" in out.getvalue()
    assert f"board {other.pk}: would prune 5 events through seq 5" in out.getvalue()
    assert not Board.objects.filter(history_from__gt=0).exists()
    out = io.StringIO()
    call_command("prune_history", "--board", str(other.pk), stdout=out)
    assert "1 board(s) pruned" in out.getvalue()
    assert list(Board.objects.filter(history_from__gt=0).values_list("pk", flat=True)) == [other.pk]


@pytest.mark.django_db(transaction=True)
async def test_a_socket_resuming_from_a_pruned_seq_is_told_to_resync(settings, owner):
    board = await sync_to_async(build)(owner)
    settings.HISTORY_RETENTION_DAYS = 5
    settings.EVENT_RETENTION_DAYS = 30  # the socket's own replay window is not what refuses
    await sync_to_async(jobs.prune_due_boards)()
    comm = await board_socket(owner, board, since=3)
    await recv_type(comm, "hello")
    assert await recv_type(comm, "resync_required") == {
        "type": "resync_required", "seq": 11, "epoch": board.epoch}  # fmt: skip
    await comm.disconnect()
    comm = await board_socket(owner, board, since=7)  # the checkpoint's seq: all after it kept
    await recv_type(comm, "hello")
    assert [(await recv_type(comm, "event"))["seq"] for _ in range(4)] == [8, 9, 10, 11]
    await comm.disconnect()
