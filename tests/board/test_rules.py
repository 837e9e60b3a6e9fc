"""The book's seven rules over REST: create, PUT and PATCH (merged state), with field errors."""

import datetime as dt

import pytest
import time_machine
from django.utils import timezone

from board.models import Status, Task
from tests.conftest import client_for
from tests.factories import BoardFactory, MembershipFactory, SprintFactory, TaskFactory

pytestmark = pytest.mark.django_db

TODAY = timezone.localdate()
YESTERDAY = TODAY - dt.timedelta(days=1)


@pytest.fixture
def sprint(board):
    return SprintFactory(board=board, end=TODAY + dt.timedelta(days=10))


@pytest.fixture
def ended(board):
    return SprintFactory(board=board, end=YESTERDAY)


def _task_body(board, **extra):
    return {"board": board.pk, "name": "A task", **extra}


# Rule 1: a sprint being created, or whose end changes, cannot end in the past.
def test_rule1_sprint_cannot_be_created_in_the_past(api, board):
    response = api.post("/api/sprints/", {"board": board.pk, "end": str(YESTERDAY)})
    assert response.status_code == 400
    assert "end" in response.json()


def test_rule1_ended_sprint_can_be_renamed_but_not_given_a_past_end(api, ended):
    assert api.patch(f"/api/sprints/{ended.pk}/", {"name": "Retro"}).status_code == 200
    past = str(YESTERDAY - dt.timedelta(days=3))
    response = api.patch(f"/api/sprints/{ended.pk}/", {"end": past})
    assert response.status_code == 400 and "end" in response.json()
    put = {"board": ended.board_id, "name": "x", "end": past}
    assert api.put(f"/api/sprints/{ended.pk}/", put).status_code == 400


def test_rule1_uses_the_boards_local_date_not_the_servers(member, board, settings):
    # 23:30 UTC on Jan 1 is already Jan 2 in Tokyo: Jan 1 is the past there, whatever the
    # server's zone says.
    settings.TIME_ZONE = "UTC"
    board.timezone = "Asia/Tokyo"
    board.save(update_fields=["timezone"])
    elsewhere = BoardFactory(owner=board.owner, timezone="UTC")
    MembershipFactory(board=elsewhere, user=member)
    with time_machine.travel(dt.datetime(2030, 1, 1, 23, 30, tzinfo=dt.UTC), tick=False):
        api = client_for(member)
        response = api.post("/api/sprints/", {"board": board.pk, "end": "2030-01-01"})
        assert response.status_code == 400
        assert (
            api.post("/api/sprints/", {"board": board.pk, "end": "2030-01-02"}).status_code == 201
        )
        same_day = api.post("/api/sprints/", {"board": elsewhere.pk, "end": "2030-01-01"})
        assert same_day.status_code == 201


# Rule 2: a Done task cannot change sprint.
def test_rule2_done_task_cannot_change_sprint(api, board, sprint):
    other = SprintFactory(board=board)
    task = TaskFactory(board=board, sprint=sprint, status=Status.DONE, completed=TODAY)
    response = api.patch(f"/api/tasks/{task.pk}/", {"sprint": other.pk})
    assert response.status_code == 400
    assert response.json()["sprint"] == ["Cannot change the sprint of a completed task."]
    put = _task_body(board, sprint=other.pk, status=Status.DONE, completed=str(TODAY))
    assert api.put(f"/api/tasks/{task.pk}/", put).status_code == 400
    task.refresh_from_db()
    assert task.sprint_id == sprint.pk


# Rule 3: a task cannot move into a sprint that has ended.
def test_rule3_task_cannot_move_into_ended_sprint(api, board, ended):
    task = TaskFactory(board=board)
    response = api.patch(f"/api/tasks/{task.pk}/", {"sprint": ended.pk})
    assert response.status_code == 400
    assert response.json()["sprint"] == ["Cannot move a task into a sprint that has ended."]
    assert api.put(f"/api/tasks/{task.pk}/", _task_body(board, sprint=ended.pk)).status_code == 400


def test_rule3_task_already_in_ended_sprint_can_still_be_edited(api, board, ended):
    task = TaskFactory(board=board, sprint=ended, status=Status.IN_PROGRESS, started=YESTERDAY)
    response = api.patch(f"/api/tasks/{task.pk}/", {"name": "Renamed", "status": Status.TESTING})
    assert response.status_code == 200, response.json()


