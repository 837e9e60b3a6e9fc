"""Huey inside the daphne process, for the embedded default (`make run`).

With no REDIS_URL the channel layer is in-memory, i.e. per process: a push from a separate
`run_huey` process would never reach daphne's sockets. So `make run` sets HUEY_IN_PROCESS
and daphne starts the consumer's scheduler and worker as daemon threads (the SQLite-file
queue still persists tasks across restarts). With Redis, run `manage.py run_huey` as its own
process instead; pushes then travel through Redis.

The in-memory layer's queues are asyncio objects bound to daphne's event loop and are not
thread-safe, so a worker thread hands each push to that loop (`call_in_server`).

For the same reason `manage.py send_due_today` in a second terminal hands its work to the
running server (`digest_send_in_server`): a job on the shared SQLite queue, which the
server's consumer runs, so its pushes reach that server's sockets and its mail links carry
that server's address. With no server to take it, the command sends from its own process.
"""

from __future__ import annotations

import asyncio
import datetime as dt
import logging
import sys
import time
import uuid
from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from asgiref.sync import sync_to_async

if TYPE_CHECKING:  # services import this module (call_in_server)
    from .services.types import DigestReport

log = logging.getLogger(__name__)

PUSH_TIMEOUT_S = 10
# The in-process worker looks at the queue at least this often when idle (Huey's default
# backs off to 10 s), so a hand-off is taken within about a second.
CONSUMER_MAX_POLL_S = 1.0
# How long `send_due_today` waits for a server to take its job before sending itself.
PICKUP_WAIT_S = 10.0
# Once taken: the whole digest run, every user's mail included.
RESULT_WAIT_S = 600.0
SERVER, COMMAND = "server", "command"

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
        # Only daphne's loop is known here; another server would get unsafe pushes. A
        # management command run in `make run`'s environment lands here too: no warning.
        log.debug("HUEY_IN_PROCESS ignored: not running under daphne")
        return
    _server_loop = daphne_server.twisted_loop
    autodiscover_modules("tasks")
    consumer = HUEY.create_consumer(
        workers=1,
        worker_type="thread",
        periodic=True,
        check_worker_health=False,
        max_delay=CONSUMER_MAX_POLL_S,
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


# --- `send_due_today` in a second terminal ----------------------------------------------


def _job_key(job_id: str) -> str:
    return f"send-due-today.{job_id}"


def job_claim(job_id: str, by: str) -> bool:
    """Exactly one of the server's consumer and the waiting command runs a hand-off job: the
    first to store its name under the job's key (an atomic insert in Huey's storage). The
    digest ledger would stop a second send anyway; this also keeps the report truthful."""
    from huey.contrib.djhuey import HUEY

    return HUEY.put_if_empty(_job_key(job_id), by)


@dataclass
class HandOff:
    report: DigestReport
    by_server: bool


class HandOffFailed(Exception):
    pass


def digest_send_in_server(
    *, local_date: dt.date | None, wait: float = PICKUP_WAIT_S, poll: float = 0.1
) -> HandOff:
    """Queue the digest for the running server; past `wait` with no taker, send it here."""
    from huey.contrib.djhuey import HUEY
    from huey.exceptions import HueyException, TaskException

    from .services import DigestReport, digest_send_for_date
    from .tasks import due_today_by_hand

    job_id = uuid.uuid4().hex
    # Expiring with the wait: a consumer that starts later drops it rather than run it.
    result = due_today_by_hand(job_id, local_date, expires=wait)
    deadline = time.monotonic() + wait
    while time.monotonic() < deadline and HUEY.get(_job_key(job_id), peek=True) is None:
        time.sleep(poll)
    if job_claim(job_id, COMMAND):
        result.revoke()
        report = digest_send_for_date(local_date=local_date)
        # Revoked and expired by now: no consumer runs the job, its key can go.
        HUEY.delete(_job_key(job_id))
        return HandOff(report=report, by_server=False)
    try:
        value = result.get(blocking=True, timeout=RESULT_WAIT_S)
    except (HueyException, TaskException) as exc:
        # ResultTimeout included: the server died or hangs. Its log says which; the
        # ledger keeps a second run from sending any digest twice.
        raise HandOffFailed(f"the server took the job but did not finish it: {exc!r}") from exc
    finally:
        HUEY.delete(_job_key(job_id))
    return HandOff(report=DigestReport(**value), by_server=True)
