"""Services tier: a daphne on MariaDB keeps no database connection per past request.

Django under ASGI runs each request's sync code on a thread of its own, so a "persistent"
connection (CONN_MAX_AGE > 0) is never reused and stays open until garbage collection; a
burst of requests then exhausts MySQL's max_connections and requests fail with HTTP 500
("Too many connections", seen in make bench). Django's docs: disable persistent connections
under ASGI. This holds for the deploy setting DB_CONN_MAX_AGE=60 too."""

import urllib.request

import pytest
from django.conf import settings
from django.db import connection

from tests.board.conftest import token_for
from tests.factories import UserFactory
from tests.live import Daphne

pytestmark = [pytest.mark.mysql, pytest.mark.django_db(transaction=True)]
REQUESTS = 60


def _connections_to(db_name: str) -> int:
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT COUNT(*) FROM information_schema.processlist WHERE db = %s AND id <> "
            "CONNECTION_ID()",
            [db_name],
        )
        return cursor.fetchone()[0]


def test_requests_leave_no_connections_behind(tmp_path):
    assert connection.vendor == "mysql", "run this tier with DATABASE_URL=mysql://..."
    db = settings.DATABASES["default"]
    token = token_for(UserFactory())
    env = {
        "DATABASE_URL": f"mysql://{db['USER']}@{db['HOST']}:{db['PORT']}/{db['NAME']}",
        "DB_CONN_MAX_AGE": "60",  # what deploy/ sets
    }
    server = Daphne(env, tmp_path / "daphne.log")
    try:
        for _ in range(REQUESTS):
            request = urllib.request.Request(
                f"{server.base}/api/auth/me/", headers={"Authorization": f"Bearer {token}"}
            )
            with urllib.request.urlopen(request, timeout=10) as response:  # noqa: S310
                assert response.status == 200
        assert _connections_to(db["NAME"]) <= 2
    finally:
        server.stop()
