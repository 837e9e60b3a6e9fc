"""Huey wiring: the schedule, the test-mode queue, and the in-process consumer's push hop."""

import asyncio
import datetime as dt
import threading

import pytest
from asgiref.sync import async_to_sync
from channels.layers import get_channel_layer
from huey.contrib.djhuey import HUEY

from notifications import embedded
from notifications.tasks import due_today_digest
from realtime_scrum.sockets import groups


def test_tests_run_tasks_immediately():
    assert HUEY.immediate


def test_job_runs_every_quarter_hour_in_utc():
    task = due_today_digest.s()
    minutes = [m for m in range(60) if task.validate_datetime(dt.datetime(2025, 6, 10, 3, m))]
    assert minutes == [0, 15, 30, 45]


def test_in_process_consumer_is_not_started_in_immediate_mode():
    embedded.consumer_start_in_process()
    assert not embedded._started


@pytest.fixture
def server_loop(monkeypatch):
    """An event loop on its own thread, standing in for daphne's."""
    loop = asyncio.new_event_loop()
    thread = threading.Thread(target=loop.run_forever, daemon=True)
    thread.start()
    monkeypatch.setattr(embedded, "_server_loop", loop)
    yield loop
    loop.call_soon_threadsafe(loop.stop)
    thread.join(timeout=5)
    loop.close()


def test_push_from_a_worker_thread_reaches_a_socket_waiting_on_the_server_loop(
    server_loop, settings
):
    settings.CHANNEL_LAYERS = {"default": {"BACKEND": "channels.layers.InMemoryChannelLayer"}}
    layer = get_channel_layer()

    async def socket():
        channel = await layer.new_channel()
        await layer.group_add(groups.user_group(7), channel)
        return channel

    channel = asyncio.run_coroutine_threadsafe(socket(), server_loop).result(5)
    # The socket is already waiting on the server loop when the push arrives, as in daphne.
    waiting = asyncio.run_coroutine_threadsafe(layer.receive(channel), server_loop)

    frame = {"type": "notification", "id": 1, "kind": "due_today", "title": "t", "data": {}}
    embedded.call_in_server(groups.push_to_user, 7, frame)

    assert waiting.result(timeout=5) == {"type": "user.frame", "frame": frame, "group": "user.7"}


def test_call_in_server_runs_async_to_sync_on_the_server_loop(server_loop):
    seen = []

    def sync_fn(tag):
        async def where():
            return asyncio.get_running_loop()

        seen.append((tag, async_to_sync(where)()))

    embedded.call_in_server(sync_fn, "push")

    assert seen == [("push", server_loop)]
