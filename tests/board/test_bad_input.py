"""Bad input gets a clear JSON answer (400 with field messages, 404, 413), never a 500 or one of
Django's HTML pages: deep JSON, oversized bodies, ids past 64 bits, date-times that overflow
converting to UTC. Issue 14; every case was a 500 or an HTML page from an outside tester's run.

Runs in the unit tier (SQLite, where big ints raised OverflowError) and in the services tier
(MariaDB, where the same requests must give the same answers)."""

import pytest
from django.conf import settings
from rest_framework.test import APIClient

from tests.conftest import client_for
from tests.factories import MembershipFactory, SprintFactory, TaskFactory, UserFactory

MAX_ID = 2**63 - 1
DEEP_JSON = ["[" * 5000, '{"a": ' * 5000]
# Past 64 bits, just past BigAutoField's range, a float NumberFilter parsed as a Decimal, ...
BAD_IDS = [
    "99999999999999999999",
    "-99999999999999999999",
    str(MAX_ID + 1),
    "-3.9e66",
    "1.5",
    "1e3",
    "abc",
    "0",
    "9" * 5000,
]


def _json(response) -> dict:
    assert response["Content-Type"].startswith("application/json"), (
        response.status_code,
        response["Content-Type"],
        response.content[:200],
    )
    return response.json()


@pytest.fixture
def task(board):
    return TaskFactory(board=board, sprint=SprintFactory(board=board), name="t")


@pytest.fixture
def owner_api(owner):
    return client_for(owner)


# --- request bodies ------------------------------------------------------------------------


@pytest.mark.parametrize("body", DEEP_JSON, ids=["deep-array", "deep-object"])
@pytest.mark.parametrize(
    "path", ["/api/auth/login/", "/api/auth/signup/", "/api/auth/password/reset/"]
)
def test_deeply_nested_json_to_a_public_endpoint_is_a_json_parse_error(db, path, body):
    response = APIClient().post(path, body, content_type="application/json")
    assert response.status_code == 400
    assert _json(response)["detail"].startswith("JSON parse error - ")


@pytest.mark.parametrize("body", DEEP_JSON, ids=["deep-array", "deep-object"])
def test_deeply_nested_json_to_every_kind_of_write_is_a_json_parse_error(
    owner_api, board, task, body
):
    writes = [
        ("post", "/api/boards/"),
        ("patch", f"/api/boards/{board.pk}/"),
        ("post", f"/api/boards/{board.pk}/members/"),
        ("post", "/api/sprints/"),
        ("post", "/api/tasks/"),
        ("patch", f"/api/tasks/{task.pk}/"),
        ("put", f"/api/tasks/{task.pk}/"),
        ("post", f"/api/tasks/{task.pk}/move/"),
        ("patch", "/api/auth/me/"),
    ]
    for method, path in writes:
        response = getattr(owner_api, method)(path, body, content_type="application/json")
        assert response.status_code == 400, (method, path, response.status_code)
        assert _json(response)["detail"].startswith("JSON parse error - "), (method, path)


TOO_BIG = "x" * (settings.DATA_UPLOAD_MAX_MEMORY_SIZE * 4)  # 10 MB with Django's default 2.5 MB


@pytest.mark.parametrize(
    "path", ["/api/auth/login/", "/api/auth/signup/", "/api/auth/password/reset/"]
)
def test_a_body_over_the_upload_limit_is_413_json(db, path):
    response = APIClient().post(path, TOO_BIG, content_type="application/json")
    assert response.status_code == 413
    assert _json(response) == {"detail": "The request body is too large."}


def test_a_body_over_the_limit_is_413_json_for_a_logged_in_write_and_the_row_is_untouched(
    owner_api, task
):
    response = owner_api.patch(f"/api/tasks/{task.pk}/", TOO_BIG, content_type="application/json")
    assert response.status_code == 413
    assert _json(response)["detail"] == "The request body is too large."
    task.refresh_from_db()
    assert (task.name, task.version) == ("t", 1)


def test_a_body_over_the_limit_is_413_even_when_the_client_asks_for_html(owner_api, task):
    # The browsable renderer reads request.data again to build its forms: that second read
    # must not raise RequestDataTooBig again (a 500).
    response = owner_api.patch(
        f"/api/tasks/{task.pk}/", TOO_BIG, content_type="application/json", HTTP_ACCEPT="text/html"
    )
    assert response.status_code == 413


@pytest.mark.parametrize("body", DEEP_JSON, ids=["deep-array", "deep-object"])
def test_deeply_nested_json_to_the_pages_session_endpoint_is_a_clear_400(db, body):
    response = APIClient().post("/app/session/", body, content_type="application/json")
    assert response.status_code == 400 and "refresh" in _json(response)


