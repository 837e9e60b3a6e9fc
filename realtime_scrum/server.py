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
socket lived). Here the transport's full/empty signals (an IPushProducer) hold frames back in
a counted queue while it is full (realtime_scrum/sendbuffer.py). A socket whose unread output
passes `WS_SEND_BUFFER_BYTES` and then takes nothing for `SLOW_CHECK_S`, or that passes
`HARD_LIMIT_FACTOR` times it, is closed with 4409: what it held is dropped, nothing more is
written to it, and the abort at the end of the close handshake frees the rest. The grace is
for bursts the server writes in one go (a replay, a repair from the log): the transport has
had no turn to send them yet, and a client that reads must not be closed for them.

No query strings in the access log. daphne writes a plain HTTP request's full URI there, and
`?token=` on /ws/ carries an access token (ScrumServer.log_action).

Its own address. Mail links point at the address the server was started on when SITE_URL is
not set (SERVER_URL, exported before the app loads: the digest's mail is built in this
process on the embedded default, notifications/embedded.py), and once it listens it prints
the URL to open, last, after an optional `--banner` (`make run`: the demo logins).
"""

from __future__ import annotations

import logging

from autobahn.exception import Disconnected, PayloadExceededError
from daphne.cli import DEFAULT_HOST, DEFAULT_PORT, CommandLineInterface
from daphne.server import Server
from daphne.ws_protocol import WebSocketProtocol
from django.conf import settings
from twisted.internet import reactor
from twisted.internet.base import DelayedCall
from twisted.internet.interfaces import IPushProducer
from zope.interface import implementer

from realtime_scrum import direct_send, metrics
from realtime_scrum.gc_tuning import tune_gc
from realtime_scrum.sendbuffer import OVER, READING, REFUSED, STUCK, SendBuffer
from realtime_scrum.server_address import announcement, export_server_url

# Not __name__: `python -m` runs this module as __main__.
log = logging.getLogger("realtime_scrum.server")

# Effective wait is 4-5 s after the rounding described above.
CLOSE_HANDSHAKE_TIMEOUT_S = 5
CLOSE_SEND_BUFFER_FULL = 4409
# How long a socket past the limit gets to show it takes anything: a phone or a busy tab
# stalls for a second or two and then reads on (the hard cap bounds memory meanwhile).
SLOW_CHECK_S = 2.0
# Past this many times the limit a socket is closed at once: the memory bound.
HARD_LIMIT_FACTOR = 4
# Twisted's FileDescriptor.bufferSize, for a transport that does not say.
DEFAULT_HIGH_WATER = 64 * 1024


@implementer(IPushProducer)
class _TransportSignals:
    """The transport's full/empty signals, for the socket's send buffer and its reading.

    Reading stops while the transport is full, as twisted.web's HTTPChannel does for HTTP:
    what autobahn answers by itself (a pong per ping) bypasses the send buffer, and a client
    that does not read should not get to make the server write more."""

    __slots__ = ("protocol",)

    def __init__(self, protocol: ScrumWebSocketProtocol):
        self.protocol = protocol

    def pauseProducing(self) -> None:
        # Twisted repeats this on every write while the buffer stays full: act on the first.
        protocol = self.protocol
        if not protocol.outbox.paused:
            protocol.outbox.pause()
            protocol.transport.pauseProducing()

    def resumeProducing(self) -> None:
        self.protocol.transport_drained()

    def stopProducing(self) -> None:
        pass


_HANDSHAKE_LEFTOVERS = (
    "http_headers",
    "http_request_data",
    "http_request_params",
    "http_request_uri",
    "http_response_data",
)


class _OpenedRequest:
    """What daphne still reads of the handshake's request once the socket is open."""

    __slots__ = ("path",)

    def __init__(self, path: str) -> None:
        self.path = path


