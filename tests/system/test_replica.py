"""A MariaDB primary and a real replica (SPEC sections 9 and 14; realtime_scrum/db_router.py):
lists and reports read the replica, snapshots, replay, writes and membership checks the
primary, and a writer reads their own writes. Lag is made real by stopping the replica's SQL
thread: it keeps receiving the primary's binlog and applies none of it until started again.

Everything goes through nginx and two daphnes, so a write through one daphne and the
writer's next list through the other meet only in the shared cache (Redis)."""

from __future__ import annotations

import secrets

import pytest

from tests.support.http import HttpClient

from .conftest import create_user, running
from .replica_stack import ReplicaStack

CATCH_UP_S = 30.0  # START SLAVE SQL_THREAD until the lagging reader sees the write
BURST = 30  # list requests per measurement


@pytest.fixture(scope="module")
def pair():
    yield from running(ReplicaStack())


@pytest.fixture(scope="module")
def people(pair) -> dict[str, HttpClient]:
    """ann owns the boards, ben and cat are members."""
    clients = {}
    for name in ("ann", "ben", "cat"):
        clients[name] = HttpClient(pair.base_url, create_user(pair, name)["access"])
    return clients


@pytest.fixture
def board(pair, people) -> dict:
    """A fresh board with ben and cat as members and one task, on the replica too."""
    ann = people["ann"]
    board = ann.ok("POST", "/api/boards/", {"name": f"b {secrets.token_hex(3)}"})
    for name in ("ben", "cat"):
        ann.ok("POST", f"/api/boards/{board['id']}/members/", {"username": name, "role": "member"})
    ann.ok("POST", "/api/tasks/", {"board": board["id"], "name": "before"})
    pair.wait_replica_caught_up()
    return board


def task_names(client: HttpClient, board_id: int) -> list[str]:
    body = client.ok("GET", f"/api/tasks/?board={board_id}&page_size=100")
    return [task["name"] for task in body["results"]]


@pytest.fixture
def lagging(pair):
    """The replica's SQL thread stopped for the test's body, started again after."""
    pair.stop_applying()
    try:
        yield pair
    finally:
        pair.start_applying()


def test_lists_lag_for_others_while_the_writer_snapshots_and_replay_see_the_write(
    pair, people, board, lagging
):
    ann, ben = people["ann"], people["ben"]
    made = ann.ok("POST", "/api/tasks/", {"board": board["id"], "name": "during lag"})
    # ben's list is the replica's: it has not applied the write.
    assert task_names(ben, board["id"]) == ["before"]
    # ann reads her own write (the replica has not got it: her list came from the primary),
    # on either daphne: nginx alternates, the position is in the shared cache.
    for _ in range(4):
        assert task_names(ann, board["id"]) == ["before", "during lag"]
    # What must be exact reads the primary, for everyone.
    for reader in (ann, ben):
        snap = reader.ok("GET", f"/api/boards/{board['id']}/snapshot/")
        assert "during lag" in [t["name"] for t in snap["tasks"]]
        past = reader.ok("GET", f"/api/boards/{board['id']}/snapshot/?seq={snap['seq']}")
        assert "during lag" in [t["name"] for t in past["tasks"]]
        events = reader.ok("GET", f"/api/boards/{board['id']}/events/?after=0")["results"]
        assert made["id"] in [e["data"]["id"] for e in events if e["name"] == "task.created"]
        assert reader.ok("GET", f"/api/tasks/{made['id']}/")["name"] == "during lag"
    pair.start_applying()
    pair.eventually(
        lambda: "during lag" in task_names(ben, board["id"]), CATCH_UP_S, "ben sees the task"
    )


