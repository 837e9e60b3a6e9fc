"""Non-members get 404 for everything inside a board; viewers read but never write."""

import datetime as dt

import pytest
from django.utils import timezone

from board.models import Role, Status, Task
from tests.conftest import client_for
from tests.factories import SprintFactory, TaskFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def content(board):
    sprint = SprintFactory(board=board)
    task = TaskFactory(board=board, sprint=sprint)
    return sprint, task


def _inside_urls(board, sprint, task, user_id):
    return [
        ("get", f"/api/boards/{board.pk}/", None),
        ("patch", f"/api/boards/{board.pk}/", {"name": "x"}),
        ("delete", f"/api/boards/{board.pk}/", None),
        ("get", f"/api/boards/{board.pk}/snapshot/", None),
        ("get", f"/api/boards/{board.pk}/events/", None),
        ("get", f"/api/boards/{board.pk}/members/", None),
        ("post", f"/api/boards/{board.pk}/members/", {"username": "owner"}),
        ("patch", f"/api/boards/{board.pk}/members/{user_id}/", {"role": "viewer"}),
        ("delete", f"/api/boards/{board.pk}/members/{user_id}/", None),
        ("get", f"/api/sprints/{sprint.pk}/", None),
        ("patch", f"/api/sprints/{sprint.pk}/", {"name": "x"}),
        ("delete", f"/api/sprints/{sprint.pk}/", None),
        ("get", f"/api/tasks/{task.pk}/", None),
        ("patch", f"/api/tasks/{task.pk}/", {"name": "x"}),
        ("delete", f"/api/tasks/{task.pk}/", None),
        ("post", f"/api/tasks/{task.pk}/move/", {"sprint": sprint.pk, "status": 2}),
    ]


def test_outsider_gets_404_everywhere_inside_a_board(board, member, content, outsider):
    sprint, task = content
    api = client_for(outsider)
    for method, url, body in _inside_urls(board, sprint, task, member.pk):
        response = getattr(api, method)(url, body)
        assert response.status_code == 404, (method, url, response.status_code)
    # Same answer as for a board that does not exist.
    assert api.get("/api/boards/999999/snapshot/").status_code == 404
    assert api.get("/api/sprints/", {"board": board.pk}).json()["count"] == 0
    assert api.get("/api/tasks/", {"board": board.pk}).json()["count"] == 0
    assert Task.objects.get(pk=task.pk).name == task.name


def test_outsider_cannot_create_on_a_board(board, content, outsider):
    sprint, _ = content
    api = client_for(outsider)
    response = api.post("/api/tasks/", {"board": board.pk, "name": "x"})
    assert response.status_code == 400 and "board" in response.json()
    response = api.post("/api/sprints/", {"board": board.pk, "end": "2099-01-01"})
    assert response.status_code == 400 and "board" in response.json()
    assert Task.objects.count() == 1


def test_viewer_reads_but_gets_403_on_writes(board, viewer, content):
    sprint, task = content
    api = client_for(viewer)
    assert api.get(f"/api/tasks/{task.pk}/").status_code == 200
    assert api.get(f"/api/boards/{board.pk}/snapshot/").status_code == 200
    writes = [
        ("post", "/api/tasks/", {"board": board.pk, "name": "x"}),
        ("post", "/api/sprints/", {"board": board.pk, "end": "2099-01-01"}),
        ("patch", f"/api/tasks/{task.pk}/", {"name": "x"}),
        ("delete", f"/api/tasks/{task.pk}/", None),
        ("post", f"/api/tasks/{task.pk}/move/", {"sprint": sprint.pk, "status": 2}),
        ("patch", f"/api/sprints/{sprint.pk}/", {"name": "x"}),
        ("delete", f"/api/sprints/{sprint.pk}/", None),
        ("patch", f"/api/boards/{board.pk}/", {"name": "x"}),
        ("post", f"/api/boards/{board.pk}/members/", {"username": "owner"}),
    ]
    for method, url, body in writes:
        response = getattr(api, method)(url, body)
        assert response.status_code == 403, (method, url, response.status_code)
    task.refresh_from_db()
    assert (task.name, task.status, task.version) == (task.name, Status.NOT_STARTED, 1)


