"""Start, close with carry-over, and planning: what each leaves on the board and in the log."""

import datetime as dt

import pytest
from django.core.exceptions import ValidationError
from django.db import connection
from django.test.utils import CaptureQueriesContext

from board import realtime, services
from board.models import BoardEvent, SprintState, Status, Task
from board.services.rules import board_today
from tests.factories import BoardFactory, SprintFactory

pytestmark = pytest.mark.django_db


def last_event(board):
    return BoardEvent.objects.filter(board=board).order_by("-seq").first()


def refused(field: str, call, *args, **kwargs) -> str:
    with pytest.raises(ValidationError) as info:
        call(*args, **kwargs)
    assert set(info.value.message_dict) == {field}, info.value.message_dict
    return info.value.message_dict[field][0]


# --- start ----------------------------------------------------------------------------------


def test_start_activates_and_records_the_committed_scope(team, make_sprint, make_task):
    board, actor, _ = team
    sprint = make_sprint()
    a = make_task("A", sprint=sprint, points=3)
    b = make_task("B", sprint=sprint, points=0.5, status=Status.IN_PROGRESS)
    c = make_task("C", sprint=sprint)  # not estimated: counts as 0
    make_task("backlog", points=8)
    seq = last_event(board).seq + 1

    started = services.sprint_start(actor=actor, sprint_id=sprint.pk)

    started.refresh_from_db()
    assert started.state == SprintState.ACTIVE
    assert started.start == board_today(board)
    assert started.version == sprint.version + 1
    assert started.committed == {"points": 3.5, "tasks": [a.pk, c.pk, b.pk]}
    event = last_event(board)
    assert (event.seq, event.name) == (seq, realtime.SPRINT_STARTED)
    assert event.data["committed"] == started.committed
    assert event.data["sprint"]["state"] == "active" and event.data["sprint"]["version"] == 2


def test_start_keeps_a_past_start_and_moves_a_future_one_to_today(team, make_sprint):
    board, actor, _ = team
    today = board_today(board)
    early = make_sprint(start=today - dt.timedelta(days=2))
    late = make_sprint(start=today + dt.timedelta(days=3))
    services.sprint_start(actor=actor, sprint_id=early.pk)
    services.sprint_close(actor=actor, sprint_id=early.pk)
    services.sprint_start(actor=actor, sprint_id=late.pk)
    early.refresh_from_db()
    late.refresh_from_db()
    assert early.start == today - dt.timedelta(days=2)
    assert late.start == today


def test_one_active_sprint_per_board(team, make_sprint):
    board, actor, _ = team
    first, second = make_sprint(name="First"), make_sprint()
    services.sprint_start(actor=actor, sprint_id=first.pk)
    seq = last_event(board).seq
    message = refused("state", services.sprint_start, actor=actor, sprint_id=second.pk)
    assert "First is active" in message
    second.refresh_from_db()
    assert second.state == SprintState.PLANNED and second.version == 1
    assert last_event(board).seq == seq


def test_only_a_planned_sprint_starts(team, make_sprint):
    _, actor, _ = team
    sprint = make_sprint()
    services.sprint_start(actor=actor, sprint_id=sprint.pk)
    assert "active" in refused("state", services.sprint_start, actor=actor, sprint_id=sprint.pk)
    services.sprint_close(actor=actor, sprint_id=sprint.pk)
    assert "closed" in refused("state", services.sprint_start, actor=actor, sprint_id=sprint.pk)


def test_an_ended_sprint_cannot_start(team):
    board, actor, _ = team
    ended = SprintFactory(board=board, end=board_today(board) - dt.timedelta(days=1))
    refused("end", services.sprint_start, actor=actor, sprint_id=ended.pk)


def test_start_with_a_stale_version_conflicts(team, make_sprint):
    _, actor, _ = team
    sprint = make_sprint()
    with pytest.raises(services.VersionConflict):
        services.sprint_start(actor=actor, sprint_id=sprint.pk, expected_version=7)


# --- close ----------------------------------------------------------------------------------


