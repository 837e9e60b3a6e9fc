"""The time-travel property: along a generated history (every kind of change the services
make), each live snapshot comes back equal from `?seq=` and from `?at=` once history has
moved on — through the real services and the real endpoint."""

import datetime as dt
import importlib
from decimal import Decimal

import pytest
from django.core.exceptions import ObjectDoesNotExist, ValidationError
from hypothesis import HealthCheck, event, given, settings
from hypothesis import strategies as st

from board import services
from board.models import BoardEvent, Role, Sprint, Status, Task
from board.services import Actor
from tests.conftest import client_for
from tests.factories import UserFactory

from .support import clock_at, days_ago, past_body, snapshot

pytestmark = pytest.mark.django_db

POINTS = (None, Decimal(0), Decimal("0.5"), Decimal(3), Decimal(13))
ROLES = (Role.MEMBER, Role.VIEWER, Role.OWNER)


def _optional(module: str, name: str):
    try:
        return getattr(importlib.import_module(module), name, None)
    except ImportError:
        return None


# Helper D's services, once they land: restore from the trash and undo of one event.
task_restore = _optional("board.services.trash", "task_restore")
event_revert = _optional("board.services.undo", "event_revert")

# A refused change writes nothing: the history goes on without it.
REFUSED = tuple(
    refusal
    for refusal in (
        ValidationError,
        ObjectDoesNotExist,
        _optional("board.services.undo", "UndoRefused"),
        _optional("board.services.trash", "NotInTrash"),
    )
    if refusal is not None
)

OPS = [
    "task_create", "task_create", "task_update", "task_move", "task_move", "task_delete",
    "sprint_create", "sprint_update", "sprint_delete", "sprint_start", "sprint_close",
    "sprint_plan", "member_add", "member_update", "member_remove", "board_update",
] + (["task_restore"] if task_restore else []) + (["undo"] if event_revert else [])  # fmt: skip

step = st.tuples(
    st.sampled_from(OPS),
    st.integers(0, 20),  # which row
    st.integers(0, 4),  # which value (points, status, role, sprint)
    st.integers(1, 4 * 3600),  # seconds until the next step
)


