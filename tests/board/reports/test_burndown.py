"""Burndown from the log: the board's days, scope changes, the trash, bad input."""

import datetime as dt
from decimal import Decimal

import pytest

from board import services
from board.history.reports import burndown
from board.models import Board, Role, Sprint, Status
from board.services import Actor
from tests.conftest import client_for
from tests.factories import UserFactory

from .support import UTC, brute_burndown, by_seq_task, frozen, restore

pytestmark = pytest.mark.django_db


def _setup(zone, at, start, end, **kw):
    owner = UserFactory()
    actor = Actor(owner)
    with frozen(at) as clock:
        board = services.board_create(actor=actor, name="Reports", timezone=zone)
        sprint = services.sprint_create(actor=actor, board_id=board.pk, start=start, end=end, **kw)
    return owner, actor, board, sprint, clock


def _report(board, sprint, now):
    with frozen(now):
        board = Board.objects.get(pk=board.pk)
        return burndown(board=board, sprint=Sprint.objects.get(pk=sprint.pk))


def test_an_event_at_2330_utc_counts_on_the_next_day_in_tokyo():
    start, end = dt.date(2026, 3, 3), dt.date(2026, 3, 6)
    days_by_zone = {}
    for zone in ("Asia/Tokyo", "UTC"):
        owner, actor, board, sprint, _ = _setup(
            zone, dt.datetime(2026, 3, 1, 12, 0, tzinfo=UTC), start, end
        )
        # 23:30 UTC on Mar 3 is 08:30 on Mar 4 in Tokyo.
        with frozen(dt.datetime(2026, 3, 3, 23, 30, tzinfo=UTC)):
            services.task_create(
                actor=actor, board_id=board.pk, name="late", sprint=sprint, points=Decimal(3)
            )
        report = _report(board, sprint, dt.datetime(2026, 3, 4, 20, 0, tzinfo=UTC))
        days_by_zone[zone] = {row["date"]: row["scope_tasks"] for row in report["unit_days"]}
    # At 20:00 UTC on Mar 4 it is already Mar 5 in Tokyo: that day is charted (today).
    assert days_by_zone["Asia/Tokyo"] == {"2026-03-03": 0, "2026-03-04": 1, "2026-03-05": 1}
    assert days_by_zone["UTC"] == {"2026-03-03": 1, "2026-03-04": 1}


def test_rows_stop_at_today_and_remaining_falls_as_tasks_get_done():
    at = dt.datetime(2026, 3, 2, 9, 0, tzinfo=UTC)
    owner, actor, board, sprint, _ = _setup("UTC", at, dt.date(2026, 3, 2), dt.date(2026, 3, 13))
    with frozen(at + dt.timedelta(hours=1)) as clock:
        a = services.task_create(
            actor=actor, board_id=board.pk, name="a", sprint=sprint, points=Decimal(5)
        )
        services.task_create(actor=actor, board_id=board.pk, name="b", sprint=sprint)
        clock.advance(days=1)
        services.task_move(actor=actor, task_id=a.pk, sprint=sprint, status=Status.DONE)
    report = _report(board, sprint, at + dt.timedelta(days=2))
    assert report["unit_days"] == [
        {
            "date": "2026-03-02",
            "scope_points": 5,
            "remaining_points": 5,
            "scope_tasks": 2,
            "remaining_tasks": 2,
        },
        {
            "date": "2026-03-03",
            "scope_points": 5,
            "remaining_points": 0,
            "scope_tasks": 2,
            "remaining_tasks": 1,
        },
        {
            "date": "2026-03-04",
            "scope_points": 5,
            "remaining_points": 0,
            "scope_tasks": 2,
            "remaining_tasks": 1,
        },
    ]
    # Not started: the ideal line runs from the first day's scope (5) to 0 on the end day.
    ideal = report["ideal"]
    assert (ideal[0], ideal[-1], len(ideal)) == (
        {"date": "2026-03-02", "remaining_points": 5},
        {"date": "2026-03-13", "remaining_points": 0},
        12,
    )


