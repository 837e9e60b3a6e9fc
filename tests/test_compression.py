"""Which answers the app gzips (realtime_scrum/compression.py): large JSON reads of the API,
never /api/auth/ (BREACH, docs/security.md), never a page or a write's answer."""

import gzip
import json

import pytest
from django.http import JsonResponse
from django.test import Client

from realtime_scrum.compression import MIN_BYTES, gzip_response
from tests.factories import TaskFactory

GZIP = {"HTTP_ACCEPT_ENCODING": "gzip, deflate, br"}


@pytest.fixture
def snapshot_path(board):
    for index in range(15):
        TaskFactory(board=board, name=f"task {index}", description="more words " * 5)
    return f"/api/boards/{board.pk}/snapshot/"


def test_a_large_api_read_is_gzipped_when_the_client_accepts_it(api, snapshot_path):
    plain = api.get(snapshot_path)
    packed = api.get(snapshot_path, **GZIP)

    assert packed["Content-Encoding"] == "gzip"
    assert int(packed["Content-Length"]) == len(packed.content) < len(plain.content) / 3
    assert json.loads(gzip.decompress(packed.content)) == plain.json()
    assert "Accept-Encoding" in packed["Vary"]
    assert not plain.has_header("Content-Encoding")
    assert "Accept-Encoding" in plain["Vary"]  # a cache must not serve one for the other


def test_a_small_answer_stays_plain(api, board):
    resp = api.get(f"/api/boards/{board.pk}/", **GZIP)
    assert len(resp.content) < MIN_BYTES
    assert not resp.has_header("Content-Encoding")


def test_auth_answers_carry_tokens_and_are_never_compressed(db):
    name = "u" + "x" * 140
    body = {
        "username": name,
        "email": f"{name}@{'e' * 60}.example.com",
        "password": "pw-long-enough-123",
        "full_name": "N" * 150,
    }
    resp = Client().post("/api/auth/signup/", body, content_type="application/json", **GZIP)
    assert resp.status_code == 201
    assert len(resp.content) >= MIN_BYTES  # long enough that the rule is what stops it
    assert not resp.has_header("Content-Encoding")


def test_a_writes_answer_stays_plain(api, board):
    # Answers to writes are where a secret is shown once (a webhook's): never compressed.
    resp = api.post(
        "/api/tasks/",
        {"board": board.pk, "name": "long", "description": "d" * 2000},
        format="json",
        **GZIP,
    )
    assert resp.status_code == 201 and len(resp.content) >= MIN_BYTES
    assert not resp.has_header("Content-Encoding")


def test_the_page_stays_plain(client):
    resp = client.get("/", **GZIP)
    assert resp.status_code == 200
    assert not resp.has_header("Content-Encoding")


def test_no_read_under_api_auth_is_ever_compressed(rf):
    # Today's auth reads (the profile) are all under MIN_BYTES; a longer one added later
    # (a list of sessions, say) must stay plain too.
    big = JsonResponse({"access": "t" * 400, "sessions": ["s" * 200] * 5})
    request = rf.get("/api/auth/sessions/", HTTP_ACCEPT_ENCODING="gzip")
    assert not gzip_response(request, big).has_header("Content-Encoding")
    elsewhere = rf.get("/api/boards/1/snapshot/", HTTP_ACCEPT_ENCODING="gzip")
    big = JsonResponse({"access": "t" * 400, "sessions": ["s" * 200] * 5})
    assert gzip_response(elsewhere, big)["Content-Encoding"] == "gzip"