def test_a_body_over_the_limit_to_the_pages_json_session_endpoint_is_413_json(db):
    # frontend/views.py reads the body itself (no DRF): Django's handler400 answers it.
    response = APIClient().post("/app/session/", TOO_BIG, content_type="application/json")
    assert response.status_code == 413
    assert _json(response) == {"detail": "The request body is too large."}


def test_a_form_body_with_too_many_fields_is_400_json(db):
    fields = settings.DATA_UPLOAD_MAX_NUMBER_FIELDS + 1
    body = "&".join(f"f{n}=1" for n in range(fields))
    response = APIClient().post(
        "/api/auth/login/", body, content_type="application/x-www-form-urlencoded"
    )
    assert response.status_code == 400
    assert "detail" in _json(response)


# --- query strings -------------------------------------------------------------------------


@pytest.mark.parametrize("value", BAD_IDS)
@pytest.mark.parametrize(
    "path, name", [("/api/tasks/", "board"), ("/api/tasks/", "sprint"), ("/api/sprints/", "board")]
)
def test_an_id_filter_outside_1_to_2_63_or_not_whole_is_400_with_a_field_message(
    api, task, path, name, value
):
    response = api.get(path, {name: value})
    assert response.status_code == 400, (response.status_code, response.content[:200])
    body = _json(response)
    assert list(body) == [name] and body[name], body


def test_id_filters_still_filter(api, board, task):
    assert [t["id"] for t in api.get("/api/tasks/", {"board": board.pk}).json()["results"]] == [
        task.pk
    ]
    assert api.get("/api/tasks/", {"sprint": task.sprint_id}).json()["count"] == 1
    assert api.get("/api/tasks/", {"board": MAX_ID}).json()["count"] == 0
    assert api.get("/api/sprints/", {"board": str(board.pk)}).json()["count"] == 1


@pytest.mark.parametrize(
    "value", ["9999-12-31T23:59:59-14:00", "0001-01-01T00:00:00+14:00", "9999-12-31T23:59:59-00:01"]
)
def test_modified_since_that_overflows_utc_is_400_with_a_field_message(api, task, value):
    response = api.get("/api/tasks/", {"modified_since": value})
    assert response.status_code == 400
    assert _json(response) == {
        "modified_since": ["Enter a date and time between 0001-01-01 and 9999-12-31 in UTC."]
    }


@pytest.mark.parametrize(
    "value, count",
    [("0001-01-01T00:00:00Z", 1), ("0001-01-01T00:00:00", 1), ("9999-12-31T23:59:59Z", 0),
     ("9999-12-31T23:59:59+14:00", 0), ("0001-01-01T23:59:59-00:30", 1)],
)  # fmt: skip
def test_modified_since_at_the_ends_of_the_utc_range_still_filters(api, task, value, count):
    response = api.get("/api/tasks/", {"modified_since": value})
    assert response.status_code == 200, response.content[:200]
    assert response.json()["count"] == count


@pytest.mark.parametrize(
    "path, name",
    [("/api/tasks/", "due_min"), ("/api/tasks/", "due_max"), ("/api/tasks/", "modified_since"),
     ("/api/sprints/", "end_min"), ("/api/sprints/", "end_max")],
)  # fmt: skip
@pytest.mark.parametrize(
    "value", ["99999-01-01", "2025-02-30", "-0001-01-01", "1e400", "9" * 5000, "2025-13-01T00:00"]
)
def test_a_malformed_date_filter_is_400_with_a_field_message(api, task, path, name, value):
    # A guard beside the overflow fix: these were 400s already (forms reject them).
    response = api.get(path, {name: value})
    assert response.status_code == 400
    assert list(_json(response)) == [name]


def test_the_schema_documents_id_filters_as_64_bit_ids(db):
    schema = APIClient().get("/api/schema/", HTTP_ACCEPT="application/json").json()
    for path, name in [
        ("/api/tasks/", "board"),
        ("/api/tasks/", "sprint"),
        ("/api/sprints/", "board"),
    ]:
        (param,) = [p for p in schema["paths"][path]["get"]["parameters"] if p["name"] == name]
        assert param["schema"] == {"type": "integer", "minimum": 1, "maximum": MAX_ID}, param


# --- path ids ------------------------------------------------------------------------------


@pytest.mark.parametrize("user_id", ["99999999999999999999", str(MAX_ID + 1), "0", "abc", "-1"])
@pytest.mark.parametrize("method", ["patch", "delete"])
def test_a_member_id_outside_the_id_range_is_a_json_404(owner_api, board, member, method, user_id):
    response = getattr(owner_api, method)(
        f"/api/boards/{board.pk}/members/{user_id}/", {"role": "viewer"}
    )
    assert response.status_code == 404
    assert _json(response) == {"detail": "Not found."}
    assert board.memberships.filter(user=member).get().role == "member"


