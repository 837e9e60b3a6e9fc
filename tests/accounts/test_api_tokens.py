"""Personal access tokens over REST (SPEC section 13): created once, hashed at rest, accepted
as a Bearer token, read-only and session-only rules, expiry, revocation, last_used_at."""

from __future__ import annotations

import datetime as dt

import pytest
import time_machine
from django.db import connection
from django.test.utils import CaptureQueriesContext
from rest_framework.test import APIClient

from realtime_scrum.accounts.api_tokens import token_hash
from realtime_scrum.accounts.models import ApiToken
from tests.conftest import client_for
from tests.factories import BoardFactory, UserFactory

pytestmark = pytest.mark.django_db


def pat_client(token: str) -> APIClient:
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Bearer {token}")
    return client


def make_token(session: APIClient, **body) -> dict:
    response = session.post("/api/auth/tokens/", {"name": "ci", "scope": "write", **body})
    assert response.status_code == 201, response.content
    return response.json()


@pytest.fixture
def alice(db):
    return UserFactory(username="alice")


@pytest.fixture
def session(alice) -> APIClient:
    return client_for(alice)


def test_create_shows_the_token_once_and_the_list_never(session):
    created = make_token(session, name="deploy bot", scope="read")
    token = created["token"]
    assert token.startswith("rs_pat_") and len(token) >= 40
    assert token[len("rs_pat_") :].startswith(created["prefix"]) and len(created["prefix"]) >= 6
    assert created["scope"] == "read" and created["boards"] is None
    assert created["expires_at"] is None and created["last_used_at"] is None
    listed = session.get("/api/auth/tokens/").json()
    assert [t["name"] for t in listed] == ["deploy bot"]
    assert "token" not in listed[0] and token not in str(listed)
    assert listed[0]["prefix"] == created["prefix"]


def test_the_database_holds_only_a_hash(session):
    token = make_token(session)["token"]
    row = ApiToken.objects.get()
    assert row.token_hash == token_hash(token) and token not in row.token_hash
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT * FROM {ApiToken._meta.db_table}")  # noqa: S608
        dump = repr(cursor.fetchall())
    assert token not in dump and token[len("rs_pat_") :] not in dump


def test_rest_with_the_token_works(session, alice):
    token = make_token(session)["token"]
    me = pat_client(token).get("/api/auth/me/")
    assert me.status_code == 200 and me.json()["username"] == "alice"
    made = pat_client(token).post("/api/boards/", {"name": "From CI"})
    assert made.status_code == 201, made.content


def test_a_read_token_reads_but_never_writes(session, alice):
    board = BoardFactory(owner=alice)
    client = pat_client(make_token(session, scope="read")["token"])
    assert client.get(f"/api/boards/{board.pk}/").status_code == 200
    for method, path, body in [
        ("post", "/api/boards/", {"name": "x"}),
        ("patch", f"/api/boards/{board.pk}/", {"name": "y"}),
        ("delete", f"/api/boards/{board.pk}/", None),
        ("patch", "/api/auth/me/", {"full_name": "Mallory"}),
        ("post", "/api/notifications/read-all/", {}),
    ]:
        response = getattr(client, method)(path, body)
        assert response.status_code == 403, (method, path, response.content)
        assert "read-only" in response.json()["detail"]
    board.refresh_from_db()
    assert board.name != "y"


def test_a_token_cannot_manage_tokens_or_change_the_password(session):
    client = pat_client(make_token(session)["token"])
    refused = [
        client.get("/api/auth/tokens/"),
        client.post("/api/auth/tokens/", {"name": "more", "scope": "write"}),
        client.delete(f"/api/auth/tokens/{ApiToken.objects.get().pk}/"),
        client.post(
            "/api/auth/password/change/",
            {"old_password": "pw-secret-123", "new_password": "a-new-secret-456"},
        ),
    ]
    for response in refused:
        assert response.status_code == 403, response.content
        assert "personal access token cannot" in response.json()["detail"]
    assert ApiToken.objects.count() == 1