def test_scope_changes_and_a_deleted_then_restored_task():
    at = dt.datetime(2026, 3, 2, 9, 0, tzinfo=UTC)
    owner, actor, board, sprint, _ = _setup(
        "Europe/Berlin", at, dt.date(2026, 3, 3), dt.date(2026, 3, 9)
    )
    with frozen(at) as clock:
        a = services.task_create(
            actor=actor, board_id=board.pk, name="a", sprint=sprint, points=Decimal(3)
        )
        clock.advance(days=1)  # Mar 3: the sprint's first day
        b = services.task_create(actor=actor, board_id=board.pk, name="b", points=Decimal(2))
        services.task_move(actor=actor, task_id=b.pk, sprint=sprint, status=Status.NOT_STARTED)
        services.task_update(actor=actor, task_id=a.pk, points=Decimal("4.5"))
        services.task_update(actor=actor, task_id=a.pk, name="renamed")  # not a scope change
        clock.advance(days=1)
        services.task_delete(actor=actor, task_id=a.pk)
        clock.advance(days=1)
        restore(actor, a.pk)
        last = Board.objects.get(pk=board.pk).last_seq
    report = _report(board, sprint, at + dt.timedelta(days=4))
    deltas = [(c["task"], c["points_delta"]) for c in report["scope_changes"]]
    assert deltas == [(b.pk, 2), (a.pk, 1.5), (a.pk, -4.5), (a.pk, 4.5)]
    assert report["scope_changes"][-1]["seq"] == last
    assert [row["scope_points"] for row in report["unit_days"]] == [6.5, 2, 6.5, 6.5]
    expected = brute_burndown(Board.objects.get(pk=board.pk), sprint, dt.date(2026, 3, 6))
    assert report["unit_days"] == expected["unit_days"]
    assert by_seq_task(report["scope_changes"]) == by_seq_task(expected["scope_changes"])


def test_the_api_answers_members_and_viewers_refuses_others_and_unstarted_sprints(outsider):
    owner, viewer = UserFactory(), UserFactory()
    actor = Actor(owner)
    board = services.board_create(actor=actor, name="Charted")
    services.member_add(actor=actor, board_id=board.pk, user=viewer, role=Role.VIEWER)
    dated = services.sprint_create(
        actor=actor, board_id=board.pk, start=dt.date.today(), end=dt.date.today() + dt.timedelta(7)
    )
    undated = services.sprint_create(
        actor=actor, board_id=board.pk, end=dt.date.today() + dt.timedelta(8)
    )
    url = "/api/sprints/{}/burndown/"
    response = client_for(viewer).get(url.format(dated.pk))
    assert response.status_code == 200
    assert response.json()["sprint"]["id"] == dated.pk
    assert set(response.json()) == {"sprint", "unit_days", "ideal", "scope_changes"}
    response = client_for(owner).get(url.format(undated.pk))
    assert response.status_code == 400
    assert "start" in response.json()["detail"]
    assert client_for(outsider).get(url.format(dated.pk)).status_code == 404
    assert client_for(owner).get(url.format(10**30)).status_code == 404


def test_an_event_at_local_midnight_counts_on_the_day_it_ends():
    at = dt.datetime(2026, 3, 1, 9, 0, tzinfo=UTC)
    owner, actor, board, sprint, _ = _setup(
        "Asia/Tokyo", at, dt.date(2026, 3, 2), dt.date(2026, 3, 5)
    )
    with frozen(dt.datetime(2026, 3, 2, 15, 0, tzinfo=UTC)):  # Mar 3 00:00:00 in Tokyo
        services.task_create(actor=actor, board_id=board.pk, name="m", sprint=sprint)
    report = _report(board, sprint, dt.datetime(2026, 3, 3, 1, 0, tzinfo=UTC))
    assert [row["scope_tasks"] for row in report["unit_days"]] == [1, 1]


