"""REST through nginx onto two daphnes: health, a change round trip, limits, spread."""

from __future__ import annotations

from tests.support.http import HttpClient


def test_readyz_through_nginx_sees_every_dependency(stack):
    resp = HttpClient(stack.base_url).get("/readyz")
    assert resp.status == 200
    assert resp.json() == {
        "status": "ok",
        "checks": {"database": "ok", "redis": "ok", "channel_layer": "ok", "realtime": "ok"},
    }


def test_login_create_and_patch_round_trip(stack, alice, board, task):
    resp = alice.write("PATCH", f"/api/tasks/{task['id']}/", {"name": "renamed"}, 200)
    assert resp.json()["name"] == "renamed"
    assert resp.json()["version"] == task["version"] + 1
    listed = alice.get(f"/api/tasks/?board={board['id']}").json()
    assert [t["name"] for t in listed["results"]] == ["renamed"]
    events = alice.get(f"/api/boards/{board['id']}/events/?after=0").json()
    names = [e["name"] for e in (events["results"] if isinstance(events, dict) else events)]
    assert names[-2:] == ["task.created", "task.updated"]


def test_no_token_is_401_and_bad_path_404(stack):
    anon = HttpClient(stack.base_url)
    assert anon.get("/api/boards/").status == 401
    assert anon.get("/no/such/page").status == 404


def test_body_over_the_limit_is_refused_by_nginx(stack, alice):
    resp = alice.post("/api/boards/", {"name": "x", "description": "y" * (2 * 1024 * 1024)})
    assert resp.status == 413
    assert "nginx" in resp.body.decode(errors="replace").lower()


def test_requests_are_spread_over_both_daphnes(stack, alice):
    for _ in range(6):
        assert alice.get("/api/boards/").status == 200
    for index in range(2):
        log = stack.daphne_access_log(index).read_text()
        assert "/api/boards/" in log, f"daphne{index} served no API request"