def test_an_expired_token_is_refused(session):
    token = make_token(session, expires_in_days=1)["token"]
    assert pat_client(token).get("/api/auth/me/").status_code == 200
    with time_machine.travel(dt.datetime.now(dt.UTC) + dt.timedelta(days=1, seconds=1)):
        response = pat_client(token).get("/api/auth/me/")
    assert response.status_code == 401 and "expired" in response.json()["detail"]


def test_revoke_refuses_the_next_request(session):
    created = make_token(session)
    client = pat_client(created["token"])
    assert client.get("/api/auth/me/").status_code == 200
    assert session.delete(f"/api/auth/tokens/{created['id']}/").status_code == 204
    assert client.get("/api/auth/me/").status_code == 401
    assert session.get("/api/auth/tokens/").json() == []
    assert session.delete(f"/api/auth/tokens/{created['id']}/").status_code == 404


def test_another_users_token_cannot_be_revoked(session):
    created = make_token(session)
    other = client_for(UserFactory(username="bob"))
    assert other.delete(f"/api/auth/tokens/{created['id']}/").status_code == 404
    assert other.get("/api/auth/tokens/").json() == []
    assert pat_client(created["token"]).get("/api/auth/me/").status_code == 200


def test_a_token_of_an_inactive_user_fails(session, alice):
    token = make_token(session)["token"]
    alice.is_active = False
    alice.save()
    assert pat_client(token).get("/api/auth/me/").status_code == 401


def test_unknown_and_malformed_tokens_are_401():
    for token in ("rs_pat_", "rs_pat_nope", "rs_pat_" + "x" * 40):
        assert pat_client(token).get("/api/auth/me/").status_code == 401


def test_last_used_moves_at_most_once_a_minute(session):
    token = make_token(session)["token"]
    client = pat_client(token)
    start = dt.datetime(2030, 1, 1, 12, 0, tzinfo=dt.UTC)
    with time_machine.travel(start, tick=False) as clock:
        client.get("/api/auth/me/")
        first = ApiToken.objects.get().last_used_at
        assert first == start
        clock.shift(dt.timedelta(seconds=59))
        client.get("/api/auth/me/")
        assert ApiToken.objects.get().last_used_at == first
        clock.shift(dt.timedelta(seconds=2))
        client.get("/api/auth/me/")
        assert ApiToken.objects.get().last_used_at == start + dt.timedelta(seconds=61)


def test_a_request_within_the_minute_writes_nothing(session, django_assert_num_queries):
    client = pat_client(make_token(session)["token"])
    client.get("/api/auth/me/")  # sets last_used_at
    # One read of the token with its user, nothing else: no UPDATE per request.
    with django_assert_num_queries(1):
        assert client.get("/api/auth/me/").status_code == 200


def test_bad_input_is_a_400_with_field_messages(session, alice):
    stranger = BoardFactory(owner=UserFactory(username="carol"))
    cases = [
        ({"name": "", "scope": "write"}, "name"),
        ({"name": "   ", "scope": "write"}, "name"),
        ({"name": "x", "scope": "admin"}, "scope"),
        ({"name": "x", "scope": "read", "boards": [stranger.pk]}, "boards"),
        ({"name": "x", "scope": "read", "boards": []}, "boards"),
        ({"name": "x", "scope": "read", "boards": [2**70]}, "boards"),
        ({"name": "x", "scope": "read", "expires_in_days": 0}, "expires_in_days"),
        ({"name": "x", "scope": "read", "expires_in_days": 3651}, "expires_in_days"),
    ]
    for body, field in cases:
        response = session.post("/api/auth/tokens/", body, format="json")
        assert response.status_code == 400, (body, response.content)
        assert field in response.json(), (body, response.json())
    assert not ApiToken.objects.exists()


def test_the_token_list_costs_the_same_queries_at_any_length(session, alice):
    board = BoardFactory(owner=alice)
    make_token(session)

    def queries() -> int:
        with CaptureQueriesContext(connection) as captured:
            assert session.get("/api/auth/tokens/").status_code == 200
        return len(captured)

    few = queries()
    for n in range(5):
        make_token(session, name=f"t{n}", boards=[board.pk], expires_in_days=30)
    assert queries() == few
