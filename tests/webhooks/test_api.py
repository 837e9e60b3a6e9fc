"""The webhook endpoints: owners only, the secret once, validation, ping, deliveries,
redeliver (webhooks/api/views.py)."""

import json
from unittest import mock

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from standardwebhooks import Webhook as StandardWebhook

from tests.conftest import client_for
from tests.factories import BoardFactory
from webhooks import drain, targets
from webhooks.models import Webhook

pytestmark = pytest.mark.django_db
PUBLIC = "https://93.184.215.14/in"


@pytest.fixture
def owner_api(owner):
    return client_for(owner)


def create(api, board, **body):
    return api.post(f"/api/boards/{board.pk}/webhooks/", {"url": PUBLIC, **body}, format="json")


def test_create_shows_the_secret_once(owner_api, board):
    response = create(owner_api, board, events=["task.*"])
    assert response.status_code == 201, response.json()
    body = response.json()
    assert body["secret"].startswith("whsec_") and body["events"] == ["task.*"]
    StandardWebhook(body["secret"])  # a secret the receiver's library accepts
    listed = owner_api.get(f"/api/boards/{board.pk}/webhooks/").json()["results"]
    assert [h["id"] for h in listed] == [body["id"]] and "secret" not in listed[0]
    assert "secret" not in owner_api.get(f"/api/webhooks/{body['id']}/").json()


@pytest.mark.parametrize(
    ("url", "message"),
    [
        ("ftp://93.184.215.14/x", "http"),
        ("https://user:pw@93.184.215.14/x", "Credentials"),
        ("https:///nohost", "host"),
        ("http://127.0.0.1:9000/x", "loopback"),
        ("http://10.0.0.7/x", "private"),
        ("http://169.254.169.254/latest/meta-data", "link-local"),
        ("http://[::1]/x", "loopback"),
        ("http://224.0.0.1/x", "multicast"),
        ("http://0.0.0.0/x", "address"),
    ],
)
def test_bad_or_private_urls_are_a_400_with_a_field_message(owner_api, board, url, message):
    response = create(owner_api, board, url=url)
    assert response.status_code == 400
    assert message in response.json()["url"][0]
    assert not Webhook.objects.exists()


def test_a_name_resolving_to_a_private_address_is_refused_at_creation(owner_api, board):
    with mock.patch.object(targets, "resolve", lambda host, port: ["192.168.1.20"]):
        response = create(owner_api, board, url="https://intranet.example.com/hook")
    assert response.status_code == 400 and "192.168.1.20" in response.json()["url"][0]


def test_an_unknown_event_pattern_is_a_400(owner_api, board):
    response = create(owner_api, board, events=["tsk.created"])
    assert response.status_code == 400 and "matches no event" in response.json()["events"][0]


def test_only_owners_manage_webhooks(board, member, outsider, owner_api):
    hook_id = create(owner_api, board).json()["id"]
    for user, code in ((member, 403), (outsider, 404)):
        api = client_for(user)
        assert api.get(f"/api/boards/{board.pk}/webhooks/").status_code == code
        assert create(api, board).status_code == code
        assert api.get(f"/api/webhooks/{hook_id}/").status_code == code
        assert api.patch(f"/api/webhooks/{hook_id}/", {"active": False}).status_code == code
        assert api.delete(f"/api/webhooks/{hook_id}/").status_code == code
        assert api.post(f"/api/webhooks/{hook_id}/ping/").status_code == code
        assert api.get(f"/api/webhooks/{hook_id}/deliveries/").status_code == code
        assert api.post(f"/api/webhooks/{hook_id}/redeliver/", {"seq": 1}).status_code == code
    assert owner_api.get("/api/webhooks/999999/").status_code == 404
    assert Webhook.objects.get(pk=hook_id).active


