"""Services tier: a daphne on MariaDB with DB_CONN_MAX_AGE=60, as deploy/ runs it.

Django's ASGI handler runs each request's sync code on a thread of its own, so a persistent
connection left open there is never reused and stays open until garbage collection; a burst
of requests then exhausted MySQL's max_connections (HTTP 500 "Too many connections" in make
bench). Sockets do their queries on Channels' one long-lived database thread, where the
persistent connection is what saves a connect per query (realtime_scrum/asgi.py)."""

import json

import pytest
from django.conf import settings
from django.db import connection
from websockets.sync.client import connect

from tests.board.conftest import token_for
from tests.factories import BoardFactory, UserFactory
from tests.support.http import HttpClient
from tests.support.servers import start_daphne

pytestmark = [pytest.mark.mysql, pytest.mark.django_db(transaction=True)]
REQUESTS = 60
SOCKETS = 15


def _connections_to(db_name: str) -> int:
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT COUNT(*) FROM information_schema.processlist WHERE db = %s AND id <> "
            "CONNECTION_ID()",
            [db_name],
        )
        return cursor.fetchone()[0]


def _connects_so_far() -> int:
    with connection.cursor() as cursor:
        cursor.execute("SHOW GLOBAL STATUS LIKE 'Connections'")
        return int(cursor.fetchone()[1])


@pytest.fixture
def server(tmp_path):
    assert connection.vendor == "mysql", "run this tier with DATABASE_URL=mysql://..."
    db = settings.DATABASES["default"]
    env = {
        "DATABASE_URL": f"mysql://{db['USER']}@{db['HOST']}:{db['PORT']}/{db['NAME']}",
        "DB_CONN_MAX_AGE": "60",  # what deploy/ sets
    }
    daphne = start_daphne(tmp_path / "daphne.log", **env)
    yield daphne
    daphne.stop()


def _get(server, path: str, token: str) -> None:
    assert HttpClient(server.base, token).get(path).status == 200


def test_requests_leave_no_connections_behind(server):
    db = settings.DATABASES["default"]
    token = token_for(UserFactory())
    for _ in range(REQUESTS):
        _get(server, "/api/boards/", token)  # a query on every request
    assert _connections_to(db["NAME"]) <= 2


def test_requests_reuse_one_connection_instead_of_connecting_each(server):
    """Each request runs on a new thread; the pool (realtime_scrum/mysql_pool) hands the
    finished request's connection to the next one instead of a connect per request."""
    token = token_for(UserFactory())
    _get(server, "/api/boards/", token)
    before = _connects_so_far()
    for _ in range(REQUESTS):
        _get(server, "/api/boards/", token)
    assert _connects_so_far() - before <= 2


def test_a_pooled_connection_that_died_is_replaced_not_served(server):
    token = token_for(UserFactory())
    _get(server, "/api/boards/", token)
    db = settings.DATABASES["default"]
    with connection.cursor() as cursor:  # what a MariaDB restart or wait_timeout does
        cursor.execute(
            "SELECT id FROM information_schema.processlist WHERE db = %s AND id <> CONNECTION_ID()",
            [db["NAME"]],
        )
        for (pid,) in cursor.fetchall():
            cursor.execute(f"KILL {int(pid)}")
    for _ in range(3):
        _get(server, "/api/boards/", token)


def test_socket_handshakes_share_one_persistent_connection(server):
    user = UserFactory()
    board = BoardFactory(owner=user)
    token = token_for(user)
    before = _connects_so_far()
    for _ in range(SOCKETS):
        with connect(f"{server.ws}/ws/boards/{board.pk}/?token={token}") as ws:
            assert json.loads(ws.recv(5))["type"] == "hello"
    # Each handshake makes several queries (session, membership, head); one connection each
    # would be 3 x SOCKETS connects or more.
    assert _connects_so_far() - before <= 3
