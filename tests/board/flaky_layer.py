"""An in-memory channel layer that can be switched off, as Redis goes away under a daphne:
every call raises ConnectionError while `down`, and coming back up forgets every group and
queued message (a Redis restarted empty)."""

from __future__ import annotations

from channels.layers import InMemoryChannelLayer


class FlakyLayer(InMemoryChannelLayer):
    down = False

    def _check(self) -> None:
        if FlakyLayer.down:
            raise ConnectionError("Error 111 connecting to 127.0.0.1:6379. Connection refused.")

    async def send(self, channel, message):
        self._check()
        await super().send(channel, message)

    async def receive(self, channel):
        self._check()
        message = await super().receive(channel)
        self._check()  # went down while this receive waited
        return message

    async def group_add(self, group, channel):
        self._check()
        await super().group_add(group, channel)

    async def group_discard(self, group, channel):
        self._check()
        await super().group_discard(group, channel)

    async def group_send(self, group, message):
        self._check()
        await super().group_send(group, message)

    def restart_empty(self) -> None:
        self.groups.clear()
        self.channels.clear()
