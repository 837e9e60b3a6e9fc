"""/healthz: the process answers. /readyz: it can reach what it needs to serve traffic."""

import asyncio
import uuid

from asgiref.sync import async_to_sync
from channels.layers import get_channel_layer
from django.conf import settings
from django.db import connection
from django.http import JsonResponse

from realtime_scrum.sockets.hub import layer_state


def healthz(request):
    return JsonResponse({"status": "ok"})


def _check_database() -> None:
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1")
        cursor.fetchone()


def _check_redis() -> None:
    if not settings.REDIS_URL:
        return
    import redis

    client = redis.Redis.from_url(settings.REDIS_URL, socket_timeout=2, socket_connect_timeout=2)
    try:
        client.ping()
    finally:
        client.close()


def _check_channel_layer() -> None:
    layer = get_channel_layer()

    async def roundtrip():
        channel = await layer.new_channel("readyz.")
        token = uuid.uuid4().hex
        await layer.send(channel, {"type": "readyz", "token": token})
        message = await layer.receive(channel)
        if message.get("token") != token:
            raise RuntimeError("channel layer returned a different message")

    async def bounded():
        # The layer's socket_timeout is None (idle reads must not time out): a hung Redis
        # would hang this check, and /readyz with it.
        await asyncio.wait_for(roundtrip(), 2)

    async_to_sync(bounded)()


def _check_realtime() -> None:
    """This process's own view of the layer (realtime_scrum/sockets/hub.py): "degraded"
    while its sockets are fed from the event log instead."""
    state = layer_state()
    if state == "degraded":
        raise LayerDegraded


class LayerDegraded(Exception):
    pass


def readyz(request):
    checks = {}
    for name, check in (
        ("database", _check_database),
        ("redis", _check_redis),
        ("channel_layer", _check_channel_layer),
        ("realtime", _check_realtime),
    ):
        try:
            check()
            checks[name] = "ok"
        except LayerDegraded:
            checks[name] = "degraded"
        except Exception as exc:  # a failed dependency is the answer, not a crash
            checks[name] = f"error: {type(exc).__name__}"
    ok = all(v == "ok" for v in checks.values())
    return JsonResponse(
        {"status": "ok" if ok else "unavailable", "checks": checks}, status=200 if ok else 503
    )
