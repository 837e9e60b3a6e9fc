"""ASGI entry point: HTTP through Django, WebSockets through Channels (board/routing.py)."""

import os

from django.core.asgi import get_asgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "realtime_scrum.settings")
# Load Django (apps, models) before importing anything that touches models.
django_asgi_app = get_asgi_application()

from django.core.handlers.asgi import ASGIHandler  # noqa: E402
from django.core.signals import request_finished  # noqa: E402
from django.db import connections  # noqa: E402


def close_request_thread_connections(sender, **kwargs) -> None:
    """Close the connections of a request served by Django's ASGI handler.

    That handler runs each request on a thread of its own (this receiver runs on it), so a
    persistent connection would never be reused: it stayed open until garbage collection and a
    burst of requests exhausted MySQL's max_connections ("Too many connections" in make bench).
    Django's docs say to disable persistent connections under ASGI; closing here instead keeps
    them for the long-lived threads (Channels' database thread, Huey). On MariaDB, closing
    hands the connection to the next request (realtime_scrum/mysql_pool)."""
    if sender is ASGIHandler:  # not the test client
        for conn in connections.all(initialized_only=True):
            conn.close()


request_finished.connect(close_request_thread_connections)

from channels.routing import ProtocolTypeRouter, URLRouter  # noqa: E402

from board.routing import websocket_urlpatterns  # noqa: E402
from realtime_scrum.accounts.ws_auth import websocket_stack  # noqa: E402

application = ProtocolTypeRouter(
    {
        "http": django_asgi_app,
        "websocket": websocket_stack(URLRouter(websocket_urlpatterns)),
    }
)
