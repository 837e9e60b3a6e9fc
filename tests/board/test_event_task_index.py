"""The event log's index by task (board.models.EventTask): every event names the tasks it is
part of, written with the event, so a card's activity reads its own events and nothing else;
the migration builds the same index for events logged before it existed."""

import datetime as dt
import importlib

import pytest
from django.apps import apps as django_apps

from board import realtime, services
from board.models import BoardEvent, EventTask, Role, Status
from board.services import Actor
from board.services.rules import board_today
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db

backfill = importlib.import_module("board.migrations.0006_cards").index_events_by_task


def indexed(board) -> dict[int, list[int]]:
    rows = EventTask.objects.filter(board=board).order_by("seq", "task_id")
    out: dict[int, list[int]] = {}
    for seq, task in rows.values_list("seq", "task_id"):
        out.setdefault(seq, []).append(task)
    return out


def touched(board) -> dict[int, list[int]]:
    out = {}
    for event in BoardEvent.objects.filter(board=board).order_by("seq"):
        tasks = sorted(realtime.tasks_touched(event.name, event.data))
        if tasks:
            out[event.seq] = tasks
    return out


@pytest.fixture
def history():
    """A board whose log has every kind of event that touches tasks."""
    owner, mate = UserFactory(username="olive"), UserFactory(username="mate")
    actor = Actor(owner)
    board = services.board_create(actor=actor, name="Index")
    services.member_add(actor=actor, board_id=board.pk, user=mate, role=Role.MEMBER)
    today = board_today(board)
    first = services.sprint_create(actor=actor, board_id=board.pk, end=today + dt.timedelta(9))
    second = services.sprint_create(actor=actor, board_id=board.pk, end=today + dt.timedelta(20))
    a = services.task_create(actor=actor, board_id=board.pk, name="a", assigned=mate)
    b = services.task_create(actor=actor, board_id=board.pk, name="b")
    c = services.task_create(actor=actor, board_id=board.pk, name="c")
    services.task_update(actor=actor, task_id=c.pk, name="c2")
    services.sprint_plan(actor=actor, sprint_id=first.pk, tasks=[a.pk, b.pk])
    services.sprint_start(actor=actor, sprint_id=first.pk)
    services.task_move(actor=actor, task_id=a.pk, sprint=first, status=Status.DONE)
    services.sprint_close(actor=actor, sprint_id=first.pk, carry_to=second.pk)
    services.task_delete(actor=actor, task_id=c.pk)
    services.task_restore(actor=actor, task_id=c.pk)
    services.sprint_delete(actor=actor, sprint_id=second.pk)
    services.task_update(actor=actor, task_id=b.pk, assigned=mate)
    services.member_remove(actor=actor, board_id=board.pk, user_id=mate.pk)
    return board, (a, b, c)


def test_every_event_indexes_exactly_the_tasks_it_touched(history):
    board, (a, b, c) = history
    index = indexed(board)
    assert index == touched(board)
    names = dict(BoardEvent.objects.filter(board=board).values_list("seq", "name"))
    kinds = {names[seq] for seq in index}
    assert kinds >= {
        "task.created", "task.updated", "task.moved", "task.deleted", "task.restored",
        "sprint.planned", "sprint.closed", "sprint.deleted", "member.removed",
    }  # fmt: skip
    # The carried task is in the close; the Done one stayed behind and is not.
    close = next(seq for seq, name in names.items() if name == "sprint.closed")
    assert index[close] == [b.pk]
    removal = next(seq for seq, name in names.items() if name == "member.removed")
    assert index[removal] == [a.pk, b.pk]


def test_the_migration_indexes_an_existing_log_the_same_way(history):
    board, _ = history
    before = indexed(board)
    EventTask.objects.all().delete()
    backfill(django_apps, None)
    assert indexed(board) == before
    backfill(django_apps, None)  # run again (a retried migration): nothing doubles
    assert indexed(board) == before
