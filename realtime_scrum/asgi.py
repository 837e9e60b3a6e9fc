"""ASGI entry point: HTTP through Django, WebSockets through Channels (board/routing.py)."""

import os

from django.core.asgi import get_asgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "realtime_scrum.settings")
# Load Django (apps, models) before importing anything that touches models.
django_asgi_app = get_asgi_application()

from django.conf import settings  # noqa: E402
from django.core.handlers.asgi import ASGIHandler  # noqa: E402
from django.core.signals import request_finished  # noqa: E402
from django.db import connections  # noqa: E402

from realtime_scrum.asgi_threads import PooledThreadASGIHandler  # noqa: E402


def close_request_thread_connections(sender, **kwargs) -> None:
    """Close the connections of a request served by Django's own ASGI handler.

    That handler runs each request on a thread of its own (this receiver runs on it), so a
    persistent connection would never be reused: it stayed open until garbage collection and a
    burst of requests exhausted MySQL's max_connections ("Too many connections" in make bench).
    Django's docs say to disable persistent connections under ASGI; closing here instead keeps
    them for the long-lived threads (Channels' database thread, SYNC_THREADS, Huey). On
    MariaDB, closing hands the connection to the next request (realtime_scrum/mysql_pool)."""
    if sender is ASGIHandler:  # not the pooled handler, not the test client
        for conn in connections.all(initialized_only=True):
            conn.close()


request_finished.connect(close_request_thread_connections)

# Sync views on SYNC_THREADS long-lived threads, so DB connections persist (asgi_threads.py);
# SYNC_THREADS=0 keeps Django's own handler (a thread per request).
if settings.SYNC_THREADS > 0:
    django_asgi_app = PooledThreadASGIHandler(settings.SYNC_THREADS)

from channels.routing import ProtocolTypeRouter, URLRouter  # noqa: E402

from board.routing import websocket_urlpatterns  # noqa: E402
from realtime_scrum.accounts.ws_auth import websocket_stack  # noqa: E402
from realtime_scrum.gc_tuning import tune_gc  # noqa: E402

tune_gc()

application = ProtocolTypeRouter(
    {
        "http": django_asgi_app,
        "websocket": websocket_stack(URLRouter(websocket_urlpatterns)),
    }
)
