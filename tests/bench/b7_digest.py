"""B7: the daily digest for 10k users and 100k tasks, against a raw-SQL + template floor.

Runs in the generator process (Django is set up there on the bench's own database), through
the explicit-date entry point `send_due_today --date` uses, with the locmem mail backend
(messages counted) and the bench's private Redis as channel layer (pushes are real).
The floor fetches the same rows with one raw SQL query and renders and "sends" the same mails
with the same templates and backend: no ORM, no ledger, no notification rows, no pushes."""

from __future__ import annotations

import datetime as dt
import math
import time
from collections import defaultdict

from . import seed

ZONES = ["UTC", "Europe/Berlin", "America/New_York", "Asia/Tokyo"]
DATE = dt.date(2026, 3, 2)  # the --date; any date works, zones only pick whose date it is
DUE_SHARE = 10  # tasks with i % DUE_SHARE < 3 are due on DATE (30%); every 5th of them Done


def _seed(users: int, tasks: int) -> int:
    """Users over ZONES, boards of 10 members each, `tasks` tasks assigned round-robin.
    Returns how many users have at least one task due on DATE and not Done."""
    from board.models import Board, Membership, Role, Sprint, Status, Task

    people = seed.users(users, "dg")
    type(people[0]).objects.filter(pk__in=[u.pk for u in people]).update(timezone="UTC")
    for i, zone in enumerate(ZONES[1:], start=1):
        ids = [u.pk for u in people[i :: len(ZONES)]]
        type(people[0]).objects.filter(pk__in=ids).update(timezone=zone)
    owners = people[::10]
    Board.objects.bulk_create([Board(name=f"digest {i}", owner=o) for i, o in enumerate(owners)])
    boards = list(Board.objects.filter(name__startswith="digest ").order_by("pk"))
    Membership.objects.bulk_create(
        [
            Membership(board=boards[i // 10], user=u, role=Role.MEMBER if i % 10 else Role.OWNER)
            for i, u in enumerate(people)
        ],
        batch_size=5000,
    )
    Sprint.objects.bulk_create([Sprint(board=b, name="", end=DATE) for b in boards])
    sprints = {s.board_id: s.pk for s in Sprint.objects.filter(board__in=boards)}
    rows, due_users = [], set()
    for i in range(tasks):
        user_index = i % users
        board = boards[user_index // 10]
        due = DATE if i % DUE_SHARE < 3 else DATE + dt.timedelta(days=1 + i % 7)
        status = Status.DONE if due == DATE and i % 5 == 0 else Status.IN_PROGRESS
        if due == DATE and status != Status.DONE:
            due_users.add(user_index)
        rows.append(
            Task(
                board=board, name=f"task {i}", order=i, assigned=people[user_index], due=due,
                status=status, sprint_id=sprints[board.pk] if i % 2 else None,
            )
        )  # fmt: skip
    Task.objects.bulk_create(rows, batch_size=5000)
    return len(due_users)


_FLOOR_SQL = """
SELECT u.id, u.username, u.full_name, u.email, t.id, t.name, t.status, b.id, b.name,
       s.id, s.name, s.end
FROM board_task t
JOIN accounts_user u ON u.id = t.assigned_id
JOIN board_board b ON b.id = t.board_id
LEFT JOIN board_sprint s ON s.id = t.sprint_id
WHERE t.due = %s AND t.status <> %s AND u.digest_enabled AND u.is_active
ORDER BY u.id, b.name, b.id, t.`order`, t.id
"""


def _floor() -> tuple[float, int]:
    """One raw query + the same three templates and mail objects per user, same backend."""
    from django.conf import settings
    from django.core.mail import EmailMultiAlternatives, get_connection
    from django.db import connection
    from django.template.loader import render_to_string

    from board.models import Status

    labels = dict(Status.choices)
    start = time.perf_counter()
    with connection.cursor() as cursor:
        cursor.execute(_FLOOR_SQL, [DATE, Status.DONE])
        rows = cursor.fetchall()
    by_user: dict[int, list] = defaultdict(list)
    for row in rows:
        by_user[row[0]].append(row)
    messages = []
    for user_rows in by_user.values():
        first = user_rows[0]
        tasks = [
            {
                "name": r[5], "status_display": labels[r[6]],
                "board": {"id": r[7], "name": r[8]},
                "sprint": {"name": r[10] or f"Sprint ending {r[11]}"} if r[9] else None,
                "url": f"{settings.SITE_URL}/boards/{r[7]}/?task={r[4]}",
            }
            for r in user_rows
        ]  # fmt: skip
        context = {"name": first[2] or first[1], "date": DATE, "tasks": tasks,
                   "site_url": settings.SITE_URL}  # fmt: skip
        message = EmailMultiAlternatives(
            subject=render_to_string("notifications/due_today_subject.txt", context).strip(),
            body=render_to_string("notifications/due_today.txt", context),
            to=[first[3]],
        )
        message.attach_alternative(
            render_to_string("notifications/due_today.html", context), "text/html"
        )
        messages.append(message)
    with get_connection() as mail:
        mail.send_messages(messages)
    return time.perf_counter() - start, len(messages)


def run(users: int = 10_000, tasks: int = 100_000, profile: bool = False) -> dict:
    from django.core import mail
    from django.db import connection
    from django.test.utils import CaptureQueriesContext, override_settings

    from notifications.services import digest_send_for_date
    from notifications.services.digest import BATCH_SIZE

    started = time.perf_counter()
    expected = _seed(users, tasks)
    seed_s = time.perf_counter() - started
    with override_settings(EMAIL_BACKEND="django.core.mail.backends.locmem.EmailBackend"):
        mail.outbox = []
        floor_s, floor_mails = _floor()
        mail.outbox = []
        profiler = None
        if profile:
            import cProfile

            profiler = cProfile.Profile()
            profiler.enable()
        with CaptureQueriesContext(connection) as queries:
            start = time.perf_counter()
            report = digest_send_for_date(local_date=DATE)
            digest_s = time.perf_counter() - start
        if profiler is not None:
            profiler.disable()
            _profile_write(profiler)
        sent = len(mail.outbox)
        mail.outbox = []
    # "Bounded": a fixed set plus a few per batch of BATCH_SIZE digests (docs/digest.md).
    query_bound = 20 + 4 * math.ceil(max(1, expected) / BATCH_SIZE)
    result = {
        "users": users, "tasks": tasks, "seed_s": seed_s, "digests_expected": expected,
        "digests": report.digests, "mails": sent, "floor_mails": floor_mails,
        "digest_s": digest_s, "floor_s": floor_s, "ratio": digest_s / floor_s,
        "queries": len(queries), "query_bound": query_bound,
    }  # fmt: skip
    assert report.digests == expected == sent == floor_mails, result
    assert len(queries) <= query_bound, result
    return result


def _profile_write(profiler) -> None:
    import io
    import pstats

    from .run import RESULTS

    out = io.StringIO()
    pstats.Stats(profiler, stream=out).sort_stats("cumulative").print_stats(40)
    (RESULTS / "profile-b7.txt").write_text(out.getvalue())
