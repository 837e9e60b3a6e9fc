"""`python -m realtime_scrum.server [daphne options] realtime_scrum.asgi:application`.

daphne's own command line with one change: a longer WebSocket close-handshake timeout.

Every refused socket is accepted and then closed (4401, 4403, ...) so the client can read the
code. After its close frame, autobahn waits `closeHandshakeTimeout` (1 s) for the client's echo
and then aborts the TCP connection. Its batched timer rounds the deadline down to a whole
second (txaio `_BatchedTimer.call_later`: `int(now + delay)`), so the abort really comes 0 to
1 s after the close frame, and the reset makes the client's kernel discard the 101 and close
frame it has not read yet: a client on a slow link or with a busy event loop saw no response
at all (or 1006) instead of its close code. A few seconds leave every client time to read it.
"""

from __future__ import annotations

from daphne.cli import CommandLineInterface
from daphne.server import Server
from twisted.internet import reactor

# Effective wait is 4-5 s after the rounding described above.
CLOSE_HANDSHAKE_TIMEOUT_S = 5


class ScrumServer(Server):
    def run(self) -> None:
        # run() builds ws_factory and then blocks in the reactor; this fires once the reactor
        # starts, before it accepts the first connection.
        reactor.callWhenRunning(self._tune_websockets)
        super().run()

    def _tune_websockets(self) -> None:
        self.ws_factory.setProtocolOptions(closeHandshakeTimeout=CLOSE_HANDSHAKE_TIMEOUT_S)


class ScrumCommandLine(CommandLineInterface):
    server_class = ScrumServer


if __name__ == "__main__":
    ScrumCommandLine.entrypoint()
