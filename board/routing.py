"""WebSocket URLs (SPEC section 5); realtime_scrum/asgi.py wraps them in origin + token auth."""

from django.urls import path

from .consumers import BoardConsumer, MeConsumer

websocket_urlpatterns = [
    path("ws/boards/<int:board_id>/", BoardConsumer.as_asgi()),
    path("ws/me/", MeConsumer.as_asgi()),
]
