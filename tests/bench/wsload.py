"""A cheap WebSocket load client: asyncio protocols, one shared loop, no JSON on the hot path.

Thousands of sockets live in one generator process pinned to its own core, so each received
frame must cost a few µs: frames are cut from the stream by hand, and an `event` frame is
recognised by its prefix and its seq read by slicing (the server writes `{"type":"event",
"seq":N,...` first, the raw baseline and the peers too). Only close codes and `hello` are ever
parsed. `SocketIoClient` speaks Socket.IO's framing over the same socket code.
"""

from __future__ import annotations

import asyncio
import base64
import contextlib
import json
import os
import struct
import time
from collections.abc import Iterable

EVENT_PREFIX = b'{"type":"event","seq":'
HELLO_PREFIX = b'{"type":"hello"'
SIO_EVENT_PREFIX = b'42["event",' + EVENT_PREFIX  # Socket.IO's emit("event", frame)
OP_TEXT, OP_CLOSE, OP_PING, OP_PONG = 0x1, 0x8, 0x9, 0xA
# Connect from several loopback source addresses so 10k+ sockets never run out of ports.
SOURCES = [f"127.0.0.{i}" for i in range(2, 10)]


class Arrivals:
    """Per broadcast seq: how many sockets got it and when the last one did."""

    def __init__(self) -> None:
        self.count: dict[int, int] = {}
        self.last: dict[int, float] = {}

    def add(self, seq: int, now: float) -> None:
        self.count[seq] = self.count.get(seq, 0) + 1
        self.last[seq] = now


class WsClient(asyncio.Protocol):
    def __init__(self, host: str, port: int, path: str, arrivals: Arrivals | None) -> None:
        self.request = (
            f"GET {path} HTTP/1.1\r\nHost: {host}:{port}\r\nUpgrade: websocket\r\n"
            "Connection: Upgrade\r\nSec-WebSocket-Version: 13\r\n"
            f"Sec-WebSocket-Key: {base64.b64encode(os.urandom(16)).decode()}\r\n\r\n"
        ).encode()
        self.arrivals = arrivals
        self.buf = bytearray()
        self.upgraded = False
        self.opened: asyncio.Future = asyncio.get_running_loop().create_future()
        self.hello: dict | None = None
        self.hello_seen = asyncio.Event()
        self.events = 0
        self.last_seq = 0  # highest seq seen
        self.disorder = 0  # events whose seq was not last_seq + 1 (gaps, repeats, reordering)
        self.close_code: int | None = None
        self.transport: asyncio.Transport | None = None

    # --- asyncio.Protocol ------------------------------------------------------------------

    def connection_made(self, transport) -> None:
        self.transport = transport
        transport.write(self.request)

    def connection_lost(self, exc) -> None:
        if self.close_code is None:
            self.close_code = 1006
        if not self.opened.done():
            self.opened.set_exception(ConnectionError(f"lost before upgrade: {exc}"))

    def data_received(self, data: bytes) -> None:
        self.buf += data
        if not self.upgraded:
            end = self.buf.find(b"\r\n\r\n")
            if end < 0:
                return
            status = bytes(self.buf[:end]).split(b"\r\n", 1)[0]
            del self.buf[: end + 4]
            if b" 101 " not in status + b" ":
                self.opened.set_exception(ConnectionError(status.decode(errors="replace")))
                self.transport.close()
                return
            self.upgraded = True
            self.opened.set_result(True)
        self._frames()

    # --- frames ---------------------------------------------------------------------------

    def _frames(self) -> None:
        buf = self.buf
        while len(buf) >= 2:
            size, pos = buf[1] & 0x7F, 2
            if size == 126:
                if len(buf) < 4:
                    return
                size, pos = int.from_bytes(buf[2:4], "big"), 4
            elif size == 127:
                if len(buf) < 10:
                    return
                size, pos = int.from_bytes(buf[2:10], "big"), 10
            if len(buf) < pos + size:
                return
            opcode = buf[0] & 0x0F
            payload = bytes(buf[pos : pos + size])
            del buf[: pos + size]
            if opcode == OP_TEXT:
                self._text(payload)
            elif opcode == OP_PING:
                self.send_frame(OP_PONG, payload)
            elif opcode == OP_CLOSE:
                self.close_code = int.from_bytes(payload[:2], "big") if payload else 1005
                self.transport.close()
                return

    def _text(self, payload: bytes) -> None:
        if payload.startswith(EVENT_PREFIX):
            self._event(payload, len(EVENT_PREFIX))
        elif payload.startswith(HELLO_PREFIX):
            self.hello = json.loads(payload)
            self.last_seq = self.hello["seq"]
            self.hello_seen.set()

    def _event(self, payload: bytes, start: int) -> None:
        """An event frame whose seq digits begin at `start`."""
        seq = int(payload[start : payload.index(b",", start)])
        if seq != self.last_seq + 1:
            self.disorder += 1
        if seq > self.last_seq:
            self.last_seq = seq
        self.events += 1
        if self.arrivals is not None:
            self.arrivals.add(seq, time.monotonic())

    def send_frame(self, opcode: int, payload: bytes) -> None:
        """Client frames must be masked; an all-zero mask leaves the payload as it is."""
        if self.transport is None or self.transport.is_closing():
            return
        size = len(payload)
        if size < 126:
            head = struct.pack("!BB", 0x80 | opcode, 0x80 | size)
        elif size < 65536:
            head = struct.pack("!BBH", 0x80 | opcode, 0x80 | 126, size)
        else:
            head = struct.pack("!BBQ", 0x80 | opcode, 0x80 | 127, size)
        self.transport.write(head + b"\0\0\0\0" + payload)

    def send_json(self, frame: dict) -> None:
        self.send_frame(OP_TEXT, json.dumps(frame).encode())

    @property
    def is_open(self) -> bool:
        return self.upgraded and self.transport is not None and not self.transport.is_closing()

    def close(self) -> None:
        if self.transport is not None and not self.transport.is_closing():
            self.send_frame(OP_CLOSE, struct.pack("!H", 1000))
            self.transport.close()


