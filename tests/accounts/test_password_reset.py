"""Password reset: request (through Huey, immediate in tests) and confirm, over HTTP."""

import datetime as dt
import re
from urllib.parse import parse_qs, urlsplit

import pytest
import time_machine
from django.core import mail
from huey.contrib.djhuey import HUEY
from huey.signals import SIGNAL_COMPLETE
from rest_framework.test import APIClient

from tests.accounts.conftest import PASSWORD, bearer, login

RESET = "/api/auth/password/reset/"
CONFIRM = "/api/auth/password/reset/confirm/"
NEW_PASSWORD = "fresh-long-passphrase"


@pytest.fixture
def tasks_run():
    """Names of the Huey tasks that ran to completion during the test."""
    ran = []

    def record(signal, task, *args, **kwargs):
        ran.append(task.name)

    HUEY.signal(SIGNAL_COMPLETE)(record)
    yield ran
    HUEY.disconnect_signal(record, SIGNAL_COMPLETE)


def link_params(message) -> dict[str, str]:
    """uid and token from the link, wherever PASSWORD_RESET_URL puts them: the default's
    fragment (`/reset-password/#uid=..`), a `#/route?uid=..` fragment or the query string."""
    parts = urlsplit(re.search(r"https?://\S+", message.body).group(0))
    fragment = parts.fragment.rpartition("?")[2]
    return {key: values[0] for key, values in parse_qs(fragment or parts.query).items()}


def test_the_default_link_opens_the_pages_reset_view(alice, client):
    request_reset("alice@example.com")
    parts = urlsplit(re.search(r"https?://\S+", mail.outbox[0].body).group(0))

    # The fragment is never sent to a server: uid and token stay out of access logs.
    assert parts.path == "/reset-password/" and parts.query == ""
    assert set(link_params(mail.outbox[0])) == {"uid", "token"}
    assert client.get(parts.path).status_code == 200


def request_reset(email: str):
    return APIClient().post(RESET, {"email": email})


def test_reset_mail_holds_a_working_link(alice, tasks_run):
    response = request_reset("ALICE@example.com")

    assert response.status_code == 202
    assert tasks_run == ["password_reset_mail"]
    assert len(mail.outbox) == 1 and mail.outbox[0].to == ["alice@example.com"]
    params = link_params(mail.outbox[0])
    confirm = APIClient().post(CONFIRM, {**params, "new_password": NEW_PASSWORD})
    assert confirm.status_code == 200, confirm.content
    assert login(password=NEW_PASSWORD)
    old = APIClient().post("/api/auth/login/", {"username": "alice", "password": PASSWORD})
    assert old.status_code == 401


def test_unknown_address_gets_the_same_answer_and_no_mail(alice, tasks_run):
    known = request_reset("alice@example.com")
    mail.outbox.clear()
    unknown = request_reset("nobody@example.com")

    assert (unknown.status_code, unknown.json()) == (known.status_code, known.json())
    assert tasks_run == ["password_reset_mail", "password_reset_mail"]  # same work both times
    assert mail.outbox == []


def test_a_reset_link_works_once(alice):
    request_reset("alice@example.com")
    params = link_params(mail.outbox[0])

    first = APIClient().post(CONFIRM, {**params, "new_password": NEW_PASSWORD})
    again = APIClient().post(CONFIRM, {**params, "new_password": "yet-another-passphrase"})

    assert first.status_code == 200
    assert again.status_code == 400 and "token" in again.json()
    assert login(password=NEW_PASSWORD)


def test_a_reset_link_expires(alice, settings):
    request_reset("alice@example.com")
    params = link_params(mail.outbox[0])

    later = dt.datetime.now() + dt.timedelta(seconds=settings.PASSWORD_RESET_TIMEOUT + 60)
    with time_machine.travel(later):
        response = APIClient().post(CONFIRM, {**params, "new_password": NEW_PASSWORD})

    assert response.status_code == 400 and "token" in response.json()
    assert login(password=PASSWORD)


def test_a_forged_link_fails(alice):
    request_reset("alice@example.com")
    params = link_params(mail.outbox[0])

    bad_token = APIClient().post(
        CONFIRM, {**params, "token": params["token"][:-3] + "aaa", "new_password": NEW_PASSWORD}
    )
    bad_uid = APIClient().post(CONFIRM, {**params, "uid": "!!", "new_password": NEW_PASSWORD})

    assert bad_token.status_code == bad_uid.status_code == 400
    assert login(password=PASSWORD)


def test_reset_confirm_applies_password_validators(alice):
    request_reset("alice@example.com")
    params = link_params(mail.outbox[0])

    weak = APIClient().post(CONFIRM, {**params, "new_password": "123456789"})
    assert weak.status_code == 400 and "new_password" in weak.json()
    # The link is not spent by a refused password.
    assert APIClient().post(CONFIRM, {**params, "new_password": NEW_PASSWORD}).status_code == 200


def test_reset_ends_every_session(alice, django_capture_on_commit_callbacks, monkeypatch):
    closed = []
    monkeypatch.setattr(
        "realtime_scrum.sockets.groups.close_user",
        lambda user_id, except_session=None: closed.append((user_id, except_session)),
    )
    first, second = login(), login()
    request_reset("alice@example.com")
    params = link_params(mail.outbox[0])

    with django_capture_on_commit_callbacks(execute=True):
        APIClient().post(CONFIRM, {**params, "new_password": NEW_PASSWORD})

    for tokens in (first, second):
        assert bearer(tokens["access"]).get("/api/auth/me/").status_code == 401
        refreshed = APIClient().post("/api/auth/refresh/", {"refresh": tokens["refresh"]})
        assert refreshed.status_code == 401
    assert closed == [(alice.pk, None)]


def test_no_reset_mail_for_a_deactivated_account(alice):
    alice.is_active = False
    alice.save()

    assert request_reset("alice@example.com").status_code == 202
    assert mail.outbox == []
