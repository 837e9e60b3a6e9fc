"""WebSocket consumers: the protocol only — authorize through the selectors, join, forward,
answer. Frames are built in board/realtime.py, delivered by board/live/, and the socket core
(limits, tokens, groups, the layer) is realtime_scrum/sockets/."""

from .board import BoardConsumer
from .me import MeConsumer

__all__ = ["BoardConsumer", "MeConsumer"]
