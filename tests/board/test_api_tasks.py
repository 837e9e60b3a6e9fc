"""Task and sprint endpoints: optimistic concurrency, the atomic move, filters, lists."""

import datetime as dt

import pytest
from django.utils import timezone

from board.models import BoardEvent, Status, Task
from tests.factories import SprintFactory, TaskFactory

pytestmark = pytest.mark.django_db
TODAY = timezone.localdate()


@pytest.fixture
def sprint(board):
    return SprintFactory(board=board, end=TODAY + dt.timedelta(days=10))


# --- optimistic concurrency ---------------------------------------------------------------


@pytest.mark.parametrize("how", ["if-match", "body"])
def test_stale_version_gets_409_with_current_row_and_changes_nothing(api, board, how):
    task = TaskFactory(board=board, name="Original")
    assert api.patch(f"/api/tasks/{task.pk}/", {"name": "First"}).json()["version"] == 2
    kwargs = {"HTTP_IF_MATCH": '"1"'} if how == "if-match" else {}
    body = {"name": "Second"} if how == "if-match" else {"name": "Second", "version": 1}
    response = api.patch(f"/api/tasks/{task.pk}/", body, **kwargs)
    assert response.status_code == 409
    assert response.json()["current"]["name"] == "First"
    assert response.json()["current"]["version"] == 2
    assert "detail" in response.json()
    task.refresh_from_db()
    assert (task.name, task.version) == ("First", 2)
    assert BoardEvent.objects.filter(board=board, name="task.updated").count() == 1


def test_fresh_version_wins_and_no_version_is_last_write_wins(api, board):
    task = TaskFactory(board=board)
    ok = api.patch(f"/api/tasks/{task.pk}/", {"name": "A"}, HTTP_IF_MATCH='"1"')
    assert ok.status_code == 200 and ok["ETag"] == '"2"'
    assert api.patch(f"/api/tasks/{task.pk}/", {"name": "B"}).status_code == 200
    assert api.get(f"/api/tasks/{task.pk}/")["ETag"] == '"3"'


def test_stale_sprint_put_and_stale_move_get_409(api, board, sprint):
    api.patch(f"/api/sprints/{sprint.pk}/", {"name": "v2"})
    body = {"board": board.pk, "name": "old", "end": str(sprint.end), "version": 1}
    response = api.put(f"/api/sprints/{sprint.pk}/", body)
    assert response.status_code == 409 and response.json()["current"]["name"] == "v2"
    task = TaskFactory(board=board, sprint=sprint)
    api.patch(f"/api/tasks/{task.pk}/", {"name": "moved on"})
    move = {"sprint": sprint.pk, "status": Status.IN_PROGRESS, "version": 1}
    assert api.post(f"/api/tasks/{task.pk}/move/", move).status_code == 409
    assert Task.objects.get(pk=task.pk).status == Status.NOT_STARTED


def test_bad_if_match_is_a_400(api, board):
    task = TaskFactory(board=board)
    response = api.patch(f"/api/tasks/{task.pk}/", {"name": "x"}, HTTP_IF_MATCH="banana")
    assert response.status_code == 400 and "If-Match" in response.json()


# --- move ----------------------------------------------------------------------------------


def _column(board, sprint, status):
    rows = Task.objects.filter(board=board, sprint=sprint, status=status).order_by("order", "pk")
    return [t.name for t in rows]


def test_move_between_columns_sets_dates_like_the_books_client(api, board, sprint):
    task = TaskFactory(board=board, sprint=sprint, name="card")
    response = api.post(
        f"/api/tasks/{task.pk}/move/", {"sprint": sprint.pk, "status": Status.IN_PROGRESS}
    )
    assert response.status_code == 200
    body = response.json()
    assert (body["status"], body["started"], body["completed"]) == (2, str(TODAY), None)
    body = api.post(f"/api/tasks/{task.pk}/move/", {"sprint": sprint.pk, "status": 4}).json()
    assert (body["started"], body["completed"]) == (str(TODAY), str(TODAY))
    body = api.post(f"/api/tasks/{task.pk}/move/", {"sprint": sprint.pk, "status": 1}).json()
    assert (body["started"], body["completed"], body["version"]) == (None, None, 4)


