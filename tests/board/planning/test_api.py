"""POST /api/sprints/{id}/start|close|plan/: who may, what comes back, what bad input gets."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from board.models import BoardEvent, Role, SprintState, Status, Task
from tests.conftest import client_for
from tests.factories import MembershipFactory, UserFactory

pytestmark = pytest.mark.django_db

SPRINT_KEYS = {
    "id", "board", "name", "description", "start", "end", "goal", "state", "version",
    "points_total", "points_done", "tasks_total", "tasks_done", "links",
}  # fmt: skip


def url(sprint, action: str) -> str:
    return f"/api/sprints/{sprint.pk}/{action}/"


def test_start_plan_and_close_answer_the_sprint_json(team, make_sprint, make_task, mate_api):
    sprint, nxt = make_sprint(goal="Ship it"), make_sprint()
    a, b = make_task("a", points=2), make_task("b", points=1.5)

    planned = mate_api.post(url(sprint, "plan"), {"tasks": [b.pk, a.pk]}, format="json")
    assert planned.status_code == 200, planned.json()
    body = planned.json()
    assert set(body) == SPRINT_KEYS
    assert (body["points_total"], body["tasks_total"], body["state"]) == (3.5, 2, "planned")
    assert body["links"]["self"] == f"http://testserver/api/sprints/{sprint.pk}/"

    started = mate_api.post(url(sprint, "start"), format="json")
    assert started.status_code == 200
    assert started.json()["state"] == "active" and started["ETag"] == '"2"'

    Task.objects.filter(pk=a.pk).update(status=Status.DONE)
    closed = mate_api.post(url(sprint, "close"), {"carry_to": nxt.pk}, format="json")
    assert closed.status_code == 200
    assert closed.json()["state"] == "closed"
    assert (closed.json()["tasks_total"], closed.json()["points_done"]) == (1, 2)
    assert Task.objects.get(pk=b.pk).sprint_id == nxt.pk


def test_close_without_a_body_sends_the_work_to_the_backlog(team, make_sprint, make_task, mate_api):
    sprint = make_sprint()
    task = make_task(sprint=sprint, status=Status.IN_PROGRESS)
    assert mate_api.post(url(sprint, "start")).status_code == 200
    assert mate_api.post(url(sprint, "close")).status_code == 200
    task.refresh_from_db()
    assert (task.sprint_id, task.status) == (None, Status.NOT_STARTED)


@pytest.mark.parametrize("action", ["start", "close", "plan"])
def test_outsiders_get_404_and_viewers_403(team, make_sprint, make_task, action):
    board = team[0]
    sprint = make_sprint()
    body = {"tasks": [make_task().pk]}
    outsider = client_for(UserFactory(username="stranger"))
    viewer = MembershipFactory(board=board, user=UserFactory(username="watcher"), role=Role.VIEWER)
    seq = BoardEvent.objects.filter(board=board).count()
    assert outsider.post(url(sprint, action), body, format="json").status_code == 404
    response = client_for(viewer.user).post(url(sprint, action), body, format="json")
    assert response.status_code == 403
    assert response.json() == {"detail": "Viewers cannot change this board."}
    assert outsider.post(f"/api/sprints/{10**12}/{action}/", body, format="json").status_code == 404
    assert BoardEvent.objects.filter(board=board).count() == seq


def test_a_stale_version_gets_409_with_the_sprint_as_it_is(team, make_sprint, mate_api):
    sprint = make_sprint()
    response = mate_api.post(url(sprint, "start"), {"version": 5}, format="json")
    assert response.status_code == 409
    assert response.json()["current"]["version"] == 1
    assert response.json()["current"]["state"] == "planned"
    stale = mate_api.post(url(sprint, "start"), HTTP_IF_MATCH='"4"')
    assert stale.status_code == 409
    fresh = mate_api.post(url(sprint, "start"), HTTP_IF_MATCH='"1"')
    assert fresh.status_code == 200


@pytest.mark.parametrize(
    ("action", "body", "field"),
    [
        ("plan", {}, "tasks"),
        ("plan", {"tasks": []}, "tasks"),
        ("plan", {"tasks": "1,2"}, "tasks"),
        ("plan", {"tasks": [1, "x"]}, "tasks"),
        ("plan", {"tasks": [0]}, "tasks"),
        ("plan", {"tasks": [2**64]}, "tasks"),
        ("plan", {"tasks": list(range(1, 202))}, "tasks"),
        ("plan", {"tasks": [3, 3]}, "tasks"),
        ("plan", {"tasks": [10**12]}, "tasks"),
        ("close", {"carry_to": "next"}, "carry_to"),
        ("close", {"carry_to": 2**64}, "carry_to"),
        ("close", {"carry_to": 10**12}, "carry_to"),
        ("start", {"version": "x"}, "version"),
    ],
)
def test_bad_bodies_get_400_naming_the_field(team, make_sprint, mate_api, action, body, field):
    sprint = make_sprint()
    if action == "close":
        mate_api.post(url(sprint, "start"))
    response = mate_api.post(url(sprint, action), body, format="json")
    assert response.status_code == 400, response.json()
    assert field in response.json()


def test_a_body_that_is_not_an_object_gets_400(team, make_sprint, mate_api):
    response = mate_api.post(url(make_sprint(), "plan"), [1, 2], format="json")
    assert response.status_code == 400


def test_starting_a_second_sprint_gets_400_on_state(team, make_sprint, mate_api):
    first, second = make_sprint(name="First"), make_sprint()
    assert mate_api.post(url(first, "start")).status_code == 200
    response = mate_api.post(url(second, "start"))
    assert response.status_code == 400
    assert response.json() == {
        "state": ["First is active on this board: close it before starting another."]
    }


def test_a_sprint_update_cannot_change_the_state(team, make_sprint, mate_api):
    sprint = make_sprint()
    response = mate_api.patch(f"/api/sprints/{sprint.pk}/", {"state": "active"}, format="json")
    assert response.status_code == 200
    assert response.json()["state"] == "planned" and response.json()["version"] == 1
    sprint.refresh_from_db()
    assert sprint.state == SprintState.PLANNED


def test_plan_over_rest_costs_the_same_queries_for_5_and_50_tasks(
    team, make_sprint, make_task, mate_api
):
    counts = []
    for size in (1, 5, 50):  # the first request also warms the session check's cache
        sprint = make_sprint()
        ids = [make_task(f"t{i}").pk for i in range(size)]
        with CaptureQueriesContext(connection) as queries:
            response = mate_api.post(url(sprint, "plan"), {"tasks": ids}, format="json")
        assert response.status_code == 200 and response.json()["tasks_total"] == size
        counts.append(len(queries))
    # 13: the labels of the planned tasks (one query) and their activity index rows (one insert)
    assert counts[1] == counts[2] <= 13, counts


def test_the_schema_documents_the_lifecycle_endpoints(db, mate_api):
    from openapi_spec_validator import validate

    schema = mate_api.get("/api/schema/", HTTP_ACCEPT="application/vnd.oai.openapi+json").json()
    validate(schema)
    for action, field in (("start", "version"), ("close", "carry_to"), ("plan", "tasks")):
        operation = schema["paths"][f"/api/sprints/{{id}}/{action}/"]["post"]
        ref = operation["requestBody"]["content"]["application/json"]["schema"]["$ref"]
        assert field in schema["components"]["schemas"][ref.rsplit("/", 1)[1]]["properties"]
        response = operation["responses"]["200"]["content"]["application/json"]["schema"]
        assert response["$ref"].endswith("/Sprint")