def test_pruned_history_leaves_burndown_and_velocity_unchanged():
    """compaction_reports at two points, events at and before each deleted (support.prune)."""
    from board.history.reports import velocity

    from .support import lifecycle, prune

    if lifecycle() is None:
        pytest.skip("sprint lifecycle not built")
    at = dt.datetime(2026, 3, 2, 9, 0, tzinfo=UTC)
    owner, actor, board, first, _ = _setup(
        "America/New_York", at, dt.date(2026, 3, 2), dt.date(2026, 3, 6), name="one"
    )
    with frozen(at) as clock:
        second = services.sprint_create(
            actor=actor,
            board_id=board.pk,
            name="two",
            start=dt.date(2026, 3, 9),
            end=dt.date(2026, 3, 13),
        )
        tasks = [
            services.task_create(
                actor=actor, board_id=board.pk, name=f"t{i}", sprint=first, points=Decimal(i)
            )
            for i in range(1, 5)
        ]
        lifecycle().sprint_start(actor=actor, sprint_id=first.pk)
        for task in tasks[:2]:
            clock.advance(days=1)
            services.task_move(actor=actor, task_id=task.pk, sprint=first, status=Status.DONE)
        services.task_update(actor=actor, task_id=tasks[3].pk, points=Decimal(8))
        services.task_delete(actor=actor, task_id=tasks[2].pk)
        clock.advance(days=3)
        lifecycle().sprint_close(actor=actor, sprint_id=first.pk, carry_to=second.pk)
        lifecycle().sprint_start(actor=actor, sprint_id=second.pk)
        clock.advance(days=1)
        services.task_move(actor=actor, task_id=tasks[3].pk, sprint=second, status=Status.DONE)
        restore(actor, tasks[2].pk)
        clock.advance(days=1)

        def reports():
            fresh = Board.objects.get(pk=board.pk)
            return [velocity(board=fresh)] + [
                burndown(board=fresh, sprint=Sprint.objects.get(pk=s.pk)) for s in (first, second)
            ]

        before = reports()
        assert before[0][0]["completed_points"] == 3
        last = Board.objects.get(pk=board.pk).last_seq
        for cut in (last // 2, last - 1):
            prune(Board.objects.get(pk=board.pk), cut)
            assert reports() == before, cut


def test_the_worked_example_of_docs_planning():
    from board.history.reports import velocity

    from .support import lifecycle

    if lifecycle() is None:
        pytest.skip("sprint lifecycle not built")

    def at(day, hour, minute=0):
        return dt.datetime(2026, 3, day, hour, minute, tzinfo=UTC)

    actor = Actor(UserFactory(username="ann"))
    with frozen(at(2, 0)) as clock:
        board = services.board_create(actor=actor, name="Example", timezone="Asia/Tokyo")
        sprint = services.sprint_create(
            actor=actor, board_id=board.pk, name="Sprint 1",
            start=dt.date(2026, 3, 3), end=dt.date(2026, 3, 6),
        )  # fmt: skip
        clock.at = at(2, 1)
        a, b = (
            services.task_create(actor=actor, board_id=board.pk, name=name, sprint=sprint,
                                 points=Decimal(value))
            for name, value in (("A", 3), ("B", 5))
        )  # fmt: skip
        clock.at = at(2, 23, 30)
        lifecycle().sprint_start(actor=actor, sprint_id=sprint.pk)
        clock.at = at(3, 5)
        services.task_move(actor=actor, task_id=a.pk, sprint=sprint, status=Status.DONE)
        clock.at = at(4, 2)
        c = services.task_create(
            actor=actor, board_id=board.pk, name="C", sprint=sprint, points=Decimal(2)
        )
        clock.at = at(4, 16)
        services.task_update(actor=actor, task_id=b.pk, points=Decimal(3))
        clock.at = at(5, 3)
        services.task_move(actor=actor, task_id=b.pk, sprint=sprint, status=Status.DONE)
        clock.at = at(6, 9)
        lifecycle().sprint_close(actor=actor, sprint_id=sprint.pk)
    report = _report(board, sprint, at(7, 3))
    rows = [
        (r["date"][5:], r["scope_points"], r["remaining_points"], r["scope_tasks"],
         r["remaining_tasks"])
        for r in report["unit_days"]
    ]  # fmt: skip
    assert rows == [("03-03", 8, 5, 2, 1), ("03-04", 10, 7, 3, 2), ("03-05", 8, 2, 3, 1),
                    ("03-06", 6, 0, 2, 0)]  # fmt: skip
    assert [r["remaining_points"] for r in report["ideal"]] == [8, 5.33, 2.67, 0]
    assert [(x["seq"], x["task"], x["points_delta"]) for x in report["scope_changes"]] == [
        (7, c.pk, 2), (8, b.pk, -2), (10, c.pk, -2),
    ]  # fmt: skip
    (row,) = velocity(board=Board.objects.get(pk=board.pk))
    assert (row["committed_points"], row["completed_points"]) == (8, 6)
    assert (row["committed_tasks"], row["completed_tasks"]) == (2, 2)