def test_member_writes_tasks_but_cannot_manage_board(board, api, content):
    assert api.post("/api/tasks/", {"board": board.pk, "name": "Mine"}).status_code == 201
    assert api.patch(f"/api/boards/{board.pk}/", {"name": "x"}).status_code == 403
    assert api.delete(f"/api/boards/{board.pk}/").status_code == 403


def test_owner_manages_members(board, owner, outsider):
    api = client_for(owner)
    added = api.post(f"/api/boards/{board.pk}/members/", {"username": "OUTSIDER", "role": "viewer"})
    assert added.status_code == 201
    assert added.json()["user"]["username"] == "outsider" and added.json()["role"] == "viewer"
    again = api.post(f"/api/boards/{board.pk}/members/", {"username": "outsider"})
    assert again.status_code == 400
    url = f"/api/boards/{board.pk}/members/{outsider.pk}/"
    assert api.patch(url, {"role": "member"}).json()["role"] == "member"
    assert api.patch(url, {"role": "boss"}).status_code == 400
    assert client_for(outsider).get(f"/api/boards/{board.pk}/").json()["role"] == "member"
    assert api.delete(url).status_code == 204
    assert client_for(outsider).get(f"/api/boards/{board.pk}/").status_code == 404
    # The owner cannot be demoted or removed, and an unknown user is a field error.
    owner_url = f"/api/boards/{board.pk}/members/{owner.pk}/"
    assert api.patch(owner_url, {"role": "viewer"}).status_code == 400
    nobody = api.post(f"/api/boards/{board.pk}/members/", {"username": "nobody"})
    assert nobody.status_code == 400 and "username" in nobody.json()


def test_member_can_leave_a_board(board, member):
    api = client_for(member)
    assert api.delete(f"/api/boards/{board.pk}/members/{member.pk}/").status_code == 204
    assert api.get(f"/api/boards/{board.pk}/").status_code == 404


def test_creator_becomes_owner(outsider):
    api = client_for(outsider)
    response = api.post("/api/boards/", {"name": "Mine", "description": "d"})
    assert response.status_code == 201
    body = response.json()
    assert (body["owner"], body["role"], body["seq"]) == ("outsider", Role.OWNER, 1)
    members = api.get(f"/api/boards/{body['id']}/members/").json()["results"]
    assert [(m["user"]["username"], m["role"]) for m in members] == [("outsider", "owner")]


def test_users_lists_only_people_sharing_a_board(board, member, viewer, outsider):
    names = [u["username"] for u in client_for(member).get("/api/users/").json()["results"]]
    assert names == ["member", "owner", "viewer"]
    alone = client_for(outsider).get("/api/users/").json()["results"]
    assert [u["username"] for u in alone] == ["outsider"]
    assert client_for(outsider).get(f"/api/users/{member.pk}/").status_code == 404
    found = client_for(member).get("/api/users/", {"search": "view"}).json()["results"]
    assert [u["username"] for u in found] == ["viewer"]


def test_anonymous_gets_401(client, board):
    assert client.get("/api/boards/").status_code == 401
    assert client.get(f"/api/boards/{board.pk}/").status_code == 401


def test_sprint_due_date_window(board, api):
    end = timezone.localdate() + dt.timedelta(days=3)
    response = api.post("/api/sprints/", {"board": board.pk, "end": str(end), "name": "S"})
    assert response.status_code == 201
    body = response.json()
    assert body["links"]["channel"] == f"ws://testserver/ws/boards/{board.pk}/"
    assert body["links"]["tasks"].endswith(f"/api/tasks/?sprint={body['id']}")
