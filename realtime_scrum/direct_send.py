"""Lever: a broadcast's WebSocket frame built once, and written straight to the socket.

The stock path, once per socket per event: autobahn's `sendMessage` frames the payload again
and formats the arguments of a debug log line (`hltype`: click styling, debug off or not),
then Twisted's `transport.write` buffers the bytes and registers the socket with the event
loop for writing (epoll_ctl); the loop wakes for it, enters a logging context, calls send(2)
and unregisters the socket (epoll_ctl again). At 1,000 sockets that deferred write was a
third of the event loop's CPU (py-spy of B1, docs/benchmarks.md "Levers").

Here a frame is framed once per text: the board stream hands every socket of the process
the same `SharedText` (a str, so every ASGI layer passes it on unchanged), which keeps its
frame after the first socket built it. And when Twisted holds nothing unsent for the socket,
the frame goes out at once with the transport's own `writeSomeData` (send(2), what asyncio's
transports do); only what the kernel did not take goes to `transport.write`, whose buffer and
producer signals then work as before (realtime_scrum/sendbuffer.py). Bytes never overtake:
nothing is written directly while Twisted still holds some.

This reads Twisted's FileDescriptor buffer attributes (`dataBuffer`, `offset`, `_tempDataLen`,
`_writeDisconnected`); tests/test_direct_send.py checks they still mean that, and that the
frames (autobahn's PreparedMessage) parse as RFC 6455 frames in a second implementation, so a
Twisted or autobahn upgrade that moves them fails a test instead of a socket.
"""

from __future__ import annotations

from typing import Any

from autobahn.websocket.protocol import PreparedMessage

# The scope extension under which realtime_scrum/server.py offers a socket's
# `send_text_now(text)`: the same as the ASGI `websocket.send` of that text, minus daphne's
# two reply coroutines per socket per event. Absent under any other server (tests' in-memory
# communicators): consumers then send through ASGI.
EXTENSION = "realtime_scrum.send_text"


class SharedText(str):
    """An outgoing text sent to many sockets: its frame is built by the first send."""

    frame: bytes | None = None


def shared(text: str) -> SharedText:
    return text if type(text) is SharedText else SharedText(text)


def frame_of(content: str | bytes, binary: bool) -> bytes:
    """The whole WebSocket frame (unmasked: server to client) for one message."""
    if type(content) is SharedText:
        frame = content.frame
        if frame is None:
            frame = content.frame = _frame(content.encode("utf8"), False)
        return frame
    payload = content if binary else content.encode("utf8")  # type: ignore[union-attr]
    return _frame(payload, binary)  # type: ignore[arg-type]


def _frame(payload: bytes, binary: bool) -> bytes:
    return PreparedMessage(payload, binary, applyMask=False, doNotCompress=True).payloadHybi


def write(transport: Any, data: bytes) -> None:
    """`transport.write(data)`, sending at once when nothing is queued before it."""
    if (
        transport.connected
        and not transport._tempDataLen
        and transport.offset == len(transport.dataBuffer)
        and not transport._writeDisconnected
        and not getattr(transport, "TLS", False)
    ):
        sent = transport.writeSomeData(data)
        if isinstance(sent, int):
            if sent == len(data):
                return
            data = data[sent:]
        # A lost connection: Twisted finds it again on its own write, as it would have.
    transport.write(data)


def payload_length(frame: bytes) -> int:
    """The payload length an unmasked frame's header states (RFC 6455 5.2)."""
    size = frame[1] & 0x7F
    if size == 126:
        return int.from_bytes(frame[2:4], "big")
    if size == 127:
        return int.from_bytes(frame[2:10], "big")
    return size