def test_move_within_a_column_before_and_after(api, board, sprint):
    a, b, c = (TaskFactory(board=board, sprint=sprint, name=n) for n in "abc")
    assert (
        api.post(
            f"/api/tasks/{c.pk}/move/", {"sprint": sprint.pk, "status": 1, "before": a.pk}
        ).status_code
        == 200
    )
    assert _column(board, sprint, 1) == ["c", "a", "b"]
    api.post(f"/api/tasks/{c.pk}/move/", {"sprint": sprint.pk, "status": 1, "after": a.pk})
    assert _column(board, sprint, 1) == ["a", "c", "b"]
    # Only the moved row's version changed.
    versions = dict(Task.objects.values_list("name", "version"))
    assert versions == {"a": 1, "b": 1, "c": 3}
    event = BoardEvent.objects.filter(name="task.moved").last()
    assert event.data["task"]["id"] == c.pk and event.data["reordered"] == []


def test_move_renumbers_the_column_when_no_gap_is_left(api, board, sprint):
    a = TaskFactory(board=board, sprint=sprint, name="a", order=10)
    b = TaskFactory(board=board, sprint=sprint, name="b", order=11)
    c = TaskFactory(board=board, sprint=sprint, name="c", order=500)
    response = api.post(
        f"/api/tasks/{c.pk}/move/", {"sprint": sprint.pk, "status": 1, "before": b.pk}
    )
    assert response.status_code == 200
    assert _column(board, sprint, 1) == ["a", "c", "b"]
    orders = list(Task.objects.order_by("order").values_list("order", flat=True))
    assert len(set(orders)) == 3
    event = BoardEvent.objects.get(name="task.moved")
    assert {r["id"] for r in event.data["reordered"]} <= {a.pk, b.pk}
    assert Task.objects.get(pk=a.pk).version == 1 and Task.objects.get(pk=b.pk).version == 1


def test_move_validates_rules_and_anchor(api, board, sprint):
    ended = SprintFactory(board=board, end=TODAY - dt.timedelta(days=1))
    task = TaskFactory(board=board, sprint=sprint)
    other = TaskFactory(board=board, sprint=sprint, status=Status.TESTING, started=TODAY)
    url = f"/api/tasks/{task.pk}/move/"
    assert api.post(url, {"sprint": ended.pk, "status": 1}).status_code == 400
    assert api.post(url, {"sprint": None, "status": 2}).json()["status"]
    bad_anchor = api.post(url, {"sprint": sprint.pk, "status": 1, "before": other.pk})
    assert bad_anchor.status_code == 400 and "before" in bad_anchor.json()
    assert api.post(url, {"sprint": sprint.pk, "status": 9}).status_code == 400
    task.refresh_from_db()
    assert task.version == 1 and not BoardEvent.objects.filter(name="task.moved").exists()


def test_client_op_id_is_recorded_on_the_event(api, board):
    api.post("/api/tasks/", {"board": board.pk, "name": "x"}, HTTP_X_CLIENT_OP_ID="op-42")
    assert BoardEvent.objects.get(name="task.created").client_op_id == "op-42"
    bad = api.post("/api/tasks/", {"board": board.pk, "name": "x"}, HTTP_X_CLIENT_OP_ID="a b")
    assert bad.status_code == 400


# --- filters, search, ordering, pagination -------------------------------------------------


def test_task_filters(api, board, sprint, member):
    yesterday = timezone.now() - dt.timedelta(days=1)
    a = TaskFactory(board=board, sprint=sprint, name="alpha", status=2, started=TODAY,
                    assigned=member, due=TODAY)  # fmt: skip
    b = TaskFactory(board=board, name="beta", description="mentions alpha", due=TODAY
                    + dt.timedelta(days=3))  # fmt: skip
    Task.objects.filter(pk=b.pk).update(updated_at=yesterday - dt.timedelta(days=1))

    def ids(**params):
        return [t["id"] for t in api.get("/api/tasks/", params).json()["results"]]

    assert ids(board=board.pk, ordering="name") == [a.pk, b.pk]
    assert ids(sprint=sprint.pk) == [a.pk]
    assert ids(status=2) == [a.pk]
    assert ids(assigned="member") == [a.pk]
    assert ids(backlog="true") == [b.pk]
    assert ids(backlog="false") == [a.pk]
    assert ids(due_min=str(TODAY + dt.timedelta(days=1))) == [b.pk]
    assert ids(due_max=str(TODAY)) == [a.pk]
    assert ids(modified_since=yesterday.isoformat()) == [a.pk]
    assert ids(search="alpha", ordering="name") == [a.pk, b.pk]
    assert ids(ordering="-name") == [b.pk, a.pk]
    assert api.get("/api/tasks/", {"due_min": "soon"}).status_code == 400


