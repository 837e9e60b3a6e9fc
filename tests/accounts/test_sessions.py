"""Login, refresh, logout, password change and deactivation, end to end over HTTP."""

import datetime as dt

import time_machine
from django.core.cache import cache
from rest_framework.test import APIClient
from rest_framework_simplejwt.tokens import AccessToken, RefreshToken

from realtime_scrum.accounts.services import user_deactivate
from tests.accounts.conftest import PASSWORD, bearer, login
from tests.factories import UserFactory

ME = "/api/auth/me/"


def sid_of(tokens: dict) -> str:
    return AccessToken(tokens["access"])["sid"]


def refresh(token: str):
    return APIClient().post("/api/auth/refresh/", {"refresh": token})


def test_login_is_case_insensitive_and_returns_a_token_pair(alice):
    tokens = login("ALICE")

    assert set(tokens) == {"access", "refresh"}
    assert bearer(tokens["access"]).get(ME).json()["username"] == "alice"


def test_failed_logins_all_look_the_same(alice):
    inactive = UserFactory(username="gone", is_active=False)
    client = APIClient()
    wrong_password = client.post("/api/auth/login/", {"username": "alice", "password": "nope"})
    unknown_user = client.post("/api/auth/login/", {"username": "nobody", "password": PASSWORD})
    deactivated = client.post(
        "/api/auth/login/", {"username": inactive.username, "password": PASSWORD}
    )

    assert wrong_password.status_code == unknown_user.status_code == deactivated.status_code == 401
    assert wrong_password.json() == unknown_user.json() == deactivated.json()


def test_refresh_rotates_and_the_spent_token_is_refused(alice):
    first = login()
    second = refresh(first["refresh"])

    assert second.status_code == 200
    assert refresh(first["refresh"]).status_code == 401
    new = second.json()
    assert sid_of(new) == sid_of(first)
    assert bearer(new["access"]).get(ME).status_code == 200
    assert refresh(new["refresh"]).status_code == 200


def test_logout_ends_that_session_only(alice, django_capture_on_commit_callbacks, monkeypatch):
    closed = []
    monkeypatch.setattr("realtime_scrum.sockets.groups.close_session", closed.append)
    phone, laptop = login(), login()
    assert bearer(phone["access"]).get(ME).status_code == 200  # cached as live now

    with django_capture_on_commit_callbacks(execute=True):
        response = APIClient().post("/api/auth/logout/", {"refresh": phone["refresh"]})

    assert response.status_code == 205
    assert bearer(phone["access"]).get(ME).status_code == 401
    assert refresh(phone["refresh"]).status_code == 401
    assert bearer(laptop["access"]).get(ME).status_code == 200
    assert refresh(laptop["refresh"]).status_code == 200
    assert closed == [sid_of(phone)]


def test_logout_also_ends_access_tokens_minted_by_earlier_refreshes(alice):
    tokens = login()
    rotated = refresh(tokens["refresh"]).json()

    # The client logs out with the refresh token it still holds from before the rotation.
    assert APIClient().post("/api/auth/logout/", {"refresh": tokens["refresh"]}).status_code == 205
    assert bearer(tokens["access"]).get(ME).status_code == 401
    assert bearer(rotated["access"]).get(ME).status_code == 401
    assert refresh(rotated["refresh"]).status_code == 401


def test_logout_refuses_a_forged_or_access_token(alice):
    tokens = login()
    client = APIClient()

    assert client.post("/api/auth/logout/", {"refresh": tokens["access"]}).status_code == 401
    assert client.post("/api/auth/logout/", {"refresh": "not.a.jwt"}).status_code == 401
    assert bearer(tokens["access"]).get(ME).status_code == 200


def test_revocation_survives_losing_the_cache(alice):
    tokens = login()
    APIClient().post("/api/auth/logout/", {"refresh": tokens["refresh"]})

    cache.delete(f"auth:sid:{sid_of(tokens)}")

    assert bearer(tokens["access"]).get(ME).status_code == 401


def test_the_session_check_and_the_user_are_cache_hits_not_queries(
    alice, django_assert_num_queries
):
    client = bearer(login()["access"])
    client.get(ME)

    # The session state and the user row come from the cache.
    with django_assert_num_queries(0):
        assert client.get(ME).status_code == 200


