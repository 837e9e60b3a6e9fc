"""Labels on cards: set through PATCH /api/tasks/{id}/, filtered with ?label= (all must
match), carried by task.updated, the snapshot and an undo."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from board import services
from board.models import BoardEvent, Task
from board.services.labels import label_create

from .conftest import last_seq, make_label

pytestmark = pytest.mark.django_db


def task_url(task) -> str:
    return f"/api/tasks/{task.pk}/"


@pytest.fixture
def card(team):
    return services.task_create(actor=team.actor, board_id=team.board.pk, name="Card")


def test_a_patch_sets_the_whole_set_and_task_updated_carries_it(team, mate_api, card):
    bug, ui = make_label(team, name="Bug"), make_label(team, name="UI")
    response = mate_api.patch(task_url(card), {"labels": [ui.pk, bug.pk]}, format="json")
    assert response.status_code == 200
    assert response.json()["labels"] == sorted([bug.pk, ui.pk])
    event = BoardEvent.objects.filter(board=team.board).latest("seq")
    assert event.name == "task.updated" and event.data["labels"] == sorted([bug.pk, ui.pk])
    assert event.data["version"] == card.version + 1

    assert mate_api.patch(task_url(card), {"labels": [ui.pk]}, format="json").json()["labels"] == [
        ui.pk
    ]
    assert mate_api.patch(task_url(card), {"labels": []}, format="json").json()["labels"] == []
    assert mate_api.get(task_url(card)).json()["labels"] == []


def test_setting_the_same_labels_again_emits_nothing(team, mate_api, card):
    bug = make_label(team)
    mate_api.patch(task_url(card), {"labels": [bug.pk]}, format="json")
    seq = last_seq(team.board)
    assert mate_api.patch(task_url(card), {"labels": [bug.pk]}, format="json").status_code == 200
    assert last_seq(team.board) == seq


def test_labels_of_another_board_or_unknown_ids_are_a_400(team, owner_api, card):
    # The owner sees the other board too: the service, not the lookup, refuses it.
    services.member_add(
        actor=services.Actor(team.stranger), board_id=team.elsewhere.pk, user=team.owner,
        role="member",
    )  # fmt: skip
    foreign = label_create(
        actor=services.Actor(team.stranger), board_id=team.elsewhere.pk, name="X", color="#000000"
    )
    seq = last_seq(team.board)
    for labels in ([foreign.pk], [999999], ["abc"], [2**70], "1"):
        response = owner_api.patch(task_url(card), {"labels": labels}, format="json")
        assert response.status_code == 400, labels
        assert list(response.json()) == ["labels"], labels
    assert last_seq(team.board) == seq and not Task.objects.get().labels.exists()


def _ids(api, **params):
    response = api.get("/api/tasks/", params)
    assert response.status_code == 200, response.content
    return sorted(t["id"] for t in response.json()["results"])


def test_the_label_filter_keeps_tasks_carrying_every_label(team, mate_api):
    bug, ui, other = (make_label(team, name=n) for n in ("Bug", "UI", "Other"))
    make = services.task_create
    both = make(actor=team.actor, board_id=team.board.pk, name="both", labels=[bug, ui])
    only_bug = make(actor=team.actor, board_id=team.board.pk, name="bug", labels=[bug])
    make(actor=team.actor, board_id=team.board.pk, name="none")
    assert _ids(mate_api, label=[bug.pk]) == sorted([both.pk, only_bug.pk])
    assert _ids(mate_api, label=[bug.pk, ui.pk]) == [both.pk]
    assert _ids(mate_api, label=[ui.pk, other.pk]) == []
    assert _ids(mate_api, label=[bug.pk], board=team.board.pk) == sorted([both.pk, only_bug.pk])


@pytest.mark.parametrize(
    "values", [["abc"], ["0"], ["-1"], [str(2**70)], ["1.5"], [str(i) for i in range(1, 12)]]
)
def test_bad_label_filter_values_are_a_400(team, mate_api, values):
    response = mate_api.get("/api/tasks/", {"label": values})
    assert response.status_code == 400
    assert "label" in response.json()


def test_a_non_ascii_digit_in_the_label_filter_is_a_400(team, mate_api):
    # "²".isdigit() is True, int("²") raises: must not become a 500.
    response = mate_api.get("/api/tasks/", {"label": ["²"]})
    assert response.status_code == 400


def _labelled_tasks(team, labels, count):
    for i in range(count):
        services.task_create(
            actor=team.actor, board_id=team.board.pk, name=f"t{i}", labels=labels[: 1 + i % 3]
        )


def test_the_task_list_costs_the_same_queries_for_5_or_30_labelled_tasks(team, mate_api):
    labels = [make_label(team, name=n) for n in ("A", "B", "C")]
    _labelled_tasks(team, labels, 5)
    mate_api.get("/api/tasks/")  # the session's first request reads it
    with CaptureQueriesContext(connection) as few:
        rows = mate_api.get("/api/tasks/", {"page_size": 100}).json()["results"]
    assert len(rows) == 5 and all(row["labels"] for row in rows)
    _labelled_tasks(team, labels, 25)
    with CaptureQueriesContext(connection) as many:
        rows = mate_api.get("/api/tasks/", {"page_size": 100}).json()["results"]
    assert len(rows) == 30
    assert len(many) == len(few)


def test_the_snapshot_lists_the_boards_labels_by_id(team, guest_api, card):
    b, a = make_label(team, name="B"), make_label(team, name="A", color="#FFFFFF")
    services.task_update(actor=team.actor, task_id=card.pk, labels=[a])
    snap = guest_api.get(f"/api/boards/{team.board.pk}/snapshot/").json()
    assert snap["labels"] == [
        {"id": b.pk, "board": team.board.pk, "name": "B", "color": "#d62728"},
        {"id": a.pk, "board": team.board.pk, "name": "A", "color": "#ffffff"},
    ]
    assert [t["labels"] for t in snap["tasks"]] == [[a.pk]]


def test_undoing_a_label_change_restores_the_labels(team, owner_api, card):
    bug, ui = make_label(team, name="Bug"), make_label(team, name="UI")
    services.task_update(actor=team.actor, task_id=card.pk, labels=[bug])
    services.task_update(actor=team.actor, task_id=card.pk, labels=[ui], name="Renamed")
    seq = last_seq(team.board)
    response = owner_api.post(f"/api/boards/{team.board.pk}/events/{seq}/revert/")
    assert response.status_code == 200, response.content
    assert response.json()["task"]["labels"] == [bug.pk]
    assert response.json()["task"]["name"] == "Card"
    event = BoardEvent.objects.filter(board=team.board).latest("seq")
    assert event.name == "task.updated" and event.data["labels"] == [bug.pk]
    assert list(Task.objects.get().labels.values_list("pk", flat=True)) == [bug.pk]
