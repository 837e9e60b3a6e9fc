"""`python -m tests.bench.levers`: each board/ lever against the stock code it replaces, in
one process, CPU time per call (docs/benchmarks.md, "Levers").

Runs on DATABASE_URL (default: a fresh SQLite file); a throwaway test database is created
and dropped. Figures are medians of a few rounds of many calls, process CPU time: what the
lever saves per request, not a throughput claim (B6 measures that).
"""

from __future__ import annotations

import os
import statistics
import sys
import tempfile
import time
from collections.abc import Callable

ROUNDS, CALLS = 5, 300


def _setup() -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "tests.settings")
    if "DATABASE_URL" not in os.environ:
        os.environ["DATABASE_URL"] = f"sqlite:///{tempfile.mkdtemp()}/levers.sqlite3"
    import django

    django.setup()


def per_call_us(fn: Callable[[], object]) -> float:
    rounds = []
    for _ in range(ROUNDS):
        start = time.process_time()
        for _ in range(CALLS):
            fn()
        rounds.append((time.process_time() - start) / CALLS * 1e6)
    return statistics.median(rounds)


def _world():
    from board.models import Membership, Role, Sprint, Task
    from tests.factories import BoardFactory, SprintFactory, TaskFactory, UserFactory

    user = UserFactory(username="lever")
    board = BoardFactory(owner=user)
    if not Membership.objects.filter(board=board, user=user).exists():
        Membership.objects.create(board=board, user=user, role=Role.OWNER)
    sprint: Sprint = SprintFactory(board=board)
    tasks: list[Task] = [TaskFactory(board=board, sprint=sprint, assigned=user) for _ in range(50)]
    return user, board, tasks


def measure() -> list[tuple[str, float, float]]:
    from django.db import transaction
    from django.db.models import F, Subquery

    from board import access, sql
    from board.models import Board, Task
    from board.services._events import board_lock_of

    user, board, tasks = _world()
    task = tasks[0]
    rows = []

    def lock_orm():
        with transaction.atomic():
            owner = Task.objects.filter(pk=task.pk).values("board_id")
            Board.objects.select_for_update().get(pk=Subquery(owner))

    def lock_sql():
        with transaction.atomic():
            board_lock_of(Task, task.pk)

    rows.append(("board/sql.py board_lock (find + lock a task's board)", lock_orm, lock_sql))

    def seq_orm():
        Board.objects.filter(pk=board.pk).update(last_seq=F("last_seq"))

    def seq_sql():
        from django.db import connection

        with connection.cursor() as cursor:
            cursor.execute(sql.last_seq_update(), [board.last_seq, board.pk])

    rows.append(("board/sql.py last_seq_update", seq_orm, seq_sql))

    def access_orm():
        visible = Task.objects.filter(pk=task.pk, board_id__in=access.visible_board_ids(user))
        return visible.values_list("board_id", "board__memberships__role").first()

    def access_sql():
        return access.row_access(user=user, model=Task, pk=task.pk)

    rows.append(("board/sql.py row_access", access_orm, access_sql))

    return [(name, per_call_us(stock), per_call_us(lever)) for name, stock, lever in rows]


def main() -> None:
    _setup()
    from django.db import connection

    name = connection.creation.create_test_db(verbosity=0, autoclobber=True)
    try:
        print(f"database: {connection.vendor} ({name}); {ROUNDS} rounds x {CALLS} calls")
        print(f"{'lever':62} {'stock µs':>9} {'lever µs':>9} {'saved':>6}")
        for label, stock, lever in measure():
            saved = (1 - lever / stock) * 100 if stock else 0.0
            print(f"{label:62} {stock:9.1f} {lever:9.1f} {saved:5.0f}%")
    finally:
        connection.creation.destroy_test_db(name, verbosity=0)
    sys.stdout.flush()


if __name__ == "__main__":
    main()