class SocketIoClient(WsClient):
    """A Socket.IO 4 client over the WebSocket transport (the peer of SPEC section 10):
    engine.io v4 packets are one text frame each. The server opens with `0{...}`, the client
    joins the default namespace with `40` (the server's `40{...}` stands in for `hello`), the
    server pings `2` and must hear `3` within its timeout, and an emit arrives as
    `42["event",{...}]`, whose seq is sliced out as for a plain event frame."""

    PATH = "/socket.io/?EIO=4&transport=websocket"

    def _text(self, payload: bytes) -> None:
        if payload.startswith(SIO_EVENT_PREFIX):
            self._event(payload, len(SIO_EVENT_PREFIX))
        elif payload == b"2":
            self.send_frame(OP_TEXT, b"3")
        elif payload.startswith(b"0{"):
            self.send_frame(OP_TEXT, b"40")
        elif payload.startswith(b"40"):
            self.hello_seen.set()


async def open_many(
    port: int,
    paths: Iterable[str],
    arrivals: Arrivals | None = None,
    parallel: int = 50,
    wait_hello: bool = False,
    timeout: float = 30,
    strict: bool = True,
    errors: list[str] | None = None,
    into: list[WsClient] | None = None,
    protocol: type[WsClient] = WsClient,
) -> list[WsClient]:
    """Open one socket per path, at most `parallel` handshakes at a time, each a `protocol`
    (the framing the server speaks). With strict=False failed handshakes are listed in
    `errors` instead of raised; `wait_hello` waits for the app's `hello` (Socket.IO: the
    namespace joined)."""
    loop = asyncio.get_running_loop()
    gate = asyncio.Semaphore(parallel)
    # `into` lets a keep-alive task ping the first sockets while later ones still connect.
    clients: list[WsClient] = into if into is not None else []

    async def one(i: int, path: str) -> None:
        async with gate:
            source = SOURCES[i % len(SOURCES)]
            _, client = await loop.create_connection(
                lambda: protocol("127.0.0.1", port, path, arrivals),
                "127.0.0.1", port, local_addr=(source, 0),
            )  # fmt: skip
            await asyncio.wait_for(client.opened, timeout)
            if wait_hello:
                await asyncio.wait_for(client.hello_seen.wait(), timeout)
            clients.append(client)

    results = await asyncio.gather(
        *(one(i, p) for i, p in enumerate(paths)), return_exceptions=True
    )
    failed = [r for r in results if isinstance(r, BaseException)]
    if failed and strict:
        raise failed[0]
    if errors is not None:
        errors.extend(str(r) for r in failed)
    return clients


async def keepalive(clients: list[WsClient], every: float, stop: asyncio.Event) -> None:
    """The app closes sockets it has not heard from in 3 heartbeats (4408): send `ping`s,
    in batches of 100 spread over the interval so they never arrive as one burst."""
    frame = json.dumps({"type": "ping"}).encode()
    while not stop.is_set():
        batch = list(clients)
        step = every / max(1, len(batch))
        for i, client in enumerate(batch):
            client.send_frame(OP_TEXT, frame)
            if i % 100 == 99 and await _stopped(stop, step * 100):
                return
        if await _stopped(stop, 0.5):
            return


async def _stopped(stop: asyncio.Event, seconds: float) -> bool:
    with contextlib.suppress(TimeoutError):
        await asyncio.wait_for(stop.wait(), seconds)
    return stop.is_set()


def close_all(clients: Iterable[WsClient]) -> None:
    for client in clients:
        client.close()
