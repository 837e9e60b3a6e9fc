"""A board with a history (services.board_create: the fold replays its log), an owner, a
member, a viewer and an outsider, their clients, and helpers for labels."""

from dataclasses import dataclass
from typing import Any

import pytest

from board import services
from board.models import Label, Role
from board.services import Actor
from board.services.labels import label_create
from tests.conftest import client_for
from tests.factories import UserFactory


@dataclass
class Team:
    board: Any
    owner: Any
    mate: Any  # a member
    guest: Any  # a viewer
    stranger: Any  # on another board only
    elsewhere: Any  # the stranger's board

    @property
    def actor(self) -> Actor:
        return Actor(self.owner)


@pytest.fixture
def team(db) -> Team:
    owner = UserFactory(username="olive")
    board = services.board_create(actor=Actor(owner), name="Labels")
    mate, guest = UserFactory(username="mate"), UserFactory(username="guest")
    services.member_add(actor=Actor(owner), board_id=board.pk, user=mate, role=Role.MEMBER)
    services.member_add(actor=Actor(owner), board_id=board.pk, user=guest, role=Role.VIEWER)
    stranger = UserFactory(username="stranger")
    elsewhere = services.board_create(actor=Actor(stranger), name="Elsewhere")
    return Team(board, owner, mate, guest, stranger, elsewhere)


@pytest.fixture
def owner_api(team):
    return client_for(team.owner)


@pytest.fixture
def mate_api(team):
    return client_for(team.mate)


@pytest.fixture
def guest_api(team):
    return client_for(team.guest)


@pytest.fixture
def stranger_api(team):
    return client_for(team.stranger)


def make_label(team: Team, name: str = "Bug", color: str = "#d62728") -> Label:
    return label_create(actor=team.actor, board_id=team.board.pk, name=name, color=color)


def last_seq(board) -> int:
    board.refresh_from_db()
    return board.last_seq