# Rule 4: a task cannot be created in a sprint that has ended.
def test_rule4_task_cannot_be_created_in_ended_sprint(api, board, ended):
    response = api.post("/api/tasks/", _task_body(board, sprint=ended.pk))
    assert response.status_code == 400
    assert response.json()["sprint"] == ["Cannot add tasks to a sprint that has ended."]
    assert not Task.objects.exists()


# Rule 5: a backlog task must be Not Started.
def test_rule5_backlog_task_must_be_not_started_on_create(api, board):
    response = api.post("/api/tasks/", _task_body(board, status=Status.IN_PROGRESS))
    assert response.status_code == 400
    assert response.json()["status"] == ['Backlog tasks must have "Not Started" status.']


def test_rule5_patch_that_omits_status_checks_the_stored_status(api, board, sprint):
    # The book's bug: an omitted status was read as Not Started. The merged state is In Progress.
    task = TaskFactory(board=board, sprint=sprint, status=Status.IN_PROGRESS, started=TODAY)
    response = api.patch(f"/api/tasks/{task.pk}/", {"sprint": None})
    assert response.status_code == 400
    assert "status" in response.json()
    task.refresh_from_db()
    assert task.sprint_id == sprint.pk


def test_rule5_put_to_backlog_with_status(api, board, sprint):
    task = TaskFactory(board=board, sprint=sprint, status=Status.TESTING, started=TODAY)
    body = _task_body(board, sprint=None, status=Status.TESTING, started=str(TODAY))
    assert api.put(f"/api/tasks/{task.pk}/", body).status_code == 400
    body = _task_body(board, sprint=None, status=Status.NOT_STARTED, started=None)
    assert api.put(f"/api/tasks/{task.pk}/", body).status_code == 200


# Rule 6: `started` cannot be set on a Not Started task.
def test_rule6_started_needs_a_started_status(api, board, sprint):
    response = api.post("/api/tasks/", _task_body(board, sprint=sprint.pk, started=str(TODAY)))
    assert response.status_code == 400 and "started" in response.json()
    task = TaskFactory(board=board, sprint=sprint)
    # PATCH omits status: the stored Not Started applies.
    response = api.patch(f"/api/tasks/{task.pk}/", {"started": str(TODAY)})
    assert response.status_code == 400 and "started" in response.json()
    ok = api.patch(f"/api/tasks/{task.pk}/", {"started": str(TODAY), "status": Status.IN_PROGRESS})
    assert ok.status_code == 200


def test_rule6_put_with_started_on_not_started(api, board, sprint):
    task = TaskFactory(board=board, sprint=sprint)
    body = _task_body(board, sprint=sprint.pk, status=Status.NOT_STARTED, started=str(TODAY))
    assert api.put(f"/api/tasks/{task.pk}/", body).status_code == 400


# Rule 7: `completed` can only be set on a Done task.
def test_rule7_completed_needs_done(api, board, sprint):
    body = _task_body(board, sprint=sprint.pk, status=Status.TESTING, completed=str(TODAY))
    response = api.post("/api/tasks/", body)
    assert response.status_code == 400
    assert response.json()["completed"] == [
        "Cannot set the completion date of a task that is not done."
    ]
    task = TaskFactory(board=board, sprint=sprint, status=Status.DONE, completed=TODAY)
    # Moving it back out of Done while keeping `completed` (omitted) breaks the rule.
    response = api.patch(f"/api/tasks/{task.pk}/", {"status": Status.TESTING})
    assert response.status_code == 400 and "completed" in response.json()
    put = _task_body(board, sprint=sprint.pk, status=Status.TESTING, completed=str(TODAY))
    assert api.put(f"/api/tasks/{task.pk}/", put).status_code == 400


def test_several_rules_report_every_field(api, board):
    body = _task_body(board, status=Status.TESTING, completed=str(TODAY))
    errors = api.post("/api/tasks/", body).json()
    assert {"status", "completed"} <= set(errors)


def test_assignee_must_be_a_board_member(api, board, outsider, member):
    response = api.post("/api/tasks/", _task_body(board, assigned=outsider.username))
    assert response.status_code == 400 and "assigned" in response.json()
    response = api.post("/api/tasks/", _task_body(board, assigned=member.username))
    assert response.status_code == 201 and response.json()["assigned"] == member.username


def test_sprint_end_is_unique_per_board(api, board, sprint):
    response = api.post("/api/sprints/", {"board": board.pk, "end": str(sprint.end)})
    assert response.status_code == 400 and "end" in response.json()
