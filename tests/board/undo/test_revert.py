"""POST /api/boards/{id}/events/{seq}/revert/: an undo puts the task back as it was before the
event, as a new event carrying `reverts`, and refuses when the task changed since."""

import pytest

from board import services
from board.models import BoardEvent, Status, Task
from board.services import Actor

from .conftest import assert_the_log_tells_the_live_board, last_seq, task_at

pytestmark = pytest.mark.django_db


def revert(api, board, seq):
    return api.post(f"/api/boards/{board.pk}/events/{seq}/revert/", {}, format="json")


def test_undo_of_an_edit_restores_the_values_before_it(team, sprint, mate_api):
    board, _, mate, _ = team
    me = Actor(mate)
    task = services.task_create(
        actor=me, board_id=board.pk, name="Login", sprint=sprint, points=3, assigned=mate
    )
    services.task_update(
        actor=me, task_id=task.pk, name="Log in", description="SSO", points=5, assigned=None,
        status=Status.IN_PROGRESS, sprint=sprint,
    )  # fmt: skip
    seq = last_seq(board)

    response = revert(mate_api, board, seq)

    assert response.status_code == 200, response.json()
    body = response.json()
    assert body["reverts"] == seq and body["seq"] == seq + 1
    assert body["task"]["name"] == "Login" and body["task"]["points"] == 3
    assert body["task"]["assigned"] == "mate" and body["task"]["status"] == Status.NOT_STARTED
    assert body["task"]["version"] == 3  # an undo is a write like any other
    assert task_at(board, seq + 1, task.pk) == task_at(board, seq - 1, task.pk)
    event = BoardEvent.objects.get(board=board, seq=seq + 1)
    assert event.name == "task.updated" and event.data["reverts"] == seq
    assert event.actor == mate
    assert_the_log_tells_the_live_board(board)


def test_undo_of_a_move_puts_it_back_in_its_place_with_its_dates(team, sprint, mate_api):
    board, _, mate, _ = team
    me = Actor(mate)
    a, t, b = (
        services.task_create(actor=me, board_id=board.pk, name=n, sprint=sprint) for n in "ATB"
    )
    services.task_move(actor=me, task_id=t.pk, sprint=sprint, status=Status.DONE)
    seq = last_seq(board)

    response = revert(mate_api, board, seq)

    assert response.status_code == 200, response.json()
    assert task_at(board, seq + 1, t.pk) == task_at(board, seq - 1, t.pk)
    moved = response.json()["task"]
    assert (moved["status"], moved["started"], moved["completed"]) == (
        Status.NOT_STARTED,
        None,
        None,
    )
    column = Task.objects.filter(sprint=sprint, status=Status.NOT_STARTED).order_by("order")
    assert [row.pk for row in column] == [a.pk, t.pk, b.pk]
    event = BoardEvent.objects.get(board=board, seq=seq + 1)
    assert event.name == "task.moved" and event.data["reverts"] == seq
    assert event.data["reordered"] == []
    assert_the_log_tells_the_live_board(board)


def test_a_taken_place_puts_it_after_its_previous_neighbour(team, sprint, mate_api):
    board, _, mate, _ = team
    me = Actor(mate)
    a, t, b, c = (
        services.task_create(actor=me, board_id=board.pk, name=n, sprint=sprint) for n in "ATBC"
    )
    services.task_move(actor=me, task_id=t.pk, sprint=sprint, status=Status.IN_PROGRESS)
    seq = last_seq(board)
    # C lands between A and B: on T's old order exactly (the midpoint).
    services.task_move(actor=me, task_id=c.pk, sprint=sprint, status=Status.NOT_STARTED, after=a.pk)
    assert Task.objects.get(pk=c.pk).order == task_at(board, seq - 1, t.pk)["order"]

    assert revert(mate_api, board, seq).status_code == 200
    column = Task.objects.filter(sprint=sprint, status=Status.NOT_STARTED).order_by("order")
    assert [row.name for row in column] == ["A", "T", "C", "B"]
    assert_the_log_tells_the_live_board(board)


def test_undo_of_a_delete_restores_the_task(team, sprint, mate_api):
    board, _, mate, _ = team
    me = Actor(mate)
    services.task_create(actor=me, board_id=board.pk, name="A", sprint=sprint)
    task = services.task_create(actor=me, board_id=board.pk, name="B", sprint=sprint, points=2)
    services.task_move(actor=me, task_id=task.pk, sprint=sprint, status=Status.TESTING)
    services.task_delete(actor=me, task_id=task.pk)
    seq = last_seq(board)

    response = revert(mate_api, board, seq)

    assert response.status_code == 200, response.json()
    assert task_at(board, seq + 1, task.pk) == task_at(board, seq - 1, task.pk)
    assert Task.objects.filter(pk=task.pk).exists()
    event = BoardEvent.objects.get(board=board, seq=seq + 1)
    assert event.name == "task.restored" and event.data["reverts"] == seq
    assert_the_log_tells_the_live_board(board)


def test_a_later_change_makes_it_409_with_the_task_now(team, owner_api, mate_api):
    board, owner, mate, _ = team
    task = services.task_create(actor=Actor(mate), board_id=board.pk, name="One")
    services.task_update(actor=Actor(mate), task_id=task.pk, name="Two")
    seq = last_seq(board)
    services.task_update(actor=owner, task_id=task.pk, name="Three")

    response = revert(mate_api, board, seq)

    assert response.status_code == 409
    body = response.json()
    assert body["detail"] == "The task changed after this change."
    assert body["current"]["name"] == "Three" and body["current"]["version"] == 3
    assert last_seq(board) == seq + 1  # nothing written