@pytest.fixture
def running(team, make_sprint, make_task):
    """An active sprint with one task per column (two Not Started), and a backlog task."""
    board, actor, _ = team
    today = board_today(board)
    sprint = make_sprint()
    tasks = {
        "todo1": make_task("todo1", sprint=sprint, points=1),
        "todo2": make_task("todo2", sprint=sprint, points=2),
        "doing": make_task("doing", sprint=sprint, status=Status.IN_PROGRESS, started=today),
        "testing": make_task("testing", sprint=sprint, status=Status.TESTING, started=today),
        "done": make_task(
            "done", sprint=sprint, status=Status.DONE, started=today, completed=today, points=5
        ),
        "backlog": make_task("backlog"),
    }
    services.sprint_start(actor=actor, sprint_id=sprint.pk)
    return sprint, tasks


def test_close_to_the_backlog_resets_unfinished_work_and_keeps_its_order(team, running):
    board, actor, _ = team
    sprint, t = running
    closed = services.sprint_close(actor=actor, sprint_id=sprint.pk, carry_to=None)

    assert closed.state == SprintState.CLOSED and closed.version == 3
    backlog = list(Task.objects.filter(board=board, sprint=None).order_by("order"))
    assert [x.name for x in backlog] == ["backlog", "todo1", "todo2", "doing", "testing"]
    for task in backlog[1:]:
        assert (task.status, task.started, task.completed) == (Status.NOT_STARTED, None, None)
        assert task.version == 2
    done = Task.objects.get(pk=t["done"].pk)
    assert (done.sprint_id, done.status, done.version) == (sprint.pk, Status.DONE, 1)
    event = last_event(board)
    assert event.name == realtime.SPRINT_CLOSED
    assert [x["name"] for x in event.data["carried"]] == ["todo1", "todo2", "doing", "testing"]
    assert event.data["carry_to"] is None
    assert event.data["completed"] == {"points": 5, "tasks": [t["done"].pk]}
    assert event.data["sprint"]["state"] == "closed"
    assert event.data["sprint"]["tasks_total"] == 1


def test_close_into_a_sprint_keeps_status_and_dates_at_the_end_of_each_column(
    team, running, make_sprint, make_task
):
    board, actor, _ = team
    sprint, t = running
    nxt = make_sprint()
    waiting = make_task("waiting", sprint=nxt)
    services.sprint_close(actor=actor, sprint_id=sprint.pk, carry_to=nxt.pk)

    def column(status):
        return [x.name for x in Task.objects.filter(sprint=nxt, status=status).order_by("order")]

    assert column(Status.NOT_STARTED) == [waiting.name, "todo1", "todo2"]
    assert column(Status.IN_PROGRESS) == ["doing"]
    assert column(Status.TESTING) == ["testing"]
    doing = Task.objects.get(pk=t["doing"].pk)
    assert doing.started == board_today(board) and doing.version == 2
    assert last_event(board).data["carry_to"] == nxt.pk


def test_close_refuses_bad_carry_targets_and_writes_nothing(team, running, make_sprint):
    board, actor, _ = team
    sprint, _ = running
    elsewhere = SprintFactory(board=BoardFactory())
    ended = SprintFactory(board=board, end=board_today(board) - dt.timedelta(days=1))
    shut = make_sprint()
    shut.state = SprintState.CLOSED
    shut.save()
    seq = last_event(board).seq
    for target, words in [
        (sprint.pk, "itself"),
        (elsewhere.pk, "No such sprint"),
        (10**12, "No such sprint"),
        (shut.pk, "closed"),
        (ended.pk, "ended"),
    ]:
        message = refused(
            "carry_to", services.sprint_close, actor=actor, sprint_id=sprint.pk, carry_to=target
        )
        assert words in message
    sprint.refresh_from_db()
    assert sprint.state == SprintState.ACTIVE and last_event(board).seq == seq


def test_only_an_active_sprint_closes(team, make_sprint):
    _, actor, _ = team
    sprint = make_sprint()
    assert "planned" in refused("state", services.sprint_close, actor=actor, sprint_id=sprint.pk)


# --- plan -----------------------------------------------------------------------------------


