"""GET /api/boards/{id}/export/: the whole board as one document, for members only, in a
number of queries that does not grow with the board."""

from django.db import connection
from django.test.utils import CaptureQueriesContext

from integrations.export import FORMAT
from tests.conftest import client_for
from tests.factories import UserFactory


def test_the_document_holds_every_user_visible_field(team):
    team.build()
    response = client_for(team.vic).get(f"/api/boards/{team.board.pk}/export/")
    assert response.status_code == 200
    assert "attachment" in response["Content-Disposition"]
    doc = response.json()
    assert doc["format"] == FORMAT
    assert doc["board"] == {
        "name": "Launch",
        "description": "Ship it.",
        "timezone": "Europe/Berlin",
    }
    assert doc["members"] == [
        {"username": "bob", "role": "member"},
        {"username": "olive", "role": "owner"},
        {"username": "vic", "role": "viewer"},
    ]
    assert doc["labels"] == [
        {"name": "Bug", "color": "#d62728"},
        {"name": "UI", "color": "#1f77b4"},
    ]
    first, second = doc["sprints"]
    assert (first["key"], first["name"], first["goal"], first["state"]) == (
        "s1",
        "Sprint 1",
        "Beta",
        "active",
    )
    assert (second["key"], second["state"], second["start"]) == ("s2", "planned", None)
    backlog = doc["tasks"][0]
    assert (backlog["name"], backlog["sprint"], backlog["labels"]) == ("Idea", None, ["UI"])
    testing = next(t for t in doc["tasks"] if t["name"] == "Testing 0")
    assert testing["sprint"] == "s1" and testing["status"] == 3 and testing["position"] == 0
    assert testing["points"] == 2.5 and testing["assigned"] == "bob"
    assert testing["labels"] == ["Bug", "UI"] and testing["started"] is not None
    assert testing["checklist"] == [
        {"text": "Write it", "done": True},
        {"text": "Test it", "done": False},
    ]
    assert [(c["author"], c["body"]) for c in testing["comments"]] == [
        ("bob", "On it"),
        ("olive", "Thanks @bob"),
    ]
    assert all(c["created_at"] for c in testing["comments"])
    assert [t["name"] for t in doc["tasks"]][-1] == "Next up"


def test_positions_follow_the_column_order(team):
    team.build(tasks_per_column=3)
    doc = client_for(team.olive).get(f"/api/boards/{team.board.pk}/export/").json()
    done = [(t["name"], t["position"]) for t in doc["tasks"] if t["status"] == 4]
    assert done == [("Done 0", 0), ("Done 1", 1), ("Done 2", 2)]


def test_a_trashed_task_is_not_exported(team):
    from board import services
    from board.models import Task

    team.build()
    services.task_delete(actor=team.actor, task_id=Task.objects.get(name="Idea").pk)
    doc = client_for(team.olive).get(f"/api/boards/{team.board.pk}/export/").json()
    assert "Idea" not in [t["name"] for t in doc["tasks"]]


def test_outsiders_get_404(team):
    outsider = client_for(UserFactory(username="otto"))
    assert outsider.get(f"/api/boards/{team.board.pk}/export/").status_code == 404
    assert outsider.get("/api/boards/99999999999999999999999/export/").status_code == 404


def _queries(team) -> int:
    client = client_for(team.olive)
    client.get("/api/auth/me/")  # the user row is cached from the first request on
    with CaptureQueriesContext(connection) as queries:
        assert client.get(f"/api/boards/{team.board.pk}/export/").status_code == 200
    return len(queries)


def test_queries_do_not_grow_with_tasks(team):
    team.build(tasks_per_column=1)
    small = _queries(team)
    team.add_tasks(6, first=1)
    assert _queries(team) == small <= 10
