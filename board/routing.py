"""WebSocket URLs (SPEC section 5); realtime_scrum/asgi.py wraps them in origin + token auth."""

from channels.security.websocket import WebsocketDenier
from django.urls import path, re_path

from .consumers import BoardConsumer, MeConsumer

websocket_urlpatterns = [
    path("ws/boards/<int:board_id>/", BoardConsumer.as_asgi()),
    path("ws/me/", MeConsumer.as_asgi()),
    # Any other path: refuse the handshake (daphne answers 403). Without this URLRouter raises
    # "No route found", which daphne logs as a traceback and answers 500 to anyone who asks.
    re_path(r"", WebsocketDenier.as_asgi()),
]
