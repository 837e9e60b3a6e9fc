"""A board with a history (services.board_create: undo reads the log), a member, a viewer."""

import datetime as dt

import pytest

from board import services
from board.history.replay import state_at
from board.models import Role
from board.services import Actor
from board.services.rules import board_today
from tests.board.history.test_fold import live_snapshot, replayed_snapshot
from tests.conftest import client_for
from tests.factories import UserFactory

# What any write changes by itself: an undo restores the rest.
BOOKKEEPING = ("version", "updated_at")


@pytest.fixture
def team(db):
    """(board, owner actor, member user, viewer user)."""
    owner = UserFactory(username="olive")
    actor = Actor(owner)
    board = services.board_create(actor=actor, name="Undo")
    mate, guest = UserFactory(username="mate"), UserFactory(username="guest")
    services.member_add(actor=actor, board_id=board.pk, user=mate, role=Role.MEMBER)
    services.member_add(actor=actor, board_id=board.pk, user=guest, role=Role.VIEWER)
    return board, actor, mate, guest


@pytest.fixture
def sprint(team):
    board, actor, *_ = team
    end = board_today(board) + dt.timedelta(days=9)
    return services.sprint_create(actor=actor, board_id=board.pk, end=end, name="S1")


@pytest.fixture
def owner_api(team):
    return client_for(team[0].owner)


@pytest.fixture
def mate_api(team):
    return client_for(team[2])


@pytest.fixture
def guest_api(team):
    return client_for(team[3])


def last_seq(board) -> int:
    board.refresh_from_db()
    return board.last_seq


def task_at(board, seq, task_id):
    """The task's values after event `seq` (None: not on the board), less bookkeeping."""
    values = state_at(board.pk, seq, remember=False).tasks.get(task_id)
    if values is None:
        return None
    return {k: v for k, v in values.items() if k not in BOOKKEEPING}


def assert_the_log_tells_the_live_board(board):
    """The new event holds what was written: a replay of the log is the live snapshot."""
    seq = last_seq(board)
    assert replayed_snapshot(board, board.owner, seq) == live_snapshot(board.pk, board.owner)
