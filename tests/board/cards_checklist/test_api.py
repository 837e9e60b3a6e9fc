"""The checklist endpoints: who may read and write, bad input, conflicts, constant queries."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from board import services
from board.models import ChecklistItem
from board.services.tasks import ORDER_GAP
from tests.conftest import client_for
from tests.factories import UserFactory

from .conftest import add, counters, texts


def list_url(task_id) -> str:
    return f"/api/tasks/{task_id}/checklist/"


def item_url(item_id) -> str:
    return f"/api/checklist-items/{item_id}/"


def test_members_and_viewers_read_the_checklist_in_order(team, guest_api):
    a, b = add(team, "A", "B")
    add(team, "first")
    ChecklistItem.objects.filter(text="first").update(order=1)
    res = guest_api.get(list_url(team.task.pk))
    assert res.status_code == 200
    assert [i["text"] for i in res.json()["results"]] == ["first", "A", "B"]
    assert res.json()["results"][1] == {
        "id": a.pk, "task": team.task.pk, "text": "A", "done": False, "order": ORDER_GAP,
        "version": 1,
    }  # fmt: skip


def test_a_member_adds_ticks_edits_moves_and_deletes(team, mate_api):
    res = mate_api.post(list_url(team.task.pk), {"text": " Plan "}, format="json")
    assert res.status_code == 201 and res.json()["text"] == "Plan"
    assert res["ETag"] == '"1"'
    first = res.json()["id"]
    res = mate_api.post(
        list_url(team.task.pk), {"text": "Do", "done": True, "before": first}, format="json"
    )
    assert res.status_code == 201
    second = res.json()["id"]
    assert texts(team.task) == ["Do", "Plan"] and counters(team.task) == (2, 1)
    res = mate_api.patch(item_url(first), {"done": True, "text": "Plan it"}, format="json")
    assert res.status_code == 200 and res["ETag"] == '"2"'
    assert (res.json()["done"], res.json()["text"]) == (True, "Plan it")
    res = mate_api.patch(item_url(first), {"before": second}, format="json")
    assert res.status_code == 200 and texts(team.task) == ["Plan it", "Do"]
    assert mate_api.delete(item_url(second)).status_code == 204
    assert counters(team.task) == (1, 1)


def test_viewers_may_not_write_and_outsiders_see_nothing(team, guest_api):
    (item,) = add(team, "A")
    outsider = client_for(UserFactory(username="stranger"))
    assert guest_api.post(list_url(team.task.pk), {"text": "x"}, format="json").status_code == 403
    assert guest_api.patch(item_url(item.pk), {"done": True}, format="json").status_code == 403
    assert guest_api.delete(item_url(item.pk)).status_code == 403
    for call in (
        lambda: outsider.get(list_url(team.task.pk)),
        lambda: outsider.post(list_url(team.task.pk), {"text": ""}, format="json"),
        lambda: outsider.patch(item_url(item.pk), {"done": "bad"}, format="json"),
        lambda: outsider.delete(item_url(item.pk)),
    ):
        assert call().status_code == 404
    assert texts(team.task) == ["A"] and counters(team.task) == (1, 0)


def test_a_trashed_cards_checklist_is_gone(team, mate_api):
    (item,) = add(team, "A")
    services.task_delete(actor=team.actor, task_id=team.task.pk)
    assert mate_api.get(list_url(team.task.pk)).status_code == 404
    assert mate_api.post(list_url(team.task.pk), {"text": "B"}, format="json").status_code == 404
    assert mate_api.patch(item_url(item.pk), {"done": True}, format="json").status_code == 404
    assert mate_api.delete(item_url(item.pk)).status_code == 404


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({}, "text"),
        ({"text": "   "}, "text"),
        ({"text": "x" * 201}, "text"),
        ({"text": ["a"]}, "text"),
        ({"text": "x", "done": "maybe"}, "done"),
        ({"text": "x", "before": 2**70}, "before"),
        ({"text": "x", "after": "abc"}, "after"),
        ({"text": "x", "before": 10**15}, "before"),
        ({"text": "x", "before": 1, "after": 1}, "before"),
    ],
)
def test_bad_input_is_a_400_with_the_field(team, mate_api, body, field):
    res = mate_api.post(list_url(team.task.pk), body, format="json")
    assert res.status_code == 400, res.content
    assert field in res.json()
    assert counters(team.task) == (0, 0)


def test_bad_ids_in_the_path_are_404(team, mate_api):
    for url in (list_url(2**70), item_url(2**70), item_url(0), list_url(10**15)):
        res = (
            mate_api.patch(url, {"done": True}, format="json")
            if "items" in url
            else (mate_api.get(url))
        )
        assert res.status_code == 404


def test_a_stale_version_is_a_409_with_the_current_item(team, mate_api):
    (item,) = add(team, "A")
    assert mate_api.patch(item_url(item.pk), {"done": True}, format="json").status_code == 200
    res = mate_api.patch(item_url(item.pk), {"text": "B"}, format="json", HTTP_IF_MATCH='"1"')
    assert res.status_code == 409
    assert res.json()["current"]["version"] == 2 and res.json()["current"]["done"] is True
    assert res["ETag"] == '"2"'
    res = mate_api.patch(item_url(item.pk), {"text": "B", "version": 1}, format="json")
    assert res.status_code == 409
    assert mate_api.delete(item_url(item.pk), HTTP_IF_MATCH='"1"').status_code == 409
    res = mate_api.patch(item_url(item.pk), {"text": "B", "version": 2}, format="json")
    assert res.status_code == 200 and texts(team.task) == ["B"]


def _list_queries(api, task_id) -> int:
    with CaptureQueriesContext(connection) as ctx:
        assert api.get(list_url(task_id)).status_code == 200
    return len(ctx.captured_queries)


def test_the_list_costs_the_same_queries_at_5_and_60_items(team, mate_api):
    add(team, *[f"item {n}" for n in range(5)])
    _list_queries(mate_api, team.task.pk)  # the first request also reads the login session
    few = _list_queries(mate_api, team.task.pk)
    add(team, *[f"more {n}" for n in range(55)])
    assert len(mate_api.get(list_url(team.task.pk)).json()["results"]) == 60
    assert _list_queries(mate_api, team.task.pk) == few
