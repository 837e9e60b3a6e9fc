"""Concurrent writers on MariaDB (services tier): the board row lock serializes them."""

import threading

import pytest
from django.db import connection, connections, transaction

from board import services
from board.models import BoardEvent, Status, Task
from board.services import Actor
from board.services._events import board_lock_of
from tests.factories import SprintFactory, TaskFactory
from tests.support.mariadb import MARIADB

pytestmark = [pytest.mark.mysql, pytest.mark.django_db(transaction=True)]


def _run_concurrently(*calls):
    barrier = threading.Barrier(len(calls))
    errors = []

    def run(call):
        try:
            barrier.wait()
            call()
        except Exception as exc:  # surfaced below
            errors.append(exc)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=run, args=(c,)) for c in calls]
    for t in threads:
        t.start()
    for t in threads:
        t.join(30)
    assert not errors, errors


def test_two_concurrent_moves_into_one_slot_both_land_with_distinct_orders(board):
    assert connection.vendor == "mysql", "run this tier with DATABASE_URL=mysql://..."
    sprint = SprintFactory(board=board)
    a = TaskFactory(board=board, sprint=sprint, name="a", order=1024)
    b = TaskFactory(board=board, sprint=sprint, name="b", order=1025)  # no gap after a
    movers = [TaskFactory(board=board, sprint=sprint, status=Status.TESTING, started=None,
                          name=n) for n in ("x", "y")]  # fmt: skip
    actor = Actor(user=board.owner)
    _run_concurrently(
        *[
            (lambda t=t: services.task_move(
                actor=actor, task_id=t.pk, sprint=sprint, status=Status.NOT_STARTED,
                after=a.pk))
            for t in movers
        ]
    )  # fmt: skip
    column = list(Task.objects.filter(sprint=sprint, status=1).order_by("order"))
    orders = [t.order for t in column]
    assert len(set(orders)) == 4, orders
    assert column[0].pk == a.pk and column[-1].pk == b.pk
    events = list(BoardEvent.objects.filter(board=board).order_by("seq"))
    assert [e.name for e in events] == ["task.moved", "task.moved"]
    assert [e.seq for e in events] == [1, 2]
    board.refresh_from_db()
    assert board.last_seq == 2


def test_concurrent_creates_get_consecutive_seqs(board):
    actor = Actor(user=board.owner)
    _run_concurrently(
        *[
            (lambda n=n: services.task_create(actor=actor, board_id=board.pk, name=f"t{n}"))
            for n in range(6)
        ]
    )
    seqs = list(BoardEvent.objects.filter(board=board).values_list("seq", flat=True))
    assert sorted(seqs) == [1, 2, 3, 4, 5, 6]
    assert len(set(Task.objects.values_list("order", flat=True))) == 6


def test_board_lock_of_a_task_locks_the_board_but_not_the_task(board):
    """One statement finds and locks a task's board; the task row stays free until the writer
    locks it after the board, so the lock order is board then row in every service."""
    import MySQLdb  # mysqlclient is installed for the services tier only

    task = TaskFactory(board=board)
    other = MySQLdb.connect(**MARIADB, db=connection.settings_dict["NAME"])
    try:
        with transaction.atomic():
            assert board_lock_of(Task, task.pk).pk == board.pk
            cur = other.cursor()
            cur.execute("BEGIN")
            cur.execute("SELECT id FROM board_task WHERE id = %s FOR UPDATE NOWAIT", [task.pk])
            assert cur.fetchall() == ((task.pk,),)
            other.rollback()
            cur.execute("BEGIN")
            with pytest.raises(MySQLdb.OperationalError):
                cur.execute(
                    "SELECT id FROM board_board WHERE id = %s FOR UPDATE NOWAIT", [board.pk]
                )
            other.rollback()
    finally:
        other.close()
