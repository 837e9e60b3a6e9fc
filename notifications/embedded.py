"""Huey inside the daphne process, for the embedded default (`make run`).

With no REDIS_URL the channel layer is in-memory, i.e. per process: a push from a separate
`run_huey` process would never reach daphne's sockets. So `make run` sets HUEY_IN_PROCESS
and daphne starts the consumer's scheduler and worker as daemon threads (the SQLite-file
queue still persists tasks across restarts). With Redis, run `manage.py run_huey` as its own
process instead; pushes then travel through Redis.

The in-memory layer's queues are asyncio objects bound to daphne's event loop and are not
thread-safe, so a worker thread hands each push to that loop (`call_in_server`).
"""

from __future__ import annotations

import asyncio
import logging
import sys
from collections.abc import Callable
from typing import Any

from asgiref.sync import sync_to_async

log = logging.getLogger(__name__)

PUSH_TIMEOUT_S = 10

_server_loop: asyncio.AbstractEventLoop | None = None
_started = False


def consumer_start_in_process() -> None:
    """Start Huey's scheduler and one worker thread in this daphne process (once)."""
    global _server_loop, _started
    if _started:
        return
    from django.utils.module_loading import autodiscover_modules
    from huey.contrib.djhuey import HUEY

    if HUEY.immediate:
        log.warning("HUEY_IN_PROCESS ignored: Huey is in immediate mode")
        return
    daphne_server = sys.modules.get("daphne.server")
    if daphne_server is None:
        # Only daphne's loop is known here; another server would get unsafe pushes.
        log.warning("HUEY_IN_PROCESS ignored: not running under daphne")
        return
    _server_loop = daphne_server.twisted_loop
    autodiscover_modules("tasks")
    consumer = HUEY.create_consumer(
        workers=1, worker_type="thread", periodic=True, check_worker_health=False
    )
    # Consumer.start() would also install signal handlers, which belong to daphne's main
    # thread; start the threads alone. They are daemons and end with the server.
    consumer.scheduler.start()
    for _, thread in consumer.worker_threads:
        thread.start()
    _started = True
    log.info("Huey consumer running inside this process (queue %s)", HUEY.name)


def _on_server_loop() -> bool:
    try:
        return asyncio.get_running_loop() is _server_loop
    except RuntimeError:
        return False


def call_in_server(fn: Callable[..., Any], *args: Any) -> None:
    """Run a sync channel-layer call as if from the server's own request handling.

    sync_to_async on the server loop marks its thread so the `async_to_sync` inside `fn`
    runs the coroutine on that loop, where the in-memory layer's queues live."""
    loop = _server_loop
    # Before the reactor runs there are no sockets (no queue bound to its loop) to reach.
    if loop is None or _on_server_loop() or not loop.is_running():
        fn(*args)
        return
    call = sync_to_async(fn, thread_sensitive=False)(*args)
    asyncio.run_coroutine_threadsafe(call, loop).result(timeout=PUSH_TIMEOUT_S)
