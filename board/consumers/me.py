"""/ws/me/: personal pushes only (notifications), for pages that show no board."""

from __future__ import annotations

from realtime_scrum.sockets.protocol import ProtocolConsumer


class MeConsumer(ProtocolConsumer):
    async def start(self) -> None:
        await self.send_json(
            {
                "type": "hello",
                "user": {"id": self.user.pk, "username": self.user.username},
                "heartbeat_s": self.limits.heartbeat_s,
            }
        )
