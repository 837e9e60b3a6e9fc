"""A real daphne and clients that never read: their output stays bounded (WS_SEND_BUFFER_BYTES,
past it 4409) while a reading client on the same board gets every event (SPEC section 15,
realtime_scrum/server.py).

The slow clients are raw TCP sockets with a small receive buffer that do the upgrade by hand,
read the 101 and the hello, and then stop reading. The kernel takes the first megabytes of
what is sent to each (the server socket's send buffer grows up to tcp_wmem's maximum); the
rest piled up in daphne's transport buffer, unbounded before the fix, so the burst sends each
of them that maximum plus a few megabytes. Measured here: daphne's RSS grew ~220 MB during
the burst without the bound, 12-14 MB with it (most of that the REST requests' own)."""

from __future__ import annotations

import base64
import contextlib
import json
import math
import os
import re
import socket
import struct
import threading
import time
from pathlib import Path

import pytest
from websockets.exceptions import ConnectionClosed
from websockets.sync.client import connect

from tests.security.live import live_daphne, signup, tracebacks

LIMIT = 64 * 1024
SLOW_SOCKETS = 32
# Sent to each slow socket past what its kernel buffers can hold: without the bound all of
# it stays in daphne, SLOW_SOCKETS x this in all.
BEYOND_KERNEL = 4 * 1024 * 1024
CLIENT_RCVBUF = 4096
# As big as the API allows (20,000 characters), with room for a counter in front.
DESCRIPTION = ("0123456789abcdef" * 1250)[:19_990]


def _kernel_send_buffer_max() -> int:
    try:
        return int(Path("/proc/sys/net/ipv4/tcp_wmem").read_text().split()[2])
    except (OSError, IndexError, ValueError):
        return 4 * 1024 * 1024  # Linux's default maximum


def _rss_bytes(pid: int) -> int:
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) * 1024
    raise AssertionError("no VmRSS")


def _wait_for(condition, timeout: float, what: str):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        value = condition()
        if value:
            return value
        time.sleep(0.02)
    raise AssertionError(f"timed out after {timeout} s waiting for {what}")


def _frames(data: bytes) -> tuple[list[tuple[int, bytes]], bytes]:
    """The complete server frames (opcode, payload) at the start of data, and the rest."""
    frames = []
    while len(data) >= 2:
        opcode, size, at = data[0] & 0x0F, data[1] & 0x7F, 2
        if size == 126:
            if len(data) < 4:
                break
            size, at = struct.unpack("!H", data[2:4])[0], 4
        elif size == 127:
            if len(data) < 10:
                break
            size, at = struct.unpack("!Q", data[2:10])[0], 10
        if len(data) < at + size:
            break
        frames.append((opcode, data[at : at + size]))
        data = data[at + size :]
    return frames, data


class SlowReader:
    """A WebSocket client that reads its handshake and hello and then nothing."""

    def __init__(self, port: int, path: str):
        self.sock = socket.socket()
        # Before connect, so the window it advertises stays small.
        self.sock.setsockopt(socket.SOL_SOCKET, socket.SO_RCVBUF, CLIENT_RCVBUF)
        self.sock.settimeout(10)
        self.sock.connect(("127.0.0.1", port))
        self.address = "{}:{}".format(*self.sock.getsockname())
        self.received = 0
        key = base64.b64encode(os.urandom(16)).decode()
        self.sock.sendall(
            f"GET {path} HTTP/1.1\r\nHost: 127.0.0.1:{port}\r\nUpgrade: websocket\r\n"
            f"Connection: Upgrade\r\nSec-WebSocket-Key: {key}\r\n"
            "Sec-WebSocket-Version: 13\r\n\r\n".encode()
        )
        data = b""
        while b"\r\n\r\n" not in data:
            data += self._recv()
        head, self.rest = data.split(b"\r\n\r\n", 1)
        assert head.startswith(b"HTTP/1.1 101"), head
        # The hello may have come in the same read as the 101.
        self.frames, self.rest = _frames(self.rest)
        while not self.frames:
            self.rest += self._recv()
            self.frames, self.rest = _frames(self.rest)
        assert json.loads(self.frames[0][1])["type"] == "hello"  # subscribed: now stop reading

    def _recv(self) -> bytes:
        chunk = self.sock.recv(65536)
        assert chunk, "connection ended during the handshake"
        self.received += len(chunk)
        return chunk

    def drain(self, timeout: float) -> str:
        """Read to the end: 'close <code>' for a close frame, 'ended' for EOF or a reset."""
        deadline = time.monotonic() + timeout
        while True:
            for opcode, payload in self.frames:
                if opcode == 0x8:
                    return f"close {struct.unpack('!H', payload[:2])[0]}"
            left = deadline - time.monotonic()
            if left <= 0:
                return f"still open after {timeout} s"
            self.sock.settimeout(left)
            try:
                chunk = self.sock.recv(65536)
            except ConnectionResetError:
                return "ended"
            except TimeoutError:
                continue
            if not chunk:
                return "ended"
            self.received += len(chunk)
            new, self.rest = _frames(self.rest + chunk)
            self.frames += new

    def close(self) -> None:
        self.sock.close()


