"""Django's HTTP handler on a fixed set of long-lived threads (the WSGI model, under ASGI).

Django's ASGIHandler wraps each request in a fresh asgiref ThreadSensitiveContext, so its
sync middleware and DRF views run in a thread made for that request and ended after it.
Django's database connections belong to threads, so each request also opened a new MariaDB
connection (connect, charset, sql_mode, autocommit: four round trips) and DB_CONN_MAX_AGE
never took effect under daphne. B6 measured the cost (docs/benchmarks.md).

Here each request borrows one of SYNC_THREADS single-thread executors for its sync work
(asgiref's ThreadSensitiveContext(executor=...)), so connections persist per thread and
CONN_MAX_AGE / close_old_connections apply exactly as under a threaded WSGI server.
Requests beyond SYNC_THREADS wait for a free thread: that is the bound on concurrent sync
requests (and on database connections) per process. A request holds its thread from the
start of `handle` (body read included) to the end of the response; nginx buffers request
bodies, so a slow upload does not hold one in deployment. WebSockets never come here.
"""

from __future__ import annotations

import asyncio
from concurrent.futures import ThreadPoolExecutor

from asgiref.sync import ThreadSensitiveContext
from django.core.handlers.asgi import ASGIHandler


class PooledThreadASGIHandler(ASGIHandler):
    def __init__(self, threads: int) -> None:
        super().__init__()
        self.threads = threads
        self._free: asyncio.LifoQueue[ThreadPoolExecutor] | None = None

    def _pool(self) -> asyncio.LifoQueue[ThreadPoolExecutor]:
        # Created on first use, inside the server's running loop. Last in, first out: under
        # light load the same few threads (and connections) serve, the rest stay idle.
        if self._free is None:
            self._free = asyncio.LifoQueue()
            for i in range(self.threads):
                self._free.put_nowait(
                    ThreadPoolExecutor(max_workers=1, thread_name_prefix=f"django-sync-{i}")
                )
        return self._free

    async def __call__(self, scope, receive, send):
        if scope["type"] != "http":
            return await super().__call__(scope, receive, send)  # raises as Django does
        free = self._pool()
        executor = await free.get()
        try:
            # A new context per request (asgiref refuses re-entry), the same thread each time.
            async with ThreadSensitiveContext(executor=executor):
                await self.handle(scope, receive, send)
        finally:
            free.put_nowait(executor)
