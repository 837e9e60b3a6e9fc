"""notify_email in the profile: {digest, mentions, activity}, merged by PATCH, strict."""

import pytest

from tests.conftest import client_for

ME = "/api/auth/me/"


@pytest.fixture
def client(alice):
    return client_for(alice)


def test_the_profile_shows_every_mail_setting_on_by_default(client):
    body = client.get(ME).json()
    assert body["notify_email"] == {"digest": True, "mentions": True, "activity": True}
    assert body["digest_enabled"] is True


def test_a_patch_changes_only_the_settings_it_names(client, alice):
    response = client.patch(ME, {"notify_email": {"mentions": False}}, format="json")

    assert response.status_code == 200, response.content
    assert response.json()["notify_email"] == {"digest": True, "mentions": False, "activity": True}
    alice.refresh_from_db()
    assert (alice.digest_enabled, alice.mention_mail, alice.activity_mail) == (True, False, True)

    client.patch(ME, {"notify_email": {"activity": False, "digest": False}}, format="json")
    alice.refresh_from_db()
    assert (alice.digest_enabled, alice.mention_mail, alice.activity_mail) == (False, False, False)
    assert client.get(ME).json()["digest_enabled"] is False  # the same field


def test_digest_enabled_and_notify_email_digest_are_one_field(client, alice):
    client.patch(ME, {"digest_enabled": False}, format="json")
    assert client.get(ME).json()["notify_email"]["digest"] is False

    agree = client.patch(
        ME, {"digest_enabled": True, "notify_email": {"digest": True}}, format="json"
    )
    assert agree.status_code == 200
    clash = client.patch(
        ME, {"digest_enabled": True, "notify_email": {"digest": False}}, format="json"
    )
    assert clash.status_code == 400 and "notify_email" in clash.json()
    alice.refresh_from_db()
    assert alice.digest_enabled is True


@pytest.mark.parametrize(
    "value",
    [
        {"mentions": "false"},
        {"mentions": 0},
        {"mentions": None},
        {"sms": True},
        {"mentions": False, "weekly": False},
        ["mentions"],
        "off",
        None,
    ],
)
def test_unknown_keys_and_non_booleans_are_400_and_change_nothing(client, alice, value):
    response = client.patch(ME, {"notify_email": value, "full_name": "Changed"}, format="json")

    assert response.status_code == 400, response.content
    assert "notify_email" in response.json()
    alice.refresh_from_db()
    assert alice.mention_mail is True and alice.full_name != "Changed"


def test_an_empty_object_changes_nothing(client):
    response = client.patch(ME, {"notify_email": {}}, format="json")
    assert response.status_code == 200
    assert response.json()["notify_email"] == {"digest": True, "mentions": True, "activity": True}