class ScrumWebSocketProtocol(WebSocketProtocol):
    # Set from settings when the server starts (ScrumServer._tune_websockets).
    send_buffer_bytes = 1024 * 1024
    outbox: SendBuffer  # from connectionMade on
    send_overflowed = False
    close_held: DelayedCall | None = None  # an app close waiting behind held frames
    slow_check: DelayedCall | None = None  # a look at a socket past the limit

    def connectionMade(self) -> None:
        super().connectionMade()
        transport = self.transport
        limit = self.send_buffer_bytes
        # The transport holds up to its high-water mark before it says "full"; a quarter of
        # the limit at most, so a small limit still leaves room for the queue.
        high_water = min(getattr(transport, "bufferSize", DEFAULT_HIGH_WATER), limit // 4)
        transport.bufferSize = high_water
        self.outbox = SendBuffer(limit - high_water, HARD_LIMIT_FACTOR * limit - high_water)
        # daphne upgrades by handing this protocol the HTTP channel's transport with the
        # channel still registered as its producer, where it does nothing for a socket (its
        # request never finishes, so it never pauses reading). A transport has one producer
        # slot: take it over, or registering ours raises.
        self.unregisterProducer()
        self.registerProducer(_TransportSignals(self), True)

    def serverSend(self, content, binary=False):
        # daphne's serverSend, holding frames back while the transport is full.
        if self.state == self.STATE_CONNECTING:
            self.serverAccept()
        if self.send_overflowed or self.close_held is not None:
            # The socket is closing on our side. Raising would end the consumer with a
            # traceback; it learns of the close from websocket.disconnect.
            return
        # Framed once per broadcast, not per socket (direct_send.py).
        frame = direct_send.frame_of(content, binary)
        outbox = self.outbox
        if outbox.paused and self.state == self.STATE_OPEN:
            held = outbox.hold((frame, None), len(frame))
            if held == REFUSED:
                self._close_send_buffer_full()
            elif held == OVER and self.slow_check is None:
                self._look_again(outbox.drains)
            return
        self.send_frame(frame)

    def send_text_now(self, text: str) -> None:
        """The app's `websocket.send` of a text, without daphne's reply hop (direct_send.py):
        what Server.handle_reply and WebSocketProtocol.handle_reply do for it, in one call."""
        if self.state == self.STATE_CLOSED:
            return  # daphne drops a reply to a connection that has gone
        self.serverSend(text, False)

    def send_frame(self, frame: bytes) -> None:
        """What autobahn's sendMessage checks and does, for a frame built beforehand."""
        if self.state != self.STATE_OPEN:
            raise Disconnected("Attempt to send on non-open transport")
        limit = self.maxMessagePayloadSize
        if limit and direct_send.payload_length(frame) > limit:
            raise PayloadExceededError(f"message larger than {limit} bytes")
        if self.send_queue:
            self.sendData(frame)  # behind autobahn's own queued frames
        else:
            direct_send.write(self.transport, frame)

    def serverClose(self, code=None):
        outbox = self.outbox
        if not outbox.frames or self.state != self.STATE_OPEN:
            super().serverClose(code)
            return
        if self.close_held is not None:
            return
        # After the frames the app sent before it, unless the client takes too long to read
        # them: then without them, so a client that never reads is still closed.
        if outbox.hold((None, code), 0) == REFUSED:
            self._close_without_held(code)
            return
        self.close_held = reactor.callLater(
            CLOSE_HANDSHAKE_TIMEOUT_S, self._close_without_held, code
        )

    def transport_drained(self) -> None:
        outbox = self.outbox
        outbox.resume()
        while (frame := outbox.next_frame()) is not None:
            if self.state != self.STATE_OPEN:
                outbox.clear()
                break
            data, code = frame
            if data is None:
                self._cancel_timers()
                super().serverClose(code)
                continue
            try:
                self.send_frame(data)
            except Exception as exc:
                # Sent directly, the app would have seen this (a message over daphne's size
                # limit); here, raising would tear the connection down from the reactor.
                log.warning("WebSocket held frame dropped: %s", exc)
        if not outbox.paused:
            self.transport.resumeProducing()

    def onOpen(self) -> None:
        super().onOpen()
        # The handshake's request and answer, which autobahn and daphne keep for the socket's
        # whole life and nothing reads once it is open (daphne's log lines read the path):
        # the raw request with its token, its parsed headers and query, the 101. ~2 KiB of
        # every idle socket (docs/benchmarks.md, B2).
        self.request = _OpenedRequest(self.request.path)
        for name in _HANDSHAKE_LEFTOVERS:
            setattr(self, name, None)

    def onClose(self, wasClean, code, reason):
        self.outbox.clear()
        self._cancel_timers()
        super().onClose(wasClean, code, reason)

    def _look_again(self, drains_then: int) -> None:
        self.slow_check = reactor.callLater(SLOW_CHECK_S, self._check_slow, drains_then)

    def _check_slow(self, drains_then: int) -> None:
        self.slow_check = None
        if self.send_overflowed or self.state != self.STATE_OPEN:
            return
        verdict = self.outbox.verdict(drains_then)
        if verdict == STUCK:
            self._close_send_buffer_full()
        elif verdict == READING:
            self._look_again(self.outbox.drains)

    def _close_without_held(self, code) -> None:
        self._cancel_timers()
        self.outbox.clear()
        super().serverClose(code)

    def _cancel_timers(self) -> None:
        for name in ("close_held", "slow_check"):
            timer = getattr(self, name)
            setattr(self, name, None)
            if timer is not None and timer.active():
                timer.cancel()

    def _close_send_buffer_full(self) -> None:
        self.send_overflowed = True
        metrics.SLOW_READER_CLOSES.inc()
        self.outbox.clear()
        self._cancel_timers()
        addr = getattr(self, "client_addr", None)
        log.warning(
            "WebSocket %s closed with %d: more than %d bytes of output unread",
            f"{addr[0]}:{addr[1]}" if addr else "-",
            CLOSE_SEND_BUFFER_FULL,
            self.send_buffer_bytes,
        )
        # The close frame goes behind what the transport still holds (its high-water mark
        # at most): the client sees 4409 if it reads that within the close handshake
        # timeout, else the abort (a reset).
        super().serverClose(CLOSE_SEND_BUFFER_FULL)


def path_without_query(path: object) -> object:
    """The path of an access-log entry without its query string (nor a fragment)."""
    if not isinstance(path, str):
        return path
    for mark in ("?", "#"):
        path = path.split(mark, 1)[0]
    return path


class ScrumServer(Server):
    banner: str | None = None  # from --banner (ScrumCommandLine)

    def log_action(self, protocol, action, details):
        # daphne's access log writes an HTTP request's full URI, query string included
        # (its WebSocket entries already name the path only): a plain `GET /ws/...?token=`
        # would put an access token in the log. Every entry, whatever the logger, loses the
        # query here. A path daphne could not decode arrives as repr(bytes): cut it too.
        if "path" in details:
            details = {**details, "path": path_without_query(details["path"])}
        super().log_action(protocol, action, details)

    def create_application(self, protocol, scope):
        # An ASGI server extension (scope["extensions"]): the socket's send for the fan-out's
        # inner loop, skipping two coroutine layers per socket per event (direct_send.py).
        if isinstance(protocol, ScrumWebSocketProtocol):
            scope.setdefault("extensions", {})[direct_send.EXTENSION] = protocol.send_text_now
        return super().create_application(protocol, scope)

    def run(self) -> None:
        # run() builds ws_factory and then blocks in the reactor; this fires once the reactor
        # starts, before it accepts the first connection.
        reactor.callWhenRunning(self._tune_websockets)
        # The endpoints are bound before the reactor runs; this fires once it serves them.
        reactor.callWhenRunning(self._announce)
        tune_gc()  # this server's process only, once the app is loaded (gc_tuning.py)
        super().run()

    def _tune_websockets(self) -> None:
        # Django is set up by now: daphne imported the ASGI application before run().
        self.ws_factory.setProtocolOptions(closeHandshakeTimeout=CLOSE_HANDSHAKE_TIMEOUT_S)
        ScrumWebSocketProtocol.send_buffer_bytes = settings.WS_SEND_BUFFER_BYTES
        self.ws_factory.protocol = ScrumWebSocketProtocol

    def _announce(self) -> None:
        text = announcement(self.listening_addresses, self.banner)
        if text:
            print(text, flush=True)


class ScrumCommandLine(CommandLineInterface):
    server_class = ScrumServer

    def __init__(self) -> None:
        super().__init__()
        self.parser.add_argument(
            "--banner",
            default=None,
            help="text to print before the URL to open, once the server listens",
        )

    def run(self, args):
        parsed = self.parser.parse_args(args)
        host, port = parsed.host, parsed.port
        # daphne's defaults (CommandLineInterface.run), applied there after the app loads.
        if not (host or port is not None or parsed.unix_socket or parsed.socket_strings) and (
            parsed.file_descriptor is None
        ):
            host, port = DEFAULT_HOST, DEFAULT_PORT
        elif host and port is None:
            port = DEFAULT_PORT
        elif port is not None and not host:
            host = DEFAULT_HOST
        export_server_url(host, port)
        ScrumServer.banner = parsed.banner
        super().run(args)


if __name__ == "__main__":
    ScrumCommandLine.entrypoint()
