"""The job's SQL cost does not grow with users or tasks (B7 runs the 10k-user version)."""

import datetime as dt
import math

from django.contrib.auth import get_user_model
from django.core import mail
from django.db import connection
from django.test.utils import CaptureQueriesContext

from board.models import Membership, Status, Task
from notifications.models import Notification
from tests.factories import BoardFactory, SprintFactory

from .conftest import LONDON, utc

DAY = dt.date(2025, 6, 10)
ZONES = [LONDON, "Europe/Paris", "Africa/Lagos"]  # all between 07:00 and 12:00 at 06:00 UTC


def populate(n_users: int, day: dt.date, prefix: str) -> None:
    boards = [BoardFactory(name=f"{prefix} board {i}") for i in range(3)]
    sprints = [SprintFactory(board=b, end=dt.date(2030, 1, 1)) for b in boards]
    User = get_user_model()
    users = User.objects.bulk_create(
        User(username=f"{prefix}{i}", email=f"{prefix}{i}@example.com", timezone=ZONES[i % 3])
        for i in range(n_users)
    )
    Membership.objects.bulk_create(Membership(board=b, user=u) for u in users for b in boards)
    tasks = []
    for user in users:
        for i, (board, sprint) in enumerate(zip(boards, sprints, strict=True)):
            tasks.append(Task(board=board, sprint=sprint, assigned=user, due=day, name=f"t{i}"))
        # Noise the query must skip at no extra cost.
        tasks.append(Task(board=boards[0], assigned=user, due=day, status=Status.DONE, name="d"))
        tasks.append(Task(board=boards[0], assigned=user, due=day + dt.timedelta(7), name="n"))
    Task.objects.bulk_create(tasks)


def job_queries(run_job, when: dt.datetime) -> tuple[int, int]:
    """(statements other than INSERT, INSERT statements) of one run of the job."""
    with CaptureQueriesContext(connection) as queries:
        run_job(when)
    inserts = sum(1 for q in queries.captured_queries if q["sql"].startswith("INSERT"))
    return len(queries) - inserts, inserts


def test_query_count_is_the_same_for_10_and_200_users(run_job, db):
    populate(10, DAY, "small")
    small = job_queries(run_job, utc(2025, 6, 10, 6, 0))
    assert len(mail.outbox) == 10

    populate(200, DAY + dt.timedelta(days=1), "large")
    large = job_queries(run_job, utc(2025, 6, 11, 6, 0))
    assert len(mail.outbox) == 10 + 200

    assert Notification.objects.count() == 210
    assert {len(n.data["tasks"]) for n in Notification.objects.all()} == {3}
    # Zones, due tasks, ledger read-back, savepoints, mail bookkeeping, retry lease: the same
    # handful for 10 users or 200, whatever their tasks ...
    assert small[0] == large[0] <= 9, (small, large)
    # ... and two batched INSERTs (ledger, notifications) per batch of digests; SQLite caps
    # a batch at 999 parameters, i.e. ~120 rows.
    assert small[1] == 2
    assert large[1] <= 2 * math.ceil(200 / 100), large


def test_an_idle_run_costs_a_constant_handful(run_job, db):
    populate(50, DAY, "idle")
    run_job(utc(2025, 6, 10, 6, 0))

    # Zones, due tasks (none left), retry lease (+ its pk pre-read on MySQL).
    assert sum(job_queries(run_job, utc(2025, 6, 10, 6, 15))) <= 4
