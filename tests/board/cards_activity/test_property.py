"""Property: along any sequence of edits, the activity's changes replayed from the card's
creation give the card as it is, and each change's old value is the value it had."""

import contextlib
import datetime as dt
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from board import representation, services
from board.history.activity import EDITABLE
from board.models import Label, Task
from board.services import checklist
from board.services.rules import board_today

from .conftest import activity

NOT_SET = {key: None for key in EDITABLE} | {"description": "", "labels": []}

fields = st.fixed_dictionaries(
    {},
    optional={
        "name": st.sampled_from(["Login", "Log in", "SSO"]),
        "description": st.sampled_from(["", "why", "how"]),
        "points": st.sampled_from([None, Decimal("1"), Decimal("2.5")]),
        "assigned": st.sampled_from([None, "mate", "olive"]),
        "due": st.sampled_from([None, 3, 10]),
        "labels": st.sampled_from([(), ("bug",), ("bug", "ux")]),
    },
)
steps = st.lists(
    st.one_of(
        st.tuples(st.just("update"), fields),
        st.tuples(st.just("move"), st.integers(1, 4)),
        st.tuples(st.just("plan"), st.booleans()),
        st.tuples(st.just("trash"), st.just(None)),
        st.tuples(st.just("tick"), st.booleans()),
    ),
    max_size=12,
)


def _apply(team, task, sprint, labels, step) -> None:
    kind, arg = step
    actor, today = team.actor, board_today(team.board)
    users = {"mate": team.mate, "olive": team.owner}
    if kind == "update":
        kw = dict(arg)
        if "assigned" in kw:
            kw["assigned"] = users.get(kw["assigned"])
        if "due" in kw:
            kw["due"] = today + dt.timedelta(days=kw["due"]) if kw["due"] else None
        if "labels" in kw:
            kw["labels"] = [labels[name] for name in kw["labels"]]
        services.task_update(actor=actor, task_id=task.pk, **kw)
    elif kind == "move":
        current = Task.objects.get(pk=task.pk)
        services.task_move(actor=actor, task_id=task.pk, sprint=current.sprint, status=arg)
    elif kind == "plan":
        services.task_update(actor=actor, task_id=task.pk, sprint=sprint if arg else None)
    elif kind == "trash":
        services.task_delete(actor=actor, task_id=task.pk)
        services.task_restore(actor=actor, task_id=task.pk)
    else:
        checklist.checklist_item_create(actor=actor, task_id=task.pk, text="x", done=arg)


@pytest.fixture
def sprint(team):
    end = board_today(team.board) + dt.timedelta(days=20)
    return services.sprint_create(actor=team.actor, board_id=team.board.pk, end=end, name="S")


@pytest.fixture
def labels(team):
    return {
        name: Label.objects.create(board=team.board, name=name, name_key=name, color="#123456")
        for name in ("bug", "ux")
    }


@settings(
    max_examples=40, deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)  # fmt: skip
@given(steps=steps)
def test_the_activity_replays_to_the_card(team, sprint, labels, steps):
    task = services.task_create(actor=team.actor, board_id=team.board.pk, name="Card")
    for step in steps:
        # A rule may refuse a step (a Done card leaving its sprint): then nothing is logged.
        with contextlib.suppress(ValidationError):
            _apply(team, task, sprint, labels, step)
    values = dict(NOT_SET)
    for entry in reversed(activity(team, task.pk)):
        for key, (old, new) in entry["changes"].items():
            if key in EDITABLE:
                assert values[key] == old, (entry, values)
                values[key] = new
    final = representation.task_values(Task.objects.get(pk=task.pk))
    assert values == {key: final[key] for key in EDITABLE}
