"""The read replica's router (realtime_scrum/db_router.py), on a replica alias that mirrors the
test database: which alias each kind of read uses, that writes and access checks never use
the replica, and when a user's reads fall back to the primary (their own write not applied
yet, the replica unreachable, a row it has not got yet). Lag itself is real only in the
system tier (tests/system/test_replica.py, the replica's SQL thread stopped)."""

from __future__ import annotations

import copy
import datetime as dt
import json
import os
import subprocess
import sys

import pytest
from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.exceptions import ObjectDoesNotExist
from django.db import OperationalError, connections
from django.test.utils import CaptureQueriesContext, override_settings
from django.utils import timezone

from board import services
from board.models import Role, Task
from board.services import Actor
from realtime_scrum import db_router
from realtime_scrum.cache import shared_cache
from tests.conftest import client_for
from tests.factories import UserFactory
from tests.support.servers import ROOT

PRIMARY, REPLICA = db_router.PRIMARY, db_router.REPLICA
ROUTED = {"DATABASE_ROUTERS": ["realtime_scrum.db_router.ReplicaRouter"]}
pytestmark = pytest.mark.django_db(transaction=True, databases=[PRIMARY, REPLICA])


@pytest.fixture(scope="module", autouse=True)
def replica_alias(django_db_setup, django_db_blocker):
    """A "replica" alias on the test database, as settings.py makes it from
    DATABASE_REPLICA_URL with TEST MIRROR: a second connection that sees committed rows."""
    primary = connections[PRIMARY].settings_dict
    replica = {**copy.deepcopy(primary), "TEST": {**primary["TEST"], "MIRROR": PRIMARY}}
    with pytest.MonkeyPatch.context() as patch:
        patch.setitem(settings.DATABASES, REPLICA, replica)
        if connections.settings is not settings.DATABASES:
            patch.setitem(connections.settings, REPLICA, replica)
        with override_settings(**ROUTED):
            yield
        connections[REPLICA].close()
        del connections[REPLICA]


@pytest.fixture(autouse=True)
def clean_state():
    db_router._skip_until = 0.0
    yield
    db_router._skip_until = 0.0
    # Only the positions this test kept: the services tier's cache is a Redis db it shares.
    users = get_user_model().objects.values_list("pk", flat=True)
    shared_cache.delete_many([db_router._key(pk) for pk in users])


@pytest.fixture
def board_data():
    """A board with one of everything a list or report shows, and an outsider."""
    owner, member = UserFactory(), UserFactory()
    actor = Actor(owner)
    board = services.board_create(actor=actor, name="Replica", timezone="UTC")
    services.member_add(actor=actor, board_id=board.pk, user=member, role=Role.MEMBER)
    today = timezone.localdate()
    sprint = services.sprint_create(
        actor=actor, board_id=board.pk, name="S", start=today, end=today + dt.timedelta(7)
    )
    services.sprint_start(actor=actor, sprint_id=sprint.pk)
    task = services.task_create(actor=actor, board_id=board.pk, name="first", sprint=sprint)
    services.label_create(actor=actor, board_id=board.pk, name="bug", color="#aa0000")
    services.comment_create(actor=actor, task_id=task.pk, body="hello")
    services.checklist_item_create(actor=actor, task_id=task.pk, text="step")
    return {"owner": owner, "member": member, "board": board, "sprint": sprint, "task": task}


def _get(client, url: str):
    """The response and the statements each alias ran for it."""
    with (
        CaptureQueriesContext(connections[PRIMARY]) as primary,
        CaptureQueriesContext(connections[REPLICA]) as replica,
    ):
        response = client.get(url)
    assert response.status_code == 200, response.content[:300]
    return response, [q["sql"] for q in primary], [q["sql"] for q in replica]


def _tables(sqls: list[str], *names: str) -> list[str]:
    return [sql for sql in sqls if any(f'"{n}"' in sql or f"`{n}`" in sql for n in names)]


def _list_urls(data) -> dict[str, str]:
    board, sprint, task = data["board"].pk, data["sprint"].pk, data["task"].pk
    return {
        "tasks": f"/api/tasks/?board={board}",
        "sprints": f"/api/sprints/?board={board}",
        "labels": f"/api/boards/{board}/labels/",
        "comments": f"/api/tasks/{task}/comments/",
        "checklist": f"/api/tasks/{task}/checklist/",
        "activity": f"/api/tasks/{task}/activity/",
        "burndown": f"/api/sprints/{sprint}/burndown/",
        "velocity": f"/api/boards/{board}/velocity/",
    }


