"""/static/ is served by nginx from the collectstatic output; daphne never sees it."""

from __future__ import annotations

from tests.support.http import HttpClient

ASSET = "admin/css/base.css"


def test_static_file_comes_from_nginx(stack):
    resp = HttpClient(stack.base_url).get(f"/static/{ASSET}")
    assert resp.status == 200
    assert resp.headers.get("X-Static-Server") == "nginx"
    assert resp.body == (stack.static_root / ASSET).read_bytes()
    assert resp.headers.get("Cache-Control", "").startswith("max-age=")
    for index in range(2):
        assert "/static/" not in stack.daphne_access_log(index).read_text()


def test_missing_static_file_is_nginx_404_not_proxied(stack):
    resp = HttpClient(stack.base_url).get("/static/nope/missing.css")
    assert resp.status == 404
    assert resp.headers.get("X-Static-Server") == "nginx"
    for index in range(2):
        assert "/static/" not in stack.daphne_access_log(index).read_text()
