"""nginx sends what collectstatic pre-compressed and gzips the API's JSON, never /api/auth/."""

from __future__ import annotations

import gzip
import json

from tests.support.http import HttpClient

from .conftest import PASSWORD

ASSET = "frontend/board.js"


def test_static_file_is_the_precompressed_gz_when_gzip_is_accepted(stack):
    anon = HttpClient(stack.base_url)
    packed = anon.get(f"/static/{ASSET}", Accept_Encoding="gzip, deflate")
    assert packed.status == 200
    assert packed.headers.get("Content-Encoding") == "gzip"
    assert "Accept-Encoding" in packed.headers.get("Vary", "")
    # The file collectstatic wrote, byte for byte: nothing was compressed for this request.
    assert packed.body == (stack.static_root / f"{ASSET}.gz").read_bytes()
    assert gzip.decompress(packed.body) == (stack.static_root / ASSET).read_bytes()
    plain = anon.get(f"/static/{ASSET}")
    assert "Content-Encoding" not in plain.headers
    assert plain.body == (stack.static_root / ASSET).read_bytes()


def test_the_snapshot_is_gzipped_by_nginx_when_asked(stack, alice, board):
    for index in range(12):
        alice.write("POST", "/api/tasks/", {"board": board["id"], "name": f"task {index}"}, 201)
    path = f"/api/boards/{board['id']}/snapshot/"
    plain = alice.get(path)
    assert "Content-Encoding" not in plain.headers
    packed = alice.get(path, Accept_Encoding="gzip")
    assert packed.headers.get("Content-Encoding") == "gzip"
    assert len(packed.body) < len(plain.body) / 2
    assert json.loads(gzip.decompress(packed.body))["tasks"] == plain.json()["tasks"]


def test_auth_answers_are_never_compressed(stack, users):
    # A login answers two tokens (and nginx gzips only 200s): what BREACH is after.
    resp = HttpClient(stack.base_url).post(
        "/api/auth/login/", {"username": "bob", "password": PASSWORD}, Accept_Encoding="gzip"
    )
    assert resp.status == 200, resp.body
    assert len(resp.body) > 256  # long enough that the /api/ rule would compress it
    assert "Content-Encoding" not in resp.headers
    assert set(resp.json()) == {"access", "refresh"}
