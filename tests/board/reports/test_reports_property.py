"""Burndown and velocity equal a brute-force replay of the log (every day refolded from seq 0)
over generated histories: tasks created, re-estimated, moved, deleted and restored, sprints
planned, started and closed with carry-over, the events spread over days in three zones."""

import contextlib
import datetime as dt
from decimal import Decimal

import pytest
from django.core.exceptions import ObjectDoesNotExist, ValidationError
from hypothesis import HealthCheck, event, given, settings
from hypothesis import strategies as st

from board import services
from board.history.reports import burndown, velocity
from board.models import Board, Sprint, SprintState, Status, Task
from board.services import Actor
from tests.factories import UserFactory

from .support import (
    UTC,
    brute_burndown,
    brute_velocity,
    by_seq_task,
    frozen,
    lifecycle,
    prune,
    restore,
)

ZONES = ("UTC", "Asia/Tokyo", "America/New_York")
POINTS = (None, Decimal(0), Decimal(1), Decimal("2.5"), Decimal(8))
STATUSES = tuple(Status)
lifecycle_services = lifecycle()
# 0 create, 1 re-estimate, 2 move, 3 delete, 4 restore; 5 start, 6 close, 7 plan.
OPS = [0, 0, 1, 2, 2, 2, 3, 4] + ([5, 5, 6, 6, 7] if lifecycle_services else [])

step = st.tuples(
    st.sampled_from(OPS),  # what
    st.integers(0, 30),  # which task
    st.integers(0, 3),  # which sprint (3: the backlog)
    st.integers(0, 4),  # points or status
    st.integers(0, 16 * 60),  # minutes until the next step
)


class History:
    def __init__(self, zone: str, clock):
        self.clock = clock
        owner = UserFactory()
        self.actor = Actor(owner)
        self.board = services.board_create(actor=self.actor, name="Prop", timezone=zone)
        today = services.rules.board_today(self.board)
        self.sprints = [
            services.sprint_create(
                actor=self.actor,
                board_id=self.board.pk,
                start=today + dt.timedelta(first),
                end=today + dt.timedelta(first + length),
                name=f"S{i}",
            )
            for i, (first, length) in enumerate(((0, 4), (2, 5), (5, 6)))
        ]
        self.tasks: list[int] = []

    def sprint(self, index: int):
        return None if index == 3 else Sprint.objects.get(pk=self.sprints[index].pk)

    def task(self, index: int) -> int | None:
        return self.tasks[index % len(self.tasks)] if self.tasks else None

    def run(self, what, which, sprint_index, value, _minutes):
        actor, task_id = self.actor, self.task(which)
        sprint = self.sprint(sprint_index)
        if what == 0 or task_id is None:
            status = STATUSES[value % 4] if sprint is not None else Status.NOT_STARTED
            task = services.task_create(
                actor=actor,
                board_id=self.board.pk,
                name="t",
                sprint=sprint,
                status=status,
                points=POINTS[value],
            )
            self.tasks.append(task.pk)
        elif what == 1:
            services.task_update(actor=actor, task_id=task_id, points=POINTS[value])
        elif what == 2:
            status = STATUSES[value % 4] if sprint is not None else Status.NOT_STARTED
            services.task_move(actor=actor, task_id=task_id, sprint=sprint, status=status)
        elif what == 3:
            services.task_delete(actor=actor, task_id=task_id)
        elif what == 4:
            if Task.all_objects.filter(pk=task_id, deleted_at__isnull=False).exists():
                restore(actor, task_id)
        elif what == 5 and sprint is not None:
            lifecycle_services.sprint_start(actor=actor, sprint_id=sprint.pk)
        elif what == 6:
            active = Sprint.objects.filter(board=self.board, state=SprintState.ACTIVE).first()
            carry = self.sprint(value % 4)
            if active is not None:
                lifecycle_services.sprint_close(
                    actor=actor, sprint_id=active.pk, carry_to=carry.pk if carry else None
                )
        elif what == 7 and sprint is not None:
            backlog = Task.objects.filter(board=self.board, sprint=None).values_list(
                "pk", flat=True
            )
            ids = list(backlog)[: value + 1]
            if ids:
                lifecycle_services.sprint_plan(actor=actor, sprint_id=sprint.pk, tasks=ids)


@pytest.mark.django_db
@settings(
    max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(
    zone=st.sampled_from(ZONES),
    hour=st.integers(0, 23),
    steps=st.lists(step, min_size=12, max_size=40),
    read_after=st.integers(0, 20 * 24),
    prune_at=st.tuples(st.integers(1, 100), st.integers(1, 100)),
)
def test_burndown_and_velocity_equal_a_brute_force_replay(zone, hour, steps, read_after, prune_at):
    with frozen(dt.datetime(2026, 3, 2, hour, 17, tzinfo=UTC)) as clock:
        history = History(zone, clock)
        for what, *args in steps:
            with contextlib.suppress(ValidationError, ObjectDoesNotExist):
                history.run(what, *args)  # a refused step writes nothing
            clock.advance(minutes=args[-1])
        clock.advance(hours=read_after)
        board = Board.objects.get(pk=history.board.pk)
        today = services.rules.board_today(board)
        for sprint in Sprint.objects.filter(board=board):
            report = burndown(board=board, sprint=sprint)
            expected = brute_burndown(board, sprint, today)
            assert report["unit_days"] == expected["unit_days"]
            assert by_seq_task(report["scope_changes"]) == by_seq_task(expected["scope_changes"])
            ideal = report["ideal"]
            assert (ideal[0]["date"], ideal[-1]["date"]) == (str(sprint.start), str(sprint.end))
            assert ideal[-1]["remaining_points"] == 0
        closed = velocity(board=board, last=50)
        assert closed == brute_velocity(board)
        event(f"closed sprints: {min(len(closed), 2)}")
        event(f"events: {board.last_seq // 10 * 10}+")
        # Pruned twice, at two points of the history: every report stays as it was.
        before = _reports(board)
        for cut in sorted({max(1, board.last_seq * p // 100) for p in prune_at}):
            prune(board, cut)
            assert _reports(Board.objects.get(pk=board.pk)) == before, cut


def _reports(board):
    return {
        "velocity": velocity(board=board, last=50),
        **{sprint.pk: burndown(board=board, sprint=sprint) for sprint in board.sprints.all()},
    }