@pytest.mark.parametrize("board_id", ["99999999999999999999", str(MAX_ID + 1), "1.5", "abc"])
def test_a_board_id_outside_the_id_range_in_member_routes_is_a_json_404(
    owner_api, member, board_id
):
    for method, path, body in [
        ("get", f"/api/boards/{board_id}/members/", None),
        ("post", f"/api/boards/{board_id}/members/", {"username": "member"}),
        ("patch", f"/api/boards/{board_id}/members/{member.pk}/", {"role": "viewer"}),
        ("delete", f"/api/boards/{board_id}/members/{member.pk}/", None),
    ]:
        response = getattr(owner_api, method)(path, body)
        assert response.status_code == 404, (method, path, response.status_code)
        assert _json(response) == {"detail": "Not found."}


def test_member_routes_still_work_at_the_top_of_the_range(owner_api, board, member):
    path = f"/api/boards/{board.pk}/members/{member.pk}/"
    assert owner_api.patch(path, {"role": "viewer"}).status_code == 200
    assert (
        owner_api.patch(f"/api/boards/{board.pk}/members/{MAX_ID}/", {"role": "viewer"}).status_code
        == 404
    )
    assert owner_api.delete(path).status_code == 204


def test_an_api_path_no_route_matches_is_a_json_404(api):
    for path in ["/api/nope/", "/api/boards/1/nope/", "/api/tasks/1/2/3/"]:
        response = api.get(path)
        assert response.status_code == 404, path
        assert _json(response) == {"detail": "Not found."}


def test_a_page_path_no_route_matches_is_still_the_html_404(db):
    response = APIClient().get("/no-such-page/")
    assert response.status_code == 404
    assert response["Content-Type"].startswith("text/html")


BIG = 10**20


def test_no_endpoint_answers_a_big_or_malformed_id_with_a_500_or_html(owner_api, board, task):
    """The sweep: every id a client can put in a path, a query string or a body, past 64 bits
    and malformed. Row-specific answers are asserted above; here only that each one is JSON and
    a 4xx (or a 2xx where the id is simply not found, like events `after` clamping)."""
    user = UserFactory(username="addable")
    MembershipFactory(board=board, user=UserFactory(username="other"))
    sprint = task.sprint
    requests = []
    for bad in [str(BIG), str(-BIG), str(MAX_ID + 1), "-3.9e66", "1.5", "abc"]:
        for kind in ["boards", "sprints", "tasks", "users", "notifications"]:
            row = f"/api/{kind}/{bad}/"
            requests += [("get", row, None), ("delete", row, None), ("patch", row, {"name": "x"})]
        requests += [
            ("get", f"/api/boards/{bad}/snapshot/", None),
            ("get", f"/api/boards/{bad}/events/", None),
            ("get", f"/api/boards/{board.pk}/events/?after={bad}", None),
            ("get", f"/api/boards/{board.pk}/events/?limit={bad}", None),
            ("post", f"/api/tasks/{bad}/move/", {"sprint": sprint.pk, "status": 2}),
            ("post", f"/api/notifications/{bad}/read/", None),
            ("get", f"/api/boards/{bad}/members/", None),
            ("post", f"/api/boards/{bad}/members/", {"username": user.username}),
            ("patch", f"/api/boards/{board.pk}/members/{bad}/", {"role": "viewer"}),
            ("delete", f"/api/boards/{board.pk}/members/{bad}/", None),
            ("get", f"/api/tasks/?page={bad}", None),
            ("get", f"/api/tasks/?page_size={bad}", None),
            ("get", f"/api/tasks/?status={bad}", None),
            ("get", f"/api/users/?page={bad}", None),
            ("get", f"/api/notifications/?kind={bad}", None),
        ]
    for value in [BIG, -BIG, MAX_ID + 1, -3.9e66, 1.5, "abc"]:
        for field in ["before", "after", "sprint", "status", "version"]:
            body = {"sprint": sprint.pk, "status": 2, field: value}
            requests.append(("post", f"/api/tasks/{task.pk}/move/", body))
        for field in ["board", "sprint", "version", "status", "assigned"]:
            requests.append(("patch", f"/api/tasks/{task.pk}/", {field: value}))
            requests.append(("post", "/api/tasks/", {"board": board.pk, "name": "n", field: value}))
        for field in ["board", "version"]:
            requests.append(("patch", f"/api/sprints/{sprint.pk}/", {field: value}))
        requests.append(("patch", f"/api/tasks/{task.pk}/", {"name": "n"}))
    bad_answers = []
    for method, path, body in requests:
        response = getattr(owner_api, method)(path, body, format="json")
        ctype = response.get("Content-Type", "")
        if response.status_code >= 500 or not ctype.startswith("application/json"):
            bad_answers.append((method, path, body, response.status_code, ctype))
    assert bad_answers == []
