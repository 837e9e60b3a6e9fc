"""Django's HTTP requests run on a fixed set of reused threads (realtime_scrum/asgi_threads)."""

import asyncio
import threading

import pytest
from channels.testing import HttpCommunicator
from django.core.signals import request_started

from realtime_scrum.asgi_threads import PooledThreadASGIHandler

pytestmark = pytest.mark.django_db(transaction=True)


async def _get(handler) -> int:
    headers = [(b"host", b"127.0.0.1")]
    response = await HttpCommunicator(handler, "GET", "/healthz", headers=headers).get_response()
    return response["status"]


@pytest.fixture
def sync_threads():
    seen: list[int] = []

    def record(**kwargs) -> None:  # a sync receiver: runs on the request's sync thread
        seen.append(threading.get_ident())

    request_started.connect(record)
    yield seen
    request_started.disconnect(record)


async def test_sequential_requests_share_one_thread(sync_threads):
    handler = PooledThreadASGIHandler(threads=2)
    assert [await _get(handler) for _ in range(4)] == [200] * 4
    # The first free thread is handed out again: one thread (so one DB connection) for all.
    assert len(sync_threads) == 4 and len(set(sync_threads)) == 1


async def test_concurrent_requests_use_at_most_the_pool(sync_threads):
    handler = PooledThreadASGIHandler(threads=2)
    statuses = await asyncio.gather(*(_get(handler) for _ in range(6)))
    assert statuses == [200] * 6
    assert len(sync_threads) == 6 and len(set(sync_threads)) <= 2
