"""A board with a history (services.board_create), a member, and sprints made by services."""

import datetime as dt

import pytest

from board import services
from board.models import Role
from board.services import Actor
from board.services.rules import board_today
from tests.conftest import client_for
from tests.factories import UserFactory


@pytest.fixture
def team(db):
    """(board, owner actor, member user): the board is created the way users create one."""
    owner = UserFactory(username="olive")
    actor = Actor(owner)
    board = services.board_create(actor=actor, name="Planning")
    mate = UserFactory(username="mate")
    services.member_add(actor=actor, board_id=board.pk, user=mate, role=Role.MEMBER)
    return board, actor, mate


@pytest.fixture
def make_sprint(team):
    board, actor, _ = team
    count = iter(range(1, 1000))

    def make(days: int | None = None, **kw):
        end = board_today(board) + dt.timedelta(days=days or 7 + next(count))
        return services.sprint_create(actor=actor, board_id=board.pk, end=end, **kw)

    return make


@pytest.fixture
def make_task(team):
    board, actor, _ = team

    def make(name: str = "T", **kw):
        return services.task_create(actor=actor, board_id=board.pk, name=name, **kw)

    return make


@pytest.fixture
def mate_api(team):
    return client_for(team[2])
