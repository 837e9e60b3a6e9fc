"""The page's cookie session: the refresh token lives only in an HttpOnly cookie."""

import re

import pytest
from django.test import Client
from rest_framework.test import APIClient

from realtime_scrum.accounts.sessions import session_start
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db


def page_client() -> tuple[Client, str]:
    """A browser-like client that loaded the page (CSRF enforced, token from the meta tag)."""
    client = Client(enforce_csrf_checks=True)
    html = client.get("/").content.decode()
    token = re.search(r'name="csrf-token" content="([^"]+)"', html).group(1)
    return client, token


def post(client: Client, csrf: str, path: str, body: str = "{}"):
    return client.post(path, body, content_type="application/json", HTTP_X_CSRFTOKEN=csrf)


def test_page_is_served_at_root_and_board_urls_with_a_strict_csp():
    client = Client()
    for path in ("/", "/boards/7/?task=3", "/reset-password/"):
        response = client.get(path)
        assert response.status_code == 200
        assert b'type="module"' in response.content
        assert "default-src 'self'" in response["Content-Security-Policy"]


def test_adopt_rotates_the_refresh_into_an_httponly_cookie():
    user = UserFactory(username="ann")
    issued = session_start(user=user)
    client, csrf = page_client()
    response = post(client, csrf, "/app/session/", f'{{"refresh": "{issued.refresh}"}}')
    assert response.status_code == 200
    assert response.json()["user"]["username"] == "ann"
    cookie = response.cookies["rs_refresh"]
    assert cookie["httponly"] and cookie["samesite"] == "Strict"
    assert cookie["path"] == "/app/session/"
    assert cookie.value != issued.refresh, "the token the page saw is spent"
    # The access token works on the API.
    api = APIClient()
    api.credentials(HTTP_AUTHORIZATION=f"Bearer {response.json()['access']}")
    assert api.get("/api/boards/").status_code == 200
    # The seen refresh token cannot be used again.
    assert (
        post(client, csrf, "/app/session/", f'{{"refresh": "{issued.refresh}"}}').status_code == 401
    )


def test_refresh_rotates_the_cookie_and_logout_ends_the_session():
    issued = session_start(user=UserFactory())
    client, csrf = page_client()
    post(client, csrf, "/app/session/", f'{{"refresh": "{issued.refresh}"}}')
    first = client.cookies["rs_refresh"].value
    response = post(client, csrf, "/app/session/refresh/")
    assert response.status_code == 200
    assert client.cookies["rs_refresh"].value != first
    access = response.json()["access"]
    assert post(client, csrf, "/app/session/logout/").status_code == 205
    api = APIClient()
    api.credentials(HTTP_AUTHORIZATION=f"Bearer {access}")
    assert api.get("/api/boards/").status_code == 401, "logout revokes the session's access too"
    assert "rs_refresh" not in client.cookies or not client.cookies["rs_refresh"].value
    assert post(client, csrf, "/app/session/refresh/").status_code == 204


def test_session_endpoints_require_the_csrf_token():
    issued = session_start(user=UserFactory())
    client, _ = page_client()
    body = f'{{"refresh": "{issued.refresh}"}}'
    response = client.post("/app/session/", body, content_type="application/json")
    assert response.status_code == 403


def test_refresh_without_a_cookie_is_an_empty_204():
    """A fresh load asks for a session it may not have: no error status (the browser would
    log one in the console), no body, no cookie set."""
    client, csrf = page_client()
    response = post(client, csrf, "/app/session/refresh/")
    assert response.status_code == 204
    assert response.content == b""
    assert "rs_refresh" not in response.cookies
    assert response["Cache-Control"] == "no-store"


def test_refresh_with_a_revoked_cookie_is_a_204_that_drops_it():
    issued = session_start(user=UserFactory())
    client, csrf = page_client()
    post(client, csrf, "/app/session/", f'{{"refresh": "{issued.refresh}"}}')
    revoked = client.cookies["rs_refresh"].value
    post(client, csrf, "/app/session/logout/")
    client.cookies["rs_refresh"] = revoked  # a tab that still sends the old cookie

    response = post(client, csrf, "/app/session/refresh/")

    assert response.status_code == 204
    assert response.content == b""
    assert response.cookies["rs_refresh"].value == "", "the dead cookie is deleted"
    assert response.cookies["rs_refresh"]["path"] == "/app/session/"


def test_refresh_with_a_garbage_cookie_is_a_204():
    client, csrf = page_client()
    client.cookies["rs_refresh"] = "not-a-token"
    response = post(client, csrf, "/app/session/refresh/")
    assert response.status_code == 204
    assert response.cookies["rs_refresh"].value == ""


def test_refresh_still_requires_the_csrf_token():
    client, _ = page_client()
    response = client.post("/app/session/refresh/", "{}", content_type="application/json")
    assert response.status_code == 403


def test_adopting_a_dead_refresh_token_is_still_refused():
    client, csrf = page_client()
    response = post(client, csrf, "/app/session/", '{"refresh": "not-a-token"}')
    assert response.status_code == 401
    assert "detail" in response.json()
