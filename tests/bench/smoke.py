"""The bench's correctness subset, run by `make test` (test-bench-smoke), not by the tiers'
plain pytest runs (this file is not named test_*.py).

- B1 at N=20 and B5 at 20 sockets x 100 changes through the real harness (a pinned daphne on
  MariaDB + a private Redis): every event reaches every socket, in order, exactly once.
- B1's peers (nginx + nchan, raw websockets, Socket.IO 4, the app) at 20 sockets each: each
  one starts and delivers every event, so the peers and what they install do not rot.
- B6's endpoints: SQL queries per request do not grow with the board's rows.
- B7 at 200 users x 2,000 tasks: every due digest mailed once, SQL queries within the bound.
- B8 on a 2,000-event log: burndown and an old snapshot within their SQL query bounds.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from tests.conftest import client_for
from tests.factories import BoardFactory, TaskFactory, UserFactory

ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture(scope="module")
def smoke_run(tmp_path_factory):
    out = tmp_path_factory.mktemp("bench-smoke")
    cmd = [sys.executable, "-m", "tests.bench.run", "--smoke", "--out", str(out)]
    env = {k: v for k, v in os.environ.items() if k not in ("DATABASE_URL", "REDIS_URL")}
    env.pop("DJANGO_SETTINGS_MODULE", None)
    proc = subprocess.run(cmd, cwd=ROOT, env=env, capture_output=True, text=True, timeout=300)
    assert proc.returncode == 0, proc.stdout[-3000:] + proc.stderr[-3000:]
    return json.loads((out / "latest.json").read_text())


def test_b1_every_socket_gets_every_event(smoke_run):
    (row,) = smoke_run["B1"]
    assert row["n"] == 20
    assert row["app_summary"]["delivered_pct"] == 100.0
    assert row["raw_summary"]["delivered_pct"] == 100.0
    assert row["app_disorder"] == 0
    assert row["app_open_at_end"] == 20


def test_peers_each_deliver_every_event_to_every_socket(smoke_run):
    """nginx + nchan, raw websockets, Socket.IO 4 and the app, 20 sockets each: every server
    starts (its packages installed) and the generator's framing for it counts every event."""
    servers = smoke_run["PEERS"]["servers"]
    assert sorted(servers) == ["app", "nchan", "raw", "socketio"]
    for name, row in servers.items():
        assert row["delivered_pct"] == 100.0, (name, row["rounds"])
        assert row["disorder"] == 0, name
        assert row["open_at_end"] == 20, name


def test_b5_burst_reaches_every_socket_complete_and_in_order(smoke_run):
    b5 = smoke_run["B5"]
    assert b5["patch_ok"] == b5["changes"]
    assert b5["all_complete"], b5
    assert b5["disorder"] == 0


def test_b7_digest_mails_every_due_user_with_bounded_queries(smoke_run):
    b7 = smoke_run["B7"]
    assert b7["digests"] == b7["mails"] == b7["digests_expected"] > 0
    assert b7["queries"] <= b7["query_bound"]


def test_b8_reports_from_a_real_log_with_bounded_queries(smoke_run):
    b8 = smoke_run["B8"]
    assert b8["events"] == 2000 and b8["days"] == 14
    assert b8["burndown_queries"] <= b8["burndown_query_bound"]
    assert b8["snapshot_queries"] <= b8["snapshot_query_bound"]


def _queries(client, method: str, url: str, body=None) -> int:
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as ctx:
        response = getattr(client, method)(url, body, format="json")
    assert response.status_code == 200, response.content[:300]
    return len(ctx)


@pytest.mark.django_db
def test_b6_queries_per_request_do_not_grow_with_rows():
    owner = UserFactory()
    board = BoardFactory(owner=owner)
    api = client_for(owner)
    task = TaskFactory(board=board, assigned=owner)
    list_url = f"/api/tasks/?board={board.pk}&page_size=50"
    patch_url = f"/api/tasks/{task.pk}/"
    _queries(api, "get", list_url)  # warm the session cache (one read, then cache hits)
    TaskFactory.create_batch(4, board=board, assigned=owner)
    small = (_queries(api, "get", list_url), _queries(api, "patch", patch_url, {"name": "a"}))
    TaskFactory.create_batch(45, board=board, assigned=owner)
    big = (_queries(api, "get", list_url), _queries(api, "patch", patch_url, {"name": "b"}))
    assert big == small
