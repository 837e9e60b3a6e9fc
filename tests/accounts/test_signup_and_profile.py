from django.contrib.auth import get_user_model
from rest_framework.test import APIClient

from tests.accounts.conftest import bearer, login

SIGNUP = {
    "username": "carol",
    "email": "Carol@Example.COM",
    "password": "a-long-unusual-passphrase",
    "full_name": "Carol C",
    "timezone": "Europe/Berlin",
}


def test_signup_returns_profile_and_working_tokens(db):
    response = APIClient().post("/api/auth/signup/", SIGNUP)

    assert response.status_code == 201, response.content
    body = response.json()
    assert body["user"] == {
        "id": body["user"]["id"],
        "username": "carol",
        "email": "carol@example.com",
        "full_name": "Carol C",
        "timezone": "Europe/Berlin",
        "digest_enabled": True,
        "notify_email": {"digest": True, "mentions": True, "activity": True},
    }
    assert bearer(body["access"]).get("/api/auth/me/").json()["username"] == "carol"
    assert APIClient().post("/api/auth/refresh/", {"refresh": body["refresh"]}).status_code == 200


def test_signup_username_and_email_are_unique_ignoring_case(alice):
    client = APIClient()
    same_name = client.post("/api/auth/signup/", {**SIGNUP, "username": "ALICE"})
    same_mail = client.post("/api/auth/signup/", {**SIGNUP, "email": "ALICE@example.com"})

    assert same_name.status_code == 400 and "username" in same_name.json()
    assert same_mail.status_code == 400 and "email" in same_mail.json()
    assert get_user_model().objects.count() == 1


def test_signup_applies_password_validators(db):
    weak = APIClient().post("/api/auth/signup/", {**SIGNUP, "password": "12345678"})
    like_name = APIClient().post("/api/auth/signup/", {**SIGNUP, "password": "carol@example.com"})

    assert weak.status_code == 400 and "password" in weak.json()
    assert like_name.status_code == 400 and "password" in like_name.json()
    assert not get_user_model().objects.exists()


def test_signup_rejects_a_timezone_that_is_not_iana(db):
    response = APIClient().post("/api/auth/signup/", {**SIGNUP, "timezone": "Mars/Olympus"})

    assert response.status_code == 400
    assert "timezone" in response.json()


def test_me_get_and_patch(alice):
    client = bearer(login("alice")["access"])
    response = client.patch(
        "/api/auth/me/",
        {
            "username": "alice2",
            "email": "New@Example.com",
            "full_name": "Alice A",
            "timezone": "America/New_York",
            "digest_enabled": False,
        },
    )

    assert response.status_code == 200, response.content
    assert client.get("/api/auth/me/").json() == {
        "id": alice.pk,
        "username": "alice2",
        "email": "new@example.com",
        "full_name": "Alice A",
        "timezone": "America/New_York",
        "digest_enabled": False,
        "notify_email": {"digest": False, "mentions": True, "activity": True},
    }


def test_me_patch_refuses_a_taken_name_or_bad_timezone(alice):
    from tests.conftest import client_for
    from tests.factories import UserFactory

    UserFactory(username="bob", email="bob@example.com")
    client = client_for(alice)

    assert client.patch("/api/auth/me/", {"username": "BOB"}).status_code == 400
    assert client.patch("/api/auth/me/", {"email": "Bob@Example.com"}).status_code == 400
    assert client.patch("/api/auth/me/", {"timezone": "Nowhere/Land"}).status_code == 400
    assert client.get("/api/auth/me/").json()["username"] == "alice"


def test_me_needs_a_token(db):
    assert APIClient().get("/api/auth/me/").status_code == 401