def test_lists_and_reports_read_their_rows_from_the_replica(board_data):
    client = client_for(board_data["member"])
    content = {
        "tasks": "board_task", "sprints": "board_sprint", "labels": "board_label",
        "comments": "board_comment", "checklist": "board_checklistitem",
        "activity": "board_boardevent", "burndown": "board_boardevent",
        "velocity": "board_sprint",
    }  # fmt: skip
    for name, url in _list_urls(board_data).items():
        response, primary, replica = _get(client, url)
        assert _tables(replica, content[name]), (name, replica)
        assert not _tables(primary, content[name]), (name, primary)
        # Who may read which board is asked of the primary only.
        assert not _tables(replica, "board_membership", "accounts_user_session"), (name, replica)
    body = client.get(f"/api/tasks/?board={board_data['board'].pk}").json()
    assert [t["name"] for t in body["results"]] == ["first"]


def test_membership_decides_on_the_primary_before_the_replica_is_read(board_data):
    client = client_for(board_data["member"])
    _, primary, replica = _get(client, "/api/tasks/")
    assert _tables(primary, "board_membership"), primary
    # The rows are fetched by literal board ids, not through a membership subquery.
    [rows] = [s for s in _tables(replica, "board_task") if not s.startswith("SELECT COUNT")]
    assert "board_membership" not in rows
    assert f"IN ({board_data['board'].pk})" in rows


def test_an_outsider_reads_no_rows_through_the_replica(board_data):
    outsider = client_for(UserFactory())
    board = board_data["board"].pk
    assert outsider.get(f"/api/tasks/?board={board}").json()["results"] == []
    for url in (f"/api/boards/{board}/labels/", f"/api/tasks/{board_data['task'].pk}/comments/"):
        with CaptureQueriesContext(connections[REPLICA]) as replica:
            assert outsider.get(url).status_code == 404
        assert len(replica) == 0, url


def test_snapshots_time_travel_writes_and_detail_reads_stay_on_the_primary(board_data):
    client = client_for(board_data["owner"])
    board, task = board_data["board"], board_data["task"]
    with CaptureQueriesContext(connections[REPLICA]) as replica:
        assert client.get(f"/api/boards/{board.pk}/snapshot/").status_code == 200
        assert client.get(f"/api/boards/{board.pk}/snapshot/?seq=2").status_code == 200
        assert client.get(f"/api/boards/{board.pk}/events/?after=0").status_code == 200
        assert client.get(f"/api/tasks/{task.pk}/").status_code == 200
        assert client.get("/api/boards/").status_code == 200
        assert client.get(f"/api/boards/{board.pk}/members/").status_code == 200
        made = client.post("/api/tasks/", {"board": board.pk, "name": "second"})
        assert made.status_code == 201, made.content
        moved = client.patch(f"/api/tasks/{task.pk}/", {"name": "renamed"})
        assert moved.status_code == 200, moved.content
    assert len(replica) == 0, [q["sql"] for q in replica]


def test_the_router_never_writes_to_the_replica():
    router = db_router.ReplicaRouter()
    token = db_router._reading_replica.set(True)
    try:
        assert router.db_for_read(Task) == REPLICA
        assert router.db_for_write(Task) == PRIMARY
        from board.models import Board, Membership

        assert router.db_for_read(Membership) == PRIMARY
        assert router.db_for_read(Board) == PRIMARY
    finally:
        db_router._reading_replica.reset(token)
    assert router.db_for_read(Task) == PRIMARY  # outside a marked handler
    assert router.allow_migrate(REPLICA, "board") is False


@pytest.fixture
def gtids(monkeypatch):
    """The GTID functions faked: the primary's position counts up per write, the replica
    has applied what `applied` says."""
    state = {"written": 0, "applied": 0, "asked": []}

    def primary_gtid() -> str:
        state["written"] += 1
        return f"0-1-{state['written']}"

    def replica_has(gtid: str) -> bool:
        state["asked"].append(gtid)
        return int(gtid.rsplit("-", 1)[1]) <= state["applied"]

    monkeypatch.setattr(db_router, "primary_gtid", primary_gtid)
    monkeypatch.setattr(db_router, "replica_has", replica_has)
    middleware = [*settings.MIDDLEWARE, "realtime_scrum.db_router.ReadYourWritesMiddleware"]
    with override_settings(MIDDLEWARE=middleware):
        yield state


def _served_by_replica(client, url: str) -> bool:
    _, _, replica = _get(client, url)
    return bool(_tables(replica, "board_task"))


def test_a_writer_reads_the_primary_until_the_replica_has_their_write(board_data, gtids):
    board = board_data["board"].pk
    writer, other = client_for(board_data["owner"]), client_for(board_data["member"])
    url = f"/api/tasks/?board={board}"
    assert _served_by_replica(writer, url)
    made = writer.post("/api/tasks/", {"board": board, "name": "n"})
    assert made.status_code == 201, made.content
    assert gtids["written"] == 1
    assert not _served_by_replica(writer, url)  # 0-1-1 not applied: the primary answers
    assert gtids["asked"] == ["0-1-1"]
    assert _served_by_replica(other, url)  # the others never wrote: they may lag
    gtids["applied"] = 1
    assert _served_by_replica(writer, url)


