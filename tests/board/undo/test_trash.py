"""The trash: GET /api/boards/{id}/trash/, POST /api/tasks/{id}/restore/, and the purge."""

import datetime as dt
import io

import pytest
from django.core.management import call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from board import services
from board.models import BoardEvent, Status, Task
from board.services import Actor
from board.services.trash import trash_purge

from .conftest import assert_the_log_tells_the_live_board, last_seq

pytestmark = pytest.mark.django_db


def trash_of(api, board, **params):
    return api.get(f"/api/boards/{board.pk}/trash/", params)


def restore(api, task_id):
    return api.post(f"/api/tasks/{task_id}/restore/", {}, format="json")


def make_deleted(board, actor, count, **kw):
    tasks = [
        services.task_create(actor=actor, board_id=board.pk, name=f"T{n}", **kw)
        for n in range(count)
    ]
    for task in tasks:
        services.task_delete(actor=actor, task_id=task.pk)
    return tasks


def test_the_trash_lists_deleted_tasks_newest_first_with_who_and_when(team, guest_api):
    board, owner, mate, _ = team
    first = make_deleted(board, owner, 1)[0]
    second = make_deleted(board, Actor(mate), 1, points=2)[0]
    services.task_create(actor=owner, board_id=board.pk, name="Live")

    body = trash_of(guest_api, board).json()  # viewers read the trash

    assert body["count"] == 2
    rows = body["results"]
    assert [row["id"] for row in rows] == [second.pk, first.pk]
    assert rows[0]["deleted_by"] == {"id": mate.pk, "username": "mate"}
    assert rows[1]["deleted_by"] == {"id": owner.user.pk, "username": "olive"}
    assert rows[0]["points"] == 2 and rows[0]["links"]["self"].endswith(f"/api/tasks/{second.pk}/")
    assert rows[0]["deleted_at"] >= rows[1]["deleted_at"]


def test_the_trash_costs_the_same_queries_for_3_or_30_tasks(team, owner_api):
    board, owner, *_ = team
    make_deleted(board, owner, 3)
    trash_of(owner_api, board)  # the session's first request reads it from the database
    with CaptureQueriesContext(connection) as few:
        assert len(trash_of(owner_api, board).json()["results"]) == 3
    make_deleted(board, owner, 27, points=1)
    with CaptureQueriesContext(connection) as many:
        page = trash_of(owner_api, board, page_size=100).json()
    assert len(page["results"]) == 30
    assert len(many) == len(few) <= 8


def test_the_trash_pages_by_25_and_leaves_out_old_deletions(team, owner_api):
    board, owner, *_ = team
    tasks = make_deleted(board, owner, 27)
    Task.all_objects.filter(pk=tasks[0].pk).update(
        deleted_at=timezone.now() - dt.timedelta(days=31)
    )
    body = trash_of(owner_api, board).json()
    assert body["count"] == 26 and len(body["results"]) == 25 and body["next"]
    assert trash_of(owner_api, board, page_size=101).json()["results"]  # capped, not refused


def test_restore_brings_it_back_at_the_end_of_its_column(team, sprint, mate_api):
    board, owner, mate, _ = team
    task = make_deleted(board, owner, 1, sprint=sprint, assigned=mate)[0]
    other = services.task_create(actor=owner, board_id=board.pk, name="After", sprint=sprint)

    response = restore(mate_api, task.pk)

    assert response.status_code == 200, response.json()
    body = response.json()
    assert body["sprint"] == sprint.pk and body["assigned"] == "mate"
    assert body["order"] > Task.objects.get(pk=other.pk).order
    assert body["version"] == 2
    event = BoardEvent.objects.get(board=board, seq=last_seq(board))
    assert event.name == "task.restored" and event.data["id"] == task.pk
    assert "reverts" not in event.data
    assert trash_of(mate_api, board).json()["count"] == 0
    assert_the_log_tells_the_live_board(board)


def test_restore_into_a_closed_sprint_goes_to_the_backlog(team, sprint, mate_api):
    board, owner, mate, _ = team
    task = services.task_create(actor=owner, board_id=board.pk, name="T", sprint=sprint)
    services.task_move(actor=owner, task_id=task.pk, sprint=sprint, status=Status.IN_PROGRESS)
    services.task_delete(actor=owner, task_id=task.pk)
    services.sprint_start(actor=owner, sprint_id=sprint.pk)
    services.sprint_close(actor=owner, sprint_id=sprint.pk, carry_to=None)

    body = restore(mate_api, task.pk).json()

    assert (body["sprint"], body["status"], body["started"]) == (None, Status.NOT_STARTED, None)
    assert_the_log_tells_the_live_board(board)


def test_an_assignee_who_left_is_cleared(team, mate_api, owner_api):
    board, owner, mate, guest = team
    services.member_update(actor=owner, board_id=board.pk, user_id=guest.pk, role="member")
    task = make_deleted(board, owner, 1, assigned=guest)[0]
    services.member_remove(actor=owner, board_id=board.pk, user_id=guest.pk)

    assert restore(mate_api, task.pk).json()["assigned"] is None
    assert_the_log_tells_the_live_board(board)


def test_restore_refuses_live_tasks_old_ones_viewers_and_outsiders(team, guest_api, mate_api):
    board, owner, *_ = team
    live = services.task_create(actor=owner, board_id=board.pk, name="Live")
    conflict = restore(mate_api, live.pk)
    assert conflict.status_code == 409 and conflict.json()["current"]["id"] == live.pk

    old, trashed = make_deleted(board, owner, 2)
    Task.all_objects.filter(pk=old.pk).update(deleted_at=timezone.now() - dt.timedelta(days=31))
    assert restore(mate_api, old.pk).status_code == 404
    assert restore(guest_api, trashed.pk).status_code == 403

    private = services.board_create(actor=owner, name="Private")
    hidden = make_deleted(private, owner, 1)[0]
    assert restore(mate_api, hidden.pk).status_code == 404
    assert restore(mate_api, 10**12).status_code == 404
    assert Task.all_objects.get(pk=trashed.pk).deleted_at is not None


def test_the_purge_deletes_only_what_is_past_trash_days(team, settings):
    board, owner, *_ = team
    old, recent = make_deleted(board, owner, 2)
    live = services.task_create(actor=owner, board_id=board.pk, name="Live")
    Task.all_objects.filter(pk=old.pk).update(deleted_at=timezone.now() - dt.timedelta(days=31))
    seq = last_seq(board)

    assert trash_purge() == 1

    assert set(Task.all_objects.values_list("pk", flat=True)) == {recent.pk, live.pk}
    assert last_seq(board) == seq  # no event: the board saw it go already
    settings.TRASH_DAYS = 0
    assert trash_purge() == 1 and Task.objects.filter(pk=live.pk).exists()


def test_empty_trash_runs_the_purge_now(team):
    board, owner, *_ = team
    old = make_deleted(board, owner, 1)[0]
    Task.all_objects.filter(pk=old.pk).update(deleted_at=timezone.now() - dt.timedelta(days=40))
    out = io.StringIO()
    call_command("empty_trash", stdout=out)
    assert out.getvalue().startswith("1 task(s) deleted for good")
    assert not Task.all_objects.filter(pk=old.pk).exists()
