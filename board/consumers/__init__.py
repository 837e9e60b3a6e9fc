"""WebSocket consumers: thin — authenticate (middleware), authorize through the selectors,
join groups, forward, answer. The wire format lives in board/realtime.py."""

from .board import BoardConsumer
from .me import MeConsumer

__all__ = ["BoardConsumer", "MeConsumer"]