def test_the_cached_user_holds_no_password_hash_and_still_changes_password(alice):
    tokens = login()
    client = bearer(tokens["access"])
    client.get(ME)
    cached = cache.get(f"auth:user:{alice.pk}")
    assert cached is not None and alice.password not in map(str, cached)

    response = client.post(
        "/api/auth/password/change/",
        {"old_password": PASSWORD, "new_password": "an0ther-Long-passw0rd"},
        format="json",
    )

    assert response.status_code == 200, response.content
    alice.refresh_from_db()
    assert alice.check_password("an0ther-Long-passw0rd")


def test_a_saved_user_is_read_afresh_by_the_next_request(alice):
    client = bearer(login()["access"])
    assert client.get(ME).json()["timezone"] == alice.timezone

    alice.timezone = "Asia/Tokyo"
    alice.save()

    assert client.get(ME).json()["timezone"] == "Asia/Tokyo"


def test_a_deleted_user_is_refused_though_its_row_was_cached(alice):
    client = bearer(login()["access"])
    assert client.get(ME).status_code == 200

    alice.delete()

    assert client.get(ME).status_code == 401


def test_a_token_without_a_session_is_refused(alice):
    token = RefreshToken.for_user(alice)

    assert bearer(str(token.access_token)).get(ME).status_code == 401
    assert refresh(str(token)).status_code == 401


def test_password_change_keeps_my_session_and_ends_the_others(
    alice, django_capture_on_commit_callbacks, monkeypatch
):
    closed = []
    monkeypatch.setattr(
        "realtime_scrum.sockets.groups.close_user",
        lambda user_id, except_session=None: closed.append((user_id, except_session)),
    )
    # Logged in a while ago, as a copied token would have been.
    with time_machine.travel(dt.timedelta(seconds=-30)):
        mine, other = login(), login()
    assert bearer(other["access"]).get(ME).status_code == 200

    with django_capture_on_commit_callbacks(execute=True):
        response = bearer(mine["access"]).post(
            "/api/auth/password/change/",
            {"old_password": PASSWORD, "new_password": "another-long-passphrase"},
        )

    assert response.status_code == 200, response.content
    new = response.json()
    assert bearer(new["access"]).get(ME).status_code == 200
    assert bearer(mine["access"]).get(ME).status_code == 200
    # A refresh token of my own session copied before the change is spent too.
    assert refresh(mine["refresh"]).status_code == 401
    assert refresh(new["refresh"]).status_code == 200
    assert bearer(other["access"]).get(ME).status_code == 401
    assert refresh(other["refresh"]).status_code == 401
    assert closed == [(alice.pk, sid_of(mine))]
    old_login = APIClient().post("/api/auth/login/", {"username": "alice", "password": PASSWORD})
    assert old_login.status_code == 401
    assert login(password="another-long-passphrase")


def test_password_change_needs_the_current_password_and_a_strong_new_one(alice):
    tokens, other = login(), login()
    client = bearer(tokens["access"])
    url = "/api/auth/password/change/"

    wrong = client.post(url, {"old_password": "guess", "new_password": "another-long-passphrase"})
    weak = client.post(url, {"old_password": PASSWORD, "new_password": "password"})

    assert wrong.status_code == 400 and "old_password" in wrong.json()
    assert weak.status_code == 400 and "new_password" in weak.json()
    assert bearer(other["access"]).get(ME).status_code == 200
    assert login(password=PASSWORD)


def test_a_deactivated_users_tokens_are_refused(
    alice, django_capture_on_commit_callbacks, monkeypatch
):
    closed = []
    monkeypatch.setattr(
        "realtime_scrum.sockets.groups.close_user",
        lambda user_id, except_session=None: closed.append((user_id, except_session)),
    )
    tokens = login()
    assert bearer(tokens["access"]).get(ME).status_code == 200

    with django_capture_on_commit_callbacks(execute=True):
        user_deactivate(user=alice)

    assert bearer(tokens["access"]).get(ME).status_code == 401
    assert refresh(tokens["refresh"]).status_code == 401
    assert closed == [(alice.pk, None)]


def test_unticking_active_in_the_admin_ends_the_sessions(alice, admin_client):
    tokens = login()
    form = {
        "username": "alice",
        "email": "alice@example.com",
        "full_name": "",
        "timezone": "UTC",
        "digest_enabled": "on",
        "date_joined_0": "2026-01-01",
        "date_joined_1": "00:00:00",
    }

    response = admin_client.post(f"/admin/accounts/user/{alice.pk}/change/", form)

    assert response.status_code == 302, response.content[:2000]
    alice.refresh_from_db()
    assert not alice.is_active
    assert bearer(tokens["access"]).get(ME).status_code == 401