def test_sprint_filters(api, board):
    s1 = SprintFactory(board=board, name="one", end=TODAY + dt.timedelta(days=2))
    s2 = SprintFactory(board=board, name="two", end=TODAY + dt.timedelta(days=9))

    def ids(**params):
        return [s["id"] for s in api.get("/api/sprints/", params).json()["results"]]

    assert ids(board=board.pk) == [s1.pk, s2.pk]
    assert ids(end_min=str(TODAY + dt.timedelta(days=3))) == [s2.pk]
    assert ids(end_max=str(TODAY + dt.timedelta(days=3))) == [s1.pk]
    assert ids(search="two") == [s2.pk]
    assert ids(ordering="-end") == [s2.pk, s1.pk]


def test_pagination_defaults_to_25_and_caps_at_100(api, board):
    TaskFactory.create_batch(120, board=board)
    assert len(api.get("/api/tasks/").json()["results"]) == 25
    assert len(api.get("/api/tasks/", {"page_size": 500}).json()["results"]) == 100
    assert api.get("/api/tasks/", {"page_size": 10, "page": 12}).json()["next"] is None


@pytest.mark.parametrize(
    "url", ["/api/tasks/", "/api/sprints/", "/api/boards/", "/api/users/", "members"]
)
def test_list_query_count_does_not_grow_with_rows(
    api, board, member, url, django_assert_max_num_queries
):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from tests.factories import BoardFactory, MembershipFactory, UserFactory

    if url == "members":
        url = f"/api/boards/{board.pk}/members/"

    def grow(n):
        for i in range(n):
            sprint = SprintFactory(board=board)
            TaskFactory(board=board, sprint=sprint, assigned=member)
            MembershipFactory(board=board, user=UserFactory())
            MembershipFactory(board=BoardFactory(), user=member)

    def count():
        with CaptureQueriesContext(connection) as ctx:
            assert api.get(url, {"page_size": 100}).status_code == 200
        return len(ctx)

    count()  # warm the session cache: the per-request auth check is a cache hit after this
    grow(5)
    small = count()
    grow(45)
    with django_assert_max_num_queries(small):
        api.get(url, {"page_size": 100})
    assert count() == small


def test_overlong_fields_are_field_errors(api, board):
    response = api.post("/api/tasks/", {"board": board.pk, "name": "n" * 101})
    assert response.status_code == 400 and "name" in response.json()
    body = {"board": board.pk, "name": "ok", "description": "d" * 20_001}
    response = api.post("/api/tasks/", body)
    assert response.status_code == 400 and "description" in response.json()
    assert not Task.objects.exists()


def test_a_patch_reads_the_tasks_labels_once(api, board, sprint):
    """The event's values and the response both carry the labels: one query for both."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from board.models import Label

    task = TaskFactory(board=board, sprint=sprint)
    task.labels.set(
        [Label.objects.create(board=board, name="Bug", name_key="bug", color="#d62728")]
    )
    with CaptureQueriesContext(connection) as ctx:
        response = api.patch(f"/api/tasks/{task.pk}/", {"name": "renamed"})
    assert response.status_code == 200
    assert response.json()["labels"] == [task.labels.get().pk]
    event = BoardEvent.objects.filter(board=board).latest("seq")
    assert event.data["labels"] == response.json()["labels"]
    label_reads = [q["sql"] for q in ctx.captured_queries if "task_labels" in q["sql"]]
    assert len(label_reads) == 1, label_reads
