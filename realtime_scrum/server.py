"""`python -m realtime_scrum.server [daphne options] realtime_scrum.asgi:application`.

daphne's own command line with two changes to its WebSockets:

A longer close-handshake timeout. Every refused socket is accepted and then closed (4401,
4403, ...) so the client can read the code. After its close frame, autobahn waits
`closeHandshakeTimeout` (1 s) for the client's echo and then aborts the TCP connection. Its
batched timer rounds the deadline down to a whole second (txaio `_BatchedTimer.call_later`:
`int(now + delay)`), so the abort really comes 0 to 1 s after the close frame, and the reset
makes the client's kernel discard the 101 and close frame it has not read yet: a client on a
slow link or with a busy event loop saw no response at all (or 1006) instead of its close
code. A few seconds leave every client time to read it.

A bounded send buffer. daphne writes every frame into the Twisted transport whether or not
the client reads, and the ASGI app cannot see that buffer: a client that never reads grew it
by everything its board sent (megabytes per socket in a burst, never released while the
socket lived). Past `WS_SEND_BUFFER_BYTES` of unread output the socket is closed with 4409
and nothing more is written to it; the abort at the end of the close handshake then drops
what it still holds (realtime_scrum/sendbuffer.py has the accounting).
"""

from __future__ import annotations

import logging

from daphne.cli import CommandLineInterface
from daphne.server import Server
from daphne.ws_protocol import WebSocketProtocol
from django.conf import settings
from twisted.internet import reactor
from twisted.internet.interfaces import IPushProducer
from zope.interface import implementer

from realtime_scrum.sendbuffer import SendBudget

log = logging.getLogger(__name__)

# Effective wait is 4-5 s after the rounding described above.
CLOSE_HANDSHAKE_TIMEOUT_S = 5
CLOSE_SEND_BUFFER_FULL = 4409
# Twisted's FileDescriptor.bufferSize, for a transport that does not say.
DEFAULT_HIGH_WATER = 64 * 1024


@implementer(IPushProducer)
class _BufferSignals:
    """The transport's full/empty signals, passed to the socket's budget."""

    __slots__ = ("budget",)

    def __init__(self, budget: SendBudget):
        self.budget = budget

    def pauseProducing(self) -> None:
        self.budget.pause()

    def resumeProducing(self) -> None:
        self.budget.resume()

    def stopProducing(self) -> None:
        pass


class ScrumWebSocketProtocol(WebSocketProtocol):
    # Set from settings when the server starts (ScrumServer._tune_websockets).
    send_buffer_bytes = 1024 * 1024
    send_budget: SendBudget | None = None
    send_overflowed = False

    def connectionMade(self) -> None:
        super().connectionMade()
        transport = self.transport
        high_water = getattr(transport, "bufferSize", DEFAULT_HIGH_WATER)
        if self.send_buffer_bytes < high_water:
            # The transport only says "full" past its bufferSize; below it a smaller limit
            # could never be seen.
            transport.bufferSize = high_water = self.send_buffer_bytes
        self.send_budget = SendBudget(self.send_buffer_bytes, high_water)
        # daphne upgrades by handing this protocol the HTTP channel's transport with the
        # channel still registered as its producer, where it does nothing for a socket (its
        # request never finishes, so it never pauses reading). A transport has one producer
        # slot: take it over, or registering ours raises.
        transport.unregisterProducer()
        transport.registerProducer(_BufferSignals(self.send_budget), True)

    def serverSend(self, content, binary=False):
        # daphne's serverSend plus the budget check before the frame is written.
        if self.state == self.STATE_CONNECTING:
            self.serverAccept()
        if self.send_overflowed:
            # Raising would end the consumer with a traceback (it does not expect a socket it
            # never closed to refuse sends); it learns of the close from websocket.disconnect.
            return
        payload = content if binary else content.encode("utf8")
        budget = self.send_budget
        if budget is not None and budget.write(len(payload)):
            self._close_send_buffer_full()
            return
        self.sendMessage(payload, binary)

    def _close_send_buffer_full(self) -> None:
        self.send_overflowed = True
        addr = getattr(self, "client_addr", None)
        log.warning(
            "WebSocket %s closed with %d: more than %d bytes of output unread",
            f"{addr[0]}:{addr[1]}" if addr else "-",
            CLOSE_SEND_BUFFER_FULL,
            self.send_buffer_bytes,
        )
        # The close frame queues behind the unread output; the client sees 4409 if it
        # catches up within the close handshake timeout, else the abort (and its reset).
        self.serverClose(code=CLOSE_SEND_BUFFER_FULL)


class ScrumServer(Server):
    def run(self) -> None:
        # run() builds ws_factory and then blocks in the reactor; this fires once the reactor
        # starts, before it accepts the first connection.
        reactor.callWhenRunning(self._tune_websockets)
        super().run()

    def _tune_websockets(self) -> None:
        # Django is set up by now: daphne imported the ASGI application before run().
        self.ws_factory.setProtocolOptions(closeHandshakeTimeout=CLOSE_HANDSHAKE_TIMEOUT_S)
        ScrumWebSocketProtocol.send_buffer_bytes = settings.WS_SEND_BUFFER_BYTES
        self.ws_factory.protocol = ScrumWebSocketProtocol


class ScrumCommandLine(CommandLineInterface):
    server_class = ScrumServer


if __name__ == "__main__":
    ScrumCommandLine.entrypoint()
