"""ASGI entry point: HTTP through Django, WebSockets through Channels (board/routing.py)."""

import os

from django.core.asgi import get_asgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "realtime_scrum.settings")
# Load Django (apps, models) before importing anything that touches models.
django_asgi_app = get_asgi_application()

from django.conf import settings  # noqa: E402

from realtime_scrum.asgi_threads import PooledThreadASGIHandler  # noqa: E402

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
