"""The `notification` frame on the user's sockets, and the inbox for offline users.

The socket consumers forward `user.frame` messages of group `user.<id>` verbatim, so this
checks the channel layer; an end-to-end socket test comes with the consumers."""

import asyncio
import datetime as dt

import pytest
import time_machine
from asgiref.sync import async_to_sync
from channels.layers import get_channel_layer

from notifications.models import Notification
from tests.conftest import client_for

from .conftest import LONDON, at

DAY = dt.date(2025, 6, 10)
MORNING = at(LONDON, 2025, 6, 10, 7, 0)


@pytest.fixture
def layer(settings):
    settings.CHANNEL_LAYERS = {"default": {"BACKEND": "channels.layers.InMemoryChannelLayer"}}
    return get_channel_layer()


def _socket(layer, user) -> str:
    channel = async_to_sync(layer.new_channel)()
    async_to_sync(layer.group_add)(f"user.{user.pk}", channel)
    return channel


def _receive(layer, channel: str, when: dt.datetime = MORNING) -> dict:
    async def get():
        return await asyncio.wait_for(layer.receive(channel), timeout=2)

    # In-memory messages expire by wall-clock time, so read them at the frozen "now".
    with time_machine.travel(when):
        return async_to_sync(get)()


def test_online_user_gets_a_notification_frame_on_every_socket(run_job, team, layer):
    me = team.user("me", LONDON)
    task = team.assign(me, DAY, name="Fix login")
    sockets = [_socket(layer, me), _socket(layer, me)]
    bystander = _socket(layer, team.user("other", LONDON))

    run_job(MORNING)

    note = Notification.objects.get(user=me)
    for channel in sockets:
        message = _receive(layer, channel)
        assert message["type"] == "user.frame"
        frame = message["frame"]
        assert frame == {
            "type": "notification",
            "id": note.pk,
            "kind": "due_today",
            "title": "1 task due today",
            "data": note.data,
        }
        assert frame["data"]["tasks"][0]["id"] == task.pk
        assert frame["data"]["tasks"][0]["url"].endswith(f"/boards/{task.board_id}/?task={task.pk}")
    assert layer.channels.get(bystander) is None  # nothing queued for the other user


def test_push_happens_once_even_when_the_job_runs_again(run_job, team, layer):
    me = team.user("me", LONDON)
    team.assign(me, DAY)
    channel = _socket(layer, me)

    run_job(MORNING)
    run_job(at(LONDON, 2025, 6, 10, 7, 15))

    assert _receive(layer, channel)["frame"]["type"] == "notification"
    assert layer.channels.get(channel) is None


def test_offline_user_finds_it_in_the_api(run_job, team):
    me = team.user("me", LONDON)
    task = team.assign(me, DAY)

    run_job(at(LONDON, 2025, 6, 10, 7, 0))

    [item] = client_for(me).get("/api/notifications/").json()["results"]
    assert item["kind"] == "due_today"
    assert item["title"] == "1 task due today"
    assert item["read_at"] is None
    assert [t["id"] for t in item["data"]["tasks"]] == [task.pk]