def test_plan_moves_backlog_tasks_in_the_given_order_after_the_not_started_column(
    team, make_sprint, make_task
):
    board, actor, _ = team
    sprint = make_sprint()
    make_task("there", sprint=sprint)
    a, b, c = make_task("a", points=1), make_task("b"), make_task("c", points=2)
    seq = last_event(board).seq

    planned = services.sprint_plan(actor=actor, sprint_id=sprint.pk, tasks=[c.pk, a.pk, b.pk])

    rows = list(Task.objects.filter(sprint=sprint).order_by("order"))
    assert [x.name for x in rows] == ["there", "c", "a", "b"]
    assert all(x.version == 2 and x.status == Status.NOT_STARTED for x in rows[1:])
    assert planned.version == 1  # the sprint's own facts did not change
    event = last_event(board)
    assert (event.seq, event.name) == (seq + 1, realtime.SPRINT_PLANNED)
    assert [x["id"] for x in event.data["tasks"]] == [c.pk, a.pk, b.pk]
    assert event.data["sprint"]["points_total"] == 3 and event.data["sprint"]["tasks_total"] == 4


def test_plan_names_every_task_it_cannot_take(team, make_sprint, make_task):
    board, actor, _ = team
    sprint, other = make_sprint(), make_sprint()
    ok = make_task("ok")
    in_sprint = make_task("in sprint", sprint=other)
    trashed = make_task("trashed")
    services.task_delete(actor=actor, task_id=trashed.pk)
    foreign = Task.objects.create(board=BoardFactory(), name="foreign")
    seq = last_event(board).seq
    bad = [in_sprint.pk, trashed.pk, foreign.pk, 10**12]
    message = refused(
        "tasks", services.sprint_plan, actor=actor, sprint_id=sprint.pk, tasks=[ok.pk, *bad]
    )
    assert message == f"Not backlog tasks of this board: {bad}."
    assert Task.objects.get(pk=ok.pk).sprint_id is None and last_event(board).seq == seq


@pytest.mark.parametrize(
    ("ids", "words"),
    [([], "at least one"), ([5, 6, 5], "repeated: [5]"), (list(range(1, 202)), "at most 200")],
)
def test_plan_refuses_empty_repeated_or_too_many_ids(team, make_sprint, ids, words):
    _, actor, _ = team
    sprint = make_sprint()
    assert words in refused(
        "tasks", services.sprint_plan, actor=actor, sprint_id=sprint.pk, tasks=ids
    )


def test_plan_into_a_closed_or_ended_sprint_is_refused(team, make_sprint, make_task):
    board, actor, _ = team
    task = make_task()
    closed = make_sprint()
    services.sprint_start(actor=actor, sprint_id=closed.pk)
    services.sprint_close(actor=actor, sprint_id=closed.pk)
    ended = SprintFactory(board=board, end=board_today(board) - dt.timedelta(days=1))
    message = refused(
        "sprint", services.sprint_plan, actor=actor, sprint_id=closed.pk, tasks=[task.pk]
    )
    assert message == "A closed sprint takes no new tasks."
    message = refused(
        "sprint", services.sprint_plan, actor=actor, sprint_id=ended.pk, tasks=[task.pk]
    )
    assert message == "Cannot move a task into a sprint that has ended."  # rule 3


def test_plan_into_the_active_sprint_is_allowed(team, make_sprint, make_task):
    _, actor, _ = team
    sprint = make_sprint()
    services.sprint_start(actor=actor, sprint_id=sprint.pk)
    task = make_task()
    services.sprint_plan(actor=actor, sprint_id=sprint.pk, tasks=[task.pk])
    assert Task.objects.get(pk=task.pk).sprint_id == sprint.pk


def test_a_plan_of_50_tasks_costs_as_many_queries_as_a_plan_of_2(team, make_sprint, make_task):
    _, actor, _ = team
    counts = []
    for size in (2, 50):
        sprint = make_sprint()
        ids = [make_task(f"t{i}").pk for i in range(size)]
        with CaptureQueriesContext(connection) as queries:
            services.sprint_plan(actor=actor, sprint_id=sprint.pk, tasks=ids)
        counts.append(len(queries))
    assert counts[0] == counts[1] <= 12, counts