def test_the_list_costs_the_same_queries_for_one_or_many(owner_api, board):
    def counted():
        with CaptureQueriesContext(connection) as queries:
            response = owner_api.get(f"/api/boards/{board.pk}/webhooks/")
        return len(queries), len(response.json()["results"])

    create(owner_api, board)
    owner_api.get(f"/api/boards/{board.pk}/webhooks/")  # warm the session cache
    one, listed = counted()
    for _ in range(5):
        create(owner_api, board)
    assert counted() == (one, 6) and listed == 1
    assert one <= 4


def test_patch_and_delete(owner_api, board):
    hook_id = create(owner_api, board).json()["id"]
    response = owner_api.patch(
        f"/api/webhooks/{hook_id}/", {"events": ["board.updated"], "active": False}, format="json"
    )
    assert response.status_code == 200
    assert response.json()["events"] == ["board.updated"] and not response.json()["active"]
    assert (
        owner_api.patch(f"/api/webhooks/{hook_id}/", {"url": "http://10.1.1.1/"}).status_code == 400
    )
    assert owner_api.delete(f"/api/webhooks/{hook_id}/").status_code == 204
    assert owner_api.get(f"/api/webhooks/{hook_id}/").status_code == 404


def test_re_enabling_resumes_from_the_cursor(receiver, make_hook, write, owner_api):
    hook = make_hook(receiver.url)
    first = write(2)
    Webhook.objects.filter(pk=hook.pk).update(
        active=False, disabled_reason="gave up", attempts=40, failing_since="2026-11-01T00:00Z"
    )
    later = write(2)
    response = owner_api.patch(f"/api/webhooks/{hook.pk}/", {"active": True}, format="json")
    assert response.json()["disabled_reason"] == "" and response.json()["failing_since"] is None
    drain.drain(hook.pk)
    assert [json.loads(r.body)["seq"] for r in receiver.wait_for(4)] == first + later


def test_ping_sends_a_signed_ping_and_answers_with_its_delivery(receiver, make_hook, owner_api):
    hook = make_hook(receiver.url)
    response = owner_api.post(f"/api/webhooks/{hook.pk}/ping/")
    assert response.status_code == 200
    assert response.json()["status_code"] == 200 and response.json()["trigger"] == "ping"
    (request,) = receiver.wait_for(1)
    payload = StandardWebhook(hook.secret).verify(request.body, request.headers)
    assert payload["name"] == "webhook.ping" and payload["seq"] is None
    assert Webhook.objects.get(pk=hook.pk).cursor == hook.cursor


def test_deliveries_and_redeliver(receiver, make_hook, write, owner_api, board):
    hook = make_hook(receiver.url)
    (seq,) = write(1)
    drain.drain(hook.pk)
    response = owner_api.post(f"/api/webhooks/{hook.pk}/redeliver/", {"seq": seq}, format="json")
    assert response.status_code == 200 and response.json()["trigger"] == "redeliver"
    first, again = receiver.wait_for(2)
    assert first.body == again.body or json.loads(first.body) == json.loads(again.body)
    assert first.headers["webhook-id"] == again.headers["webhook-id"]
    rows = owner_api.get(f"/api/webhooks/{hook.pk}/deliveries/").json()["results"]
    assert [(r["seq"], r["attempt"], r["status_code"]) for r in rows] == [(seq, 1, 200)] * 2
    assert set(rows[0]) >= {"id", "seq", "attempt", "status_code", "duration_ms", "error", "at"}
    assert Webhook.objects.get(pk=hook.pk).cursor == seq


def test_redeliver_of_an_event_not_in_this_boards_log(receiver, make_hook, write, owner_api, owner):
    hook = make_hook(receiver.url)
    other = BoardFactory(owner=owner)
    url = f"/api/webhooks/{hook.pk}/redeliver/"
    assert owner_api.post(url, {"seq": 9999}, format="json").status_code == 404
    assert owner_api.post(url, {"seq": "x"}, format="json").status_code == 400
    assert owner_api.post(url, {}, format="json").status_code == 400
    assert other.pk != hook.board_id
    assert receiver.requests == []
