"""A board with a history (services.board_create), an owner, a member, a viewer and a card."""

from dataclasses import dataclass

import pytest

from board import services
from board.models import Board, ChecklistItem, Role, Task
from board.services import Actor
from board.services import checklist as svc
from tests.conftest import client_for
from tests.factories import UserFactory


@dataclass
class Team:
    board: Board
    owner: object
    mate: object
    guest: object
    task: Task

    @property
    def actor(self) -> Actor:
        return Actor(self.owner)


@pytest.fixture
def team(db) -> Team:
    owner = UserFactory(username="olive")
    board = services.board_create(actor=Actor(owner), name="Checklists")
    mate, guest = UserFactory(username="mate"), UserFactory(username="guest")
    services.member_add(actor=Actor(owner), board_id=board.pk, user=mate, role=Role.MEMBER)
    services.member_add(actor=Actor(owner), board_id=board.pk, user=guest, role=Role.VIEWER)
    task = services.task_create(actor=Actor(owner), board_id=board.pk, name="Card")
    return Team(board, owner, mate, guest, task)


@pytest.fixture
def mate_api(team):
    return client_for(team.mate)


@pytest.fixture
def guest_api(team):
    return client_for(team.guest)


def add(team: Team, *texts: str, task: Task | None = None) -> list[ChecklistItem]:
    task_id = (task or team.task).pk
    return [svc.checklist_item_create(actor=team.actor, task_id=task_id, text=t) for t in texts]


def texts(task: Task) -> list[str]:
    return list(
        ChecklistItem.objects.filter(task=task)
        .order_by("order", "pk")
        .values_list("text", flat=True)
    )


def counters(task: Task) -> tuple[int, int]:
    task = Task.all_objects.get(pk=task.pk)
    return task.checklist_total, task.checklist_done
