"""/ws/me/: personal pushes only (notifications), for pages that show no board."""

from __future__ import annotations

from realtime_scrum.accounts.grants import grant_of
from realtime_scrum.sockets.protocol import ProtocolConsumer


class MeConsumer(ProtocolConsumer):
    async def authorize(self) -> bool:
        # Personal pushes may name any board: a board-limited token gets none (4403), as it
        # is refused the inbox over REST.
        grant = grant_of(self.user)
        return grant is None or not grant.board_limited

    async def start(self) -> None:
        await self.send_json(
            {
                "type": "hello",
                "user": {"id": self.user.pk, "username": self.user.username},
                "heartbeat_s": self.limits.heartbeat_s,
            }
        )