def test_a_later_delete_makes_it_409_with_no_current(team, mate_api):
    board, owner, mate, _ = team
    task = services.task_create(actor=Actor(mate), board_id=board.pk, name="One")
    services.task_update(actor=Actor(mate), task_id=task.pk, name="Two")
    seq = last_seq(board)
    services.task_delete(actor=owner, task_id=task.pk)

    response = revert(mate_api, board, seq)

    assert response.status_code == 409 and response.json()["current"] is None


def test_a_siblings_renumbering_is_no_change(team, mate_api):
    board, owner, mate, _ = team
    a, t, x = (services.task_create(actor=owner, board_id=board.pk, name=n) for n in "ATX")
    Task.objects.filter(pk=a.pk).update(order=1)  # no gap left between A and T
    Task.objects.filter(pk=t.pk).update(order=2)
    services.task_update(actor=Actor(mate), task_id=t.pk, name="T2")
    seq = last_seq(board)
    services.task_move(actor=owner, task_id=x.pk, sprint=None, status=1, before=t.pk)
    renumbered = BoardEvent.objects.get(board=board, seq=seq + 1).data["reordered"]
    assert t.pk in [row["id"] for row in renumbered]

    response = revert(mate_api, board, seq)

    assert response.status_code == 200, response.json()
    assert response.json()["task"]["name"] == "T"


def test_someone_elses_change_is_403_for_a_member_but_an_owner_may(team, owner_api, mate_api):
    board, owner, mate, _ = team
    task = services.task_create(actor=owner, board_id=board.pk, name="Owner's")
    services.task_update(actor=owner, task_id=task.pk, name="Renamed")
    mine = last_seq(board)
    services.task_update(actor=Actor(mate), task_id=task.pk, name="Mate's")
    theirs = last_seq(board)

    refused = revert(mate_api, board, mine)
    assert refused.status_code == 403
    assert refused.json() == {"detail": "Only the board's owners can undo someone else's change."}
    assert revert(owner_api, board, theirs).status_code == 200
    assert Task.objects.get(pk=task.pk).name == "Renamed"


def test_viewers_get_403_and_outsiders_404(team, guest_api, mate_api):
    board, owner, *_ = team
    task = services.task_create(actor=owner, board_id=board.pk, name="T")
    services.task_update(actor=owner, task_id=task.pk, name="U")
    seq = last_seq(board)
    assert revert(guest_api, board, seq).status_code == 403
    other = services.board_create(actor=Actor(team[3]), name="Guest's")
    assert revert(guest_api, other, seq).status_code == 404  # no such event there
    outsider = services.board_create(actor=owner, name="Private")
    assert revert(guest_api, outsider, 1).status_code == 404
    assert revert(mate_api, board, 10**6).status_code == 404


def test_other_kinds_are_400(team, owner_api):
    board, owner, *_ = team
    services.task_create(actor=owner, board_id=board.pk, name="T")
    for seq, name in ((1, "member.added"), (last_seq(board), "task.created")):
        response = revert(owner_api, board, seq)
        assert response.status_code == 400
        assert name in response.json()["detail"]


def test_a_second_undo_is_409(team, mate_api):
    board, _, mate, _ = team
    task = services.task_create(actor=Actor(mate), board_id=board.pk, name="One")
    services.task_update(actor=Actor(mate), task_id=task.pk, name="Two")
    seq = last_seq(board)
    assert revert(mate_api, board, seq).status_code == 200

    again = revert(mate_api, board, seq)

    assert again.status_code == 409
    assert again.json()["detail"] == "This change was already undone."
    assert again.json()["current"]["name"] == "One"


def test_an_undo_can_itself_be_undone(team, mate_api):
    board, _, mate, _ = team
    task = services.task_create(actor=Actor(mate), board_id=board.pk, name="One")
    services.task_update(actor=Actor(mate), task_id=task.pk, name="Two")
    assert revert(mate_api, board, last_seq(board)).status_code == 200
    assert revert(mate_api, board, last_seq(board)).json()["task"]["name"] == "Two"


def test_a_rule_that_fails_now_is_409_with_its_message(team, sprint, mate_api):
    board, owner, mate, _ = team
    task = services.task_create(actor=Actor(mate), board_id=board.pk, name="T", sprint=sprint)
    services.task_move(actor=Actor(mate), task_id=task.pk, sprint=None, status=Status.NOT_STARTED)
    seq = last_seq(board)
    services.sprint_start(actor=owner, sprint_id=sprint.pk)
    services.sprint_close(actor=owner, sprint_id=sprint.pk, carry_to=None)

    response = revert(mate_api, board, seq)

    assert response.status_code == 409
    body = response.json()
    assert body["errors"] == {"sprint": ["A closed sprint takes no new tasks."]}
    assert "closed sprint" in body["detail"]
    assert body["current"]["sprint"] is None and body["current"]["version"] == 2
    assert Task.objects.get(pk=task.pk).sprint_id is None


def test_a_deleted_sprint_is_409(team, sprint, mate_api):
    board, owner, mate, _ = team
    task = services.task_create(actor=Actor(mate), board_id=board.pk, name="T", sprint=sprint)
    services.task_update(actor=Actor(mate), task_id=task.pk, sprint=None)
    seq = last_seq(board)
    services.sprint_delete(actor=owner, sprint_id=sprint.pk)

    response = revert(mate_api, board, seq)

    assert response.status_code == 409
    assert response.json()["detail"] == "Its sprint was deleted since."