class History:
    def __init__(self, clock):
        self.clock = clock
        self.owner = UserFactory()
        self.actor = Actor(self.owner)
        self.board = services.board_create(actor=self.actor, name="Travel", timezone="Asia/Tokyo")
        self.people = [UserFactory() for _ in range(3)]

    def pick(self, rows, index):
        rows = list(rows)
        return rows[index % len(rows)] if rows else None

    def sprint(self, index):
        return self.pick(Sprint.objects.filter(board=self.board).order_by("pk"), index)

    def task(self, index, manager=Task.objects):
        return self.pick(manager.filter(board=self.board).order_by("pk"), index)

    def member(self, index):
        return self.pick([u for u in self.people if self.board.memberships.filter(user=u)], index)

    def run(self, op, row, value):
        a, board_id = self.actor, self.board.pk
        today = services.rules.board_today(self.board)
        sprint, task = self.sprint(value), self.task(row)
        if op == "task_create":
            services.task_create(actor=a, board_id=board_id, name=f"T{row}",
                                 points=POINTS[value], assigned=self.member(row))  # fmt: skip
        elif op == "task_update" and task:
            services.task_update(actor=a, task_id=task.pk, name=f"U{row}",
                                 points=POINTS[value], assigned=self.member(value))  # fmt: skip
        elif op == "task_move" and task:
            target = None if value == 4 else sprint
            status = Status.NOT_STARTED if target is None else list(Status)[row % 4]
            before = self.task(row + 1)
            services.task_move(actor=a, task_id=task.pk, sprint=target, status=status,
                               before=before.pk if before and before != task else None)  # fmt: skip
        elif op == "task_delete" and task:
            services.task_delete(actor=a, task_id=task.pk)
        elif op == "task_restore":
            trashed = self.task(row, Task.all_objects.filter(deleted_at__isnull=False))
            if trashed:
                task_restore(actor=a, task_id=trashed.pk)
        elif op == "undo":
            undoable = BoardEvent.objects.filter(
                board_id=board_id, name__in=("task.updated", "task.moved", "task.deleted")
            ).order_by("-seq")[row % 2 : row % 2 + 1]
            if undoable:
                event_revert(actor=a, board_id=board_id, seq=undoable[0].seq)
                event("undone")
        elif op == "sprint_create":
            services.sprint_create(actor=a, board_id=board_id, name=f"S{row}",
                                   start=today, end=today + dt.timedelta(days=5 + row))  # fmt: skip
        elif op == "sprint_update" and sprint:
            services.sprint_update(actor=a, sprint_id=sprint.pk, name=f"R{row}", goal=f"G{value}")
        elif op == "sprint_delete" and sprint:
            services.sprint_delete(actor=a, sprint_id=sprint.pk)
        elif op == "sprint_start" and sprint:
            services.sprint_start(actor=a, sprint_id=sprint.pk)
        elif op == "sprint_close" and sprint:
            carry = self.sprint(row)
            carry_to = carry.pk if carry and carry != sprint else None
            services.sprint_close(actor=a, sprint_id=sprint.pk, carry_to=carry_to)
        elif op == "sprint_plan" and sprint:
            backlog = Task.objects.filter(board=self.board, sprint=None).order_by("pk")[:3]
            services.sprint_plan(actor=a, sprint_id=sprint.pk, tasks=[t.pk for t in backlog])
        elif op == "member_add":
            outside = [u for u in self.people if not self.board.memberships.filter(user=u)]
            if outside:
                person = outside[row % len(outside)]
                services.member_add(actor=a, board_id=board_id, user=person, role=ROLES[value % 2])
        elif op == "member_update" and self.member(row):
            role = ROLES[value % 3]
            services.member_update(actor=a, board_id=board_id, user_id=self.member(row).pk,
                                   role=role)  # fmt: skip
        elif op == "member_remove" and self.member(row):
            services.member_remove(actor=a, board_id=board_id, user_id=self.member(row).pk)
        elif op == "board_update":
            services.board_update(actor=a, board_id=board_id, name=f"B{row}", description=op)

    def board_seq(self) -> int:
        self.board.refresh_from_db()
        return self.board.last_seq


@settings(
    max_examples=15,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(steps=st.lists(step, min_size=10, max_size=30))
def test_every_live_snapshot_comes_back_by_seq_and_by_instant(steps):
    start = days_ago(30)
    with clock_at(start) as clock:
        history = History(clock)
    client = client_for(history.owner)
    board_id = history.board.pk
    seen = {}  # seq -> live snapshot then
    seen[history.board_seq()] = snapshot(client, board_id).json()
    for op, row, value, gap in steps:
        with clock_at(clock.tick(seconds=gap)) as clock:
            try:
                history.run(op, row, value)
            except REFUSED:
                event(f"refused {op}")
        seq = history.board_seq()
        if seq not in seen:
            seen[seq] = snapshot(client, board_id).json()
    event(f"{len(seen) // 10 * 10}+ states")
    for name in BoardEvent.objects.filter(board_id=board_id).values_list("name", flat=True):
        event(name)
    times = dict(BoardEvent.objects.filter(board_id=board_id).values_list("seq", "created_at"))
    later = sorted(times)
    for seq, live in seen.items():
        assert past_body(client, board_id, seq=seq) == live, seq
        assert past_body(client, board_id, at=times[seq].isoformat()) == live, seq
        following = [times[s] for s in later if s > seq]
        if following:  # just before the next event: still this state
            instant = following[0] - dt.timedelta(microseconds=1)
            assert past_body(client, board_id, at=instant.isoformat()) == live, seq