class Reader(threading.Thread):
    """A client that reads everything as it comes, on its own thread."""

    def __init__(self, ws):
        super().__init__(daemon=True)
        self.ws = ws
        assert json.loads(self.ws.recv(10))["type"] == "hello"
        self.seqs: list[int] = []
        self.frame_bytes = 0

    def run(self) -> None:
        # The test checks close_code; an abnormal close must not end this thread with a trace.
        with contextlib.suppress(ConnectionClosed):
            for text in self.ws:
                frame = json.loads(text)
                if frame["type"] == "event":
                    self.seqs.append(frame["seq"])
                    self.frame_bytes = max(self.frame_bytes, len(text.encode()))


@pytest.fixture
def server(tmp_path):
    # GC_GEN0_THRESHOLD=0: CPython's collector defaults, so the requests' cyclic garbage is
    # collected as it goes and RSS follows live memory (the production threshold lets tens of
    # megabytes of it wait for a collection).
    daphne = live_daphne(tmp_path, WS_SEND_BUFFER_BYTES=str(LIMIT), GC_GEN0_THRESHOLD="0")
    yield daphne
    daphne.stop()


def _logged(server, pattern: str) -> bool:
    return bool(re.search(pattern, server.log_text(), re.M))


def _logged_4409(server, address: str) -> bool:
    return _logged(server, rf"WebSocket {re.escape(address)} closed with 4409\b")


def _logged_gone(server, address: str) -> bool:
    return _logged(server, rf'^{re.escape(address)} .*"WSDISCONNECT ')


def test_clients_that_never_read_are_bounded_and_closed_4409(server):
    owner, _, _ = signup(server.base, "slow")
    board = owner.ok("POST", "/api/boards/", {"name": "burst"})
    task = owner.ok("POST", "/api/tasks/", {"board": board["id"], "name": "big"})
    path = f"/ws/boards/{board['id']}/?token={owner.token}"
    with connect(server.ws + path, max_size=None) as ws:
        reader = Reader(ws)
        reader.start()
        slow = [SlowReader(server.port, path) for _ in range(SLOW_SOCKETS)]
        try:
            _burst(server, f"/api/tasks/{task['id']}/", owner, reader, slow)
        finally:
            for client in slow:
                client.close()
    reader.join(5)
    assert not tracebacks(server)


def _burst(server, task: str, owner, reader: Reader, slow: list[SlowReader]) -> None:
    # One event first, to learn the frame size (it depends on the JSON encoder).
    owner.ok("PATCH", task, {"description": "w" + DESCRIPTION})
    _wait_for(lambda: reader.frame_bytes, 10, "the first event")
    frame = reader.frame_bytes
    kernel = _kernel_send_buffer_max() + 2 * CLIENT_RCVBUF
    events = math.ceil((kernel + BEYOND_KERNEL) / frame)
    # The first slow client reads as soon as daphne says it closed it: its close frame is
    # then still ahead of the abort that ends the close handshake, so its code is on the wire.
    # The last waits for that abort; the others read when the burst is over.
    prompt, aborted, late = slow[0], slow[-1], slow[1:-1]

    before = peak = _rss_bytes(server.proc.pid)
    prompt_result = None
    for i in range(events):
        owner.ok("PATCH", task, {"description": f"{i}{DESCRIPTION}"})
        peak = max(peak, _rss_bytes(server.proc.pid))
        if prompt_result is None and _logged_4409(server, prompt.address):
            prompt_result = prompt.drain(timeout=10)
    _wait_for(lambda: len(reader.seqs) >= events + 1, 30, "the reading client's events")
    peak = max(peak, _rss_bytes(server.proc.pid))

    # The reading client: every event, in order, and still open.
    first = reader.seqs[0]
    assert reader.seqs == list(range(first, first + events + 1))
    assert reader.is_alive() and reader.ws.close_code is None

    growth = peak - before
    unbounded = len(slow) * (events * frame - kernel)
    assert growth < unbounded / 4, f"RSS grew {growth} B; unbounded is over {unbounded} B"

    assert prompt_result == "close 4409", prompt_result
    # One that never reads again: the close handshake times out and daphne drops the
    # connection, and with it what the socket still held.
    _wait_for(lambda: _logged_gone(server, aborted.address), 20, "the unread socket's abort")
    assert aborted.drain(timeout=10) == "ended"
    for client in late:
        result = client.drain(timeout=15)
        assert result in ("close 4409", "ended"), result
    for client in slow:
        # What the kernel held, then at most the limit and the frames on either side of it.
        assert client.received <= kernel + LIMIT + 3 * frame, client.received
