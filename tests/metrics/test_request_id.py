"""A request id per HTTP request (X-Request-ID in and out), in JSON log lines, the
broadcast of the request's change included; REST latency labelled by route, not path."""

import json
import logging

import pytest
from asgiref.sync import sync_to_async
from django.test import AsyncClient

from realtime_scrum.accounts.sessions import session_start
from realtime_scrum.logging import JsonFormatter
from realtime_scrum.metrics import REGISTRY
from tests.factories import TaskFactory

from .conftest import sample


class JsonLines(logging.Handler):
    """Formats at emit time, as the console handler does (the id is the emitter's)."""

    def __init__(self) -> None:
        super().__init__(logging.DEBUG)
        self.setFormatter(JsonFormatter())
        self.lines: list[dict] = []

    def emit(self, record: logging.LogRecord) -> None:
        self.lines.append(json.loads(self.format(record)))


@pytest.fixture
def json_lines():
    handler = JsonLines()
    logger = logging.getLogger("board.realtime")
    old_level = logger.level
    logger.addHandler(handler)
    logger.setLevel(logging.INFO)
    yield handler.lines
    logger.removeHandler(handler)
    logger.setLevel(old_level)


def test_a_sane_request_id_comes_back(client):
    response = client.get("/healthz", HTTP_X_REQUEST_ID="trace-1.2_A")
    assert response["X-Request-ID"] == "trace-1.2_A"


@pytest.mark.parametrize("given", ["", "has space", "x" * 65, 'quote"d', "line\nbreak"])
def test_an_unusable_request_id_is_replaced_by_a_new_one(client, given):
    response = client.get("/healthz", HTTP_X_REQUEST_ID=given)
    rid = response["X-Request-ID"]
    assert rid and rid != given and len(rid) <= 64


def test_each_request_without_one_gets_its_own(client):
    assert client.get("/healthz")["X-Request-ID"] != client.get("/healthz")["X-Request-ID"]


@pytest.mark.django_db(transaction=True)
def test_the_broadcast_line_of_a_patch_carries_its_request_id(api, board, json_lines):
    task = TaskFactory(board=board)
    response = api.patch(
        f"/api/tasks/{task.pk}/", {"name": "Traced"}, format="json", HTTP_X_REQUEST_ID="req-42"
    )
    assert response.status_code == 200
    broadcast = [line for line in json_lines if "broadcast" in line["message"]]
    assert len(broadcast) == 1
    assert broadcast[0]["request_id"] == "req-42"
    assert broadcast[0]["logger"] == "board.realtime"


@pytest.mark.django_db(transaction=True)
async def test_under_the_async_handler_the_id_reaches_the_broadcast_line_too(
    board, member, json_lines
):
    # daphne runs the async middleware chain and the view on a worker thread: the id must
    # cross that hop into the view and its on_commit broadcast.
    task = await sync_to_async(TaskFactory)(board=board)
    token = await sync_to_async(lambda: session_start(user=member).access)()
    response = await AsyncClient().patch(
        f"/api/tasks/{task.pk}/",
        {"name": "Async"},
        content_type="application/json",
        headers={"Authorization": f"Bearer {token}", "X-Request-ID": "async-7"},
    )
    assert response.status_code == 200
    assert response["X-Request-ID"] == "async-7"
    (line,) = [line for line in json_lines if "broadcast" in line["message"]]
    assert line["request_id"] == "async-7"


def test_a_log_line_outside_any_request_has_no_request_id(json_lines):
    logging.getLogger("board.realtime").info("no request here")
    assert "request_id" not in json_lines[-1]


@pytest.mark.django_db
def test_rest_latency_is_labelled_by_route_never_by_the_raw_path(api, board):
    task = TaskFactory(board=board)
    routes_before = _routes()
    assert api.get(f"/api/tasks/{task.pk}/").status_code == 200
    routes = _routes()
    (route,) = [r for r in routes if "tasks" in r and routes[r] > routes_before.get(r, 0)]
    assert str(task.pk) not in route
    assert (
        sample("rs_http_request_duration_seconds_count", method="GET", route=route) == routes[route]
    )
    assert not any(str(task.pk) in r.split("tasks", 1)[-1] for r in routes)


def _routes() -> dict[str, float]:
    """route label -> requests counted, for GET."""
    counts = {}
    for family in REGISTRY.collect():
        if family.name != "rs_http_request_duration_seconds":
            continue
        for s in family.samples:
            if s.name.endswith("_count") and s.labels["method"] == "GET":
                counts[s.labels["route"]] = s.value
    return counts