def test_comments_checklists_and_reports_follow_the_same_rule(pair, people, board, lagging):
    ann, ben = people["ann"], people["ben"]
    task = ann.ok("GET", f"/api/tasks/?board={board['id']}")["results"][0]
    ann.ok("POST", f"/api/tasks/{task['id']}/comments/", {"body": "while lagging"})
    ann.ok("POST", f"/api/tasks/{task['id']}/checklist/", {"text": "step"})
    comments = f"/api/tasks/{task['id']}/comments/"
    assert ben.ok("GET", comments)["count"] == 0
    assert ann.ok("GET", comments)["count"] == 1
    checklist = f"/api/tasks/{task['id']}/checklist/"
    assert ben.ok("GET", checklist)["results"] == []
    assert [i["text"] for i in ann.ok("GET", checklist)["results"]] == ["step"]
    activity = f"/api/tasks/{task['id']}/activity/"
    assert "comment.created" not in [e["name"] for e in ben.ok("GET", activity)["results"]]
    assert "comment.created" in [e["name"] for e in ann.ok("GET", activity)["results"]]


def test_a_member_removed_on_the_primary_is_refused_at_once_despite_the_lag(
    pair, people, board, lagging
):
    ann, cat = people["ann"], people["cat"]
    cat_id = cat.ok("GET", "/api/auth/me/")["id"]
    task = ann.ok("GET", f"/api/tasks/?board={board['id']}")["results"][0]
    ann.ok("DELETE", f"/api/boards/{board['id']}/members/{cat_id}/")
    # The replica still holds cat's membership: a check made there would let cat in.
    still = pair.replica.execute(
        "SELECT COUNT(*) FROM board_membership WHERE board_id = %s AND user_id = %s",
        [board["id"], cat_id], database=pair.db_name,
    )  # fmt: skip
    assert still == ((1,),)
    assert task_names(cat, board["id"]) == []
    for path in (
        f"/api/boards/{board['id']}/labels/",
        f"/api/boards/{board['id']}/velocity/",
        f"/api/tasks/{task['id']}/comments/",
        f"/api/tasks/{task['id']}/checklist/",
        f"/api/tasks/{task['id']}/activity/",
    ):
        assert cat.get(path).status == 404, path


def _per_request(pair, client: HttpClient, board_id: int) -> dict[str, tuple[float, float]]:
    """What BURST task lists cost each server, per request."""
    before = pair.counters()
    for _ in range(BURST):
        task_names(client, board_id)
    after = pair.counters()
    return {
        name: ((after[name][0] - was[0]) / BURST, (after[name][1] - was[1]) / BURST)
        for name, was in before.items()
    }


def test_the_replica_takes_the_list_reads_off_the_primary(pair, people, board, capsys):
    ann, ben = people["ann"], people["ben"]
    for i in range(20):
        ann.ok("POST", "/api/tasks/", {"board": board["id"], "name": f"t{i}"})
    pair.wait_replica_caught_up()
    routed = _per_request(pair, ben, board["id"])
    # The same lists with every read on the primary: ann's own write not applied yet.
    pair.stop_applying()
    try:
        ann.ok("POST", "/api/tasks/", {"board": board["id"], "name": "unapplied"})
        alone = _per_request(pair, ann, board["id"])
    finally:
        pair.start_applying()
    figures = "; ".join(
        f"{name} per request: routed primary {routed[name][0]:.1f} replica "
        f"{routed[name][1]:.1f}, primary alone {alone[name][0]:.1f} (replica {alone[name][1]:.1f})"
        for name in routed
    )
    with capsys.disabled():
        print(f"\n[replica] {BURST} task lists of ~22 tasks: {figures}")
    selects, rows = routed["Com_select"], routed["Handler_read"]
    assert selects[1] >= 2, figures  # the count and the page, at least, on the replica
    assert selects[0] <= alone["Com_select"][0] - 2, figures
    assert rows[0] < rows[1], figures  # the primary reads the membership rows only


def test_lists_are_served_by_the_primary_while_the_replica_is_down(pair, people, board):
    ann, ben = people["ann"], people["ben"]
    pair.replica.stop()
    try:
        ann.ok("POST", "/api/tasks/", {"board": board["id"], "name": "replica down"})
        for _ in range(4):  # both daphnes
            assert "replica down" in task_names(ben, board["id"])
    finally:
        pair.replica.start()
    pair.wait_replica_caught_up()
