"""The hub's loop exception handler: channels-redis's own fire-and-forget tasks failing in a
Redis outage log no traceback (the hub logs the outage once); anything else still does."""

import asyncio
import logging

import redis.exceptions

from realtime_scrum.sockets.hub import _layer_background_losses


def failed_task(loop, filename: str) -> asyncio.Task:
    namespace: dict = {}
    source = "async def clean():\n    raise ConnectionError('Connection closed by server.')\n"
    exec(
        compile(source, filename, "exec"),
        {"ConnectionError": redis.exceptions.ConnectionError},
        namespace,
    )  # noqa: E501
    task = loop.create_task(namespace["clean"]())
    loop.run_until_complete(asyncio.wait([task]))
    return task


def test_channels_redis_background_losses_are_quiet_and_others_are_not(caplog):
    loop = asyncio.new_event_loop()
    try:
        _layer_background_losses(loop)
        for filename in ("/venv/site-packages/channels_redis/core.py", "/work/app/mine.py"):
            task = failed_task(loop, filename)
            loop.call_exception_handler(
                {"message": "Task exception was never retrieved", "exception": task.exception(),
                 "future": task}
            )  # fmt: skip
    finally:
        loop.close()
    errors = [r for r in caplog.records if r.levelno >= logging.ERROR]
    assert len(errors) == 1  # without the handler: 2, each with a traceback
