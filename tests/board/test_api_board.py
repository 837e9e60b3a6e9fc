"""Snapshot, event log over REST, schema, docs and health endpoints."""

import pytest
from django.db import connection
from openapi_spec_validator import validate

from board.models import Status
from tests.factories import SprintFactory, TaskFactory

pytestmark = pytest.mark.django_db


def test_snapshot_is_board_members_sprints_tasks_and_seq(api, board, member):
    sprint = SprintFactory(board=board)
    task = TaskFactory(board=board, sprint=sprint, assigned=member)
    api.patch(f"/api/tasks/{task.pk}/", {"status": Status.IN_PROGRESS})
    body = api.get(f"/api/boards/{board.pk}/snapshot/").json()
    assert set(body) == {"board", "members", "sprints", "tasks", "labels", "seq", "epoch"}
    board.refresh_from_db()
    assert body["seq"] == board.last_seq == body["board"]["seq"]
    assert body["board"]["role"] == "member"
    assert [m["user"]["username"] for m in body["members"]] == ["owner", "member"]
    assert [s["id"] for s in body["sprints"]] == [sprint.pk]
    assert body["tasks"][0]["status"] == 2 and body["tasks"][0]["assigned"] == "member"


def test_events_after_returns_the_log_in_order_with_paging(api, board):
    for n in range(5):
        api.post("/api/tasks/", {"board": board.pk, "name": f"t{n}"}, HTTP_X_CLIENT_OP_ID=f"o{n}")
    board.refresh_from_db()
    first = api.get(f"/api/boards/{board.pk}/events/", {"after": 0, "limit": 3}).json()
    assert [e["seq"] for e in first["results"]] == [1, 2, 3]
    assert first["has_more"] is True and first["last_seq"] == board.last_seq == 5
    rest = api.get(f"/api/boards/{board.pk}/events/", {"after": 3}).json()
    assert [e["seq"] for e in rest["results"]] == [4, 5] and rest["has_more"] is False
    event = rest["results"][-1]
    assert set(event) == {"seq", "name", "data", "actor", "client_op_id", "at"}
    assert (event["name"], event["client_op_id"], event["actor"]["username"]) == (
        "task.created", "o4", "member")  # fmt: skip
    assert event["data"]["name"] == "t4" and event["data"]["links"]["self"].startswith("/api/")
    assert api.get(f"/api/boards/{board.pk}/events/", {"after": "x"}).status_code == 400
    assert api.get(f"/api/boards/{board.pk}/events/", {"limit": 0}).status_code == 400


def test_snapshot_plus_events_after_seq_rebuilds_the_board(api, board):
    api.post("/api/tasks/", {"board": board.pk, "name": "before"})
    seq = api.get(f"/api/boards/{board.pk}/snapshot/").json()["seq"]
    api.post("/api/tasks/", {"board": board.pk, "name": "after"})
    missed = api.get(f"/api/boards/{board.pk}/events/", {"after": seq}).json()["results"]
    assert [(e["name"], e["data"]["name"]) for e in missed] == [("task.created", "after")]


def test_schema_is_valid_openapi_3(api):
    response = api.get("/api/schema/", HTTP_ACCEPT="application/vnd.oai.openapi+json")
    assert response.status_code == 200
    schema = response.json()
    validate(schema)
    assert schema["openapi"].startswith("3.")
    for path in ["/api/tasks/{id}/move/", "/api/boards/{id}/snapshot/", "/api/auth/login/"]:
        assert path in schema["paths"]


def test_docs_page_loads_only_local_assets(client):
    response = client.get("/api/docs/")
    assert response.status_code == 200
    html = response.content.decode()
    assert "swagger-ui-bundle.js" in html
    assert "//cdn" not in html and "https://" not in html and "http://" not in html
    # Swagger UI's default validator badge would call validator.swagger.io.
    assert '"validatorUrl": null' in html
    for asset in ["swagger-ui-bundle.js", "swagger-ui.css", "swagger-ui-standalone-preset.js"]:
        url = f"/static/drf_spectacular_sidecar/swagger-ui-dist/{asset}"
        assert url in html
        assert client.get(url).status_code == 200


def test_health_and_readiness(client):
    assert client.get("/healthz").status_code == 200
    body = client.get("/readyz").json()
    assert body["status"] == "ok"
    assert set(body["checks"]) == {"database", "redis", "channel_layer", "realtime"}


def test_readyz_reports_503_when_the_database_is_down(client, monkeypatch):
    def broken(*args, **kwargs):
        raise OSError("database is down")

    monkeypatch.setattr(connection, "cursor", broken)
    response = client.get("/readyz")
    assert response.status_code == 503
    assert response.json()["checks"]["database"].startswith("error")