def test_only_requests_that_may_have_written_are_remembered(board_data, gtids):
    client = client_for(board_data["owner"])
    task = board_data["task"].pk
    client.get(f"/api/tasks/{task}/")
    assert client.patch(f"/api/tasks/{task}/", {"status": 99}).status_code == 400
    assert gtids["written"] == 0  # a read and a refused write leave nothing to wait for
    assert client.patch(f"/api/tasks/{task}/", {"name": "x"}).status_code == 200
    assert gtids["written"] == 1
    key = db_router._key(board_data["owner"].pk)
    assert shared_cache.get(key) == "0-1-1"


def test_an_unreachable_replica_sends_lists_to_the_primary_and_is_skipped_a_while(
    board_data, monkeypatch
):
    replica = connections[REPLICA]
    replica.close()
    # Django keeps an in-memory SQLite database's connection open through close().
    monkeypatch.setattr(replica, "connection", None)
    connects = []

    def refused(params):
        connects.append(1)
        raise OperationalError('(2003, "Can\'t connect to MySQL server")')

    monkeypatch.setattr(replica, "get_new_connection", refused)
    client = client_for(board_data["member"])
    url = f"/api/tasks/?board={board_data['board'].pk}"
    for _ in range(3):
        with CaptureQueriesContext(connections[PRIMARY]) as primary:
            response = client.get(url)
        assert response.status_code == 200 and response.json()["count"] == 1
        assert _tables([q["sql"] for q in primary], "board_task")
    assert len(connects) == 1  # skipped for DB_REPLICA_RETRY_SECONDS after the first failure
    db_router._skip_until = 0.0
    client.get(url)
    assert len(connects) == 2


def test_a_row_the_replica_has_not_got_yet_is_read_from_the_primary():
    seen = []

    class View:
        @db_router.replica_reads
        def get(self, request):
            seen.append(db_router.reading_replica())
            if db_router.reading_replica():
                raise Task.DoesNotExist
            return "from the primary"

    request = type("Request", (), {"user": UserFactory()})()
    assert View().get(request) == "from the primary"
    assert seen == [True, False]
    assert not db_router.reading_replica()


def test_a_missing_row_on_the_primary_too_is_still_an_error():
    class View:
        @db_router.replica_reads
        def get(self, request):
            raise Task.DoesNotExist

    request = type("Request", (), {"user": UserFactory()})()
    with pytest.raises(ObjectDoesNotExist):
        View().get(request)


def test_a_cache_outage_sends_marked_reads_to_the_primary(board_data, monkeypatch):
    from realtime_scrum import cache

    monkeypatch.setattr(cache.outage, "down_since", 1.0)
    monkeypatch.setattr(cache.outage, "_next_probe", float("inf"))
    client = client_for(board_data["member"])
    _, primary, replica = _get(client, f"/api/tasks/?board={board_data['board'].pk}")
    assert _tables(primary, "board_task") and not replica


@pytest.mark.parametrize("url", ["", "mysql://u@127.0.0.1:3307/app"])
def test_settings_give_the_replica_the_primarys_engine_options_and_mirror_it(url):
    """Read from a fresh settings import: DATABASE_REPLICA_URL adds the alias, the router and
    the middleware; without it nothing of that exists."""
    code = (
        "import json; from realtime_scrum import settings as s; "
        "print(json.dumps({'dbs': s.DATABASES, 'routers': getattr(s, 'DATABASE_ROUTERS', []),"
        " 'mw': s.MIDDLEWARE[-1]}, default=str))"
    )
    env = {
        **os.environ, "DJANGO_READ_DOT_ENV_FILE": "false", "DJANGO_DEBUG": "true",
        "DATABASE_URL": "mysql://u@127.0.0.1:3306/app", "DATABASE_REPLICA_URL": url,
    }  # fmt: skip
    out = subprocess.run(
        [sys.executable, "-c", code], env=env, cwd=ROOT, capture_output=True, text=True, check=True
    )
    found = json.loads(out.stdout)
    if not url:
        assert set(found["dbs"]) == {PRIMARY} and found["routers"] == []
        assert "db_router" not in found["mw"]
        return
    primary, replica = found["dbs"][PRIMARY], found["dbs"][REPLICA]
    assert replica["ENGINE"] == primary["ENGINE"] == "realtime_scrum.mysql_pool"
    assert replica["PORT"] == 3307 and replica["TEST"] == {"MIRROR": PRIMARY}
    assert {k: v for k, v in replica["OPTIONS"].items() if k != "connect_timeout"} == primary[
        "OPTIONS"
    ]
    assert found["routers"] == ["realtime_scrum.db_router.ReplicaRouter"]
    assert found["mw"] == "realtime_scrum.db_router.ReadYourWritesMiddleware"
