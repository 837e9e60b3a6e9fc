"""Socket clients of the fault tier.

`FaultClient` behaves like a real client that does not know a fault happened: it records
every frame with its arrival time, pings every second, never sends `resume`, and only when its
socket closes does it reconnect, with `since=<last event seq>` (and `epoch=` when the hello had
one). It gives up on 4401/4403/4409/4429. `HostileClient` is a removed user's script that sends
`resume {since: 0}` again and again. `RawSlowSocket` upgrades by hand and then never reads.
Every frame they receive is held to the AsyncAPI document (tests/support/frame_check.py: the
websockets clients through its wrapped `recv`, the raw socket by calling it).
"""

from __future__ import annotations

import asyncio
import base64
import contextlib
import json
import os
import socket
import struct
import time
import urllib.parse
from dataclasses import dataclass
from typing import Any

import websockets
from websockets.asyncio.client import connect

from tests.support.frame_check import check_frame

STOP_CODES = (4401, 4403, 4409, 4429)


@dataclass
class Frame:
    t: float  # time.monotonic() at arrival
    conn: int  # which connection of this client (0 = the first)
    data: dict[str, Any]
    raw: str


class FaultClient:
    def __init__(
        self,
        ws_url: str,
        board_id: int,
        token: str,
        name: str,
        ping: bool = True,
        reconnect: bool = True,
    ):
        self.ws_url, self.board_id, self.token, self.name = ws_url, board_id, token, name
        self.ping, self.reconnect = ping, reconnect
        self.frames: list[Frame] = []
        self.events: list[Frame] = []
        self.hellos: list[Frame] = []
        self.close_codes: list[int | None] = []
        self.close_times: list[float] = []
        self.handshake_errors: list[str] = []
        self.urls: list[str] = []
        self.conn = -1
        self.ws = None
        self.stopped = False  # the client gave up (a STOP_CODE) or was closed by the test
        self.gave_up_code: int | None = None
        self._stopping = False
        self._task: asyncio.Task | None = None
        self._hello = asyncio.Event()

    # --- state ----------------------------------------------------------------------------

    @property
    def start_seq(self) -> int:
        """The seq of the first hello: this client holds everything after it."""
        return self.hellos[0].data["seq"]

    @property
    def last_seq(self) -> int:
        if self.events:
            return max(frame.data["seq"] for frame in self.events)
        return self.start_seq if self.hellos else 0

    def seqs(self) -> list[int]:
        return [frame.data["seq"] for frame in self.events]

    def first_arrival(self) -> dict[str, float]:
        """client_op_id -> monotonic time its event first arrived here."""
        seen: dict[str, float] = {}
        for frame in self.events:
            op = frame.data.get("client_op_id")
            if op and op not in seen:
                seen[op] = frame.t
        return seen

    @property
    def open(self) -> bool:
        return self.ws is not None

    def summary(self) -> str:
        kinds: dict[str, int] = {}
        for frame in self.frames:
            kind = frame.data.get("type", "?")
            kinds[kind] = kinds.get(kind, 0) + 1
        start = self.start_seq if self.hellos else "-"
        return (
            f"{self.name}: last seq {self.last_seq} (start {start}), "
            f"{len(self.events)} events, connections {self.conn + 1}, closes {self.close_codes}, "
            f"frames {kinds}"
            + (f", handshake errors {self.handshake_errors}" if self.handshake_errors else "")
            + (f", resumes sent {self.resumes_sent}" if hasattr(self, "resumes_sent") else "")
        )

    # --- connection -----------------------------------------------------------------------

    def url(self, first: bool) -> str:
        query = {"token": self.token}
        if not first:
            query["since"] = str(self.last_seq)
            epoch = self.hellos[-1].data.get("epoch") if self.hellos else None
            if epoch is not None:
                query["epoch"] = str(epoch)
        return f"{self.ws_url}/ws/boards/{self.board_id}/?{urllib.parse.urlencode(query)}"

    async def start(self, timeout: float = 15) -> FaultClient:
        """Connect and wait for the first hello (the caller gets the client either way and
        can read `hellos` / `close_codes`; with require_hello the wait is asserted)."""
        self._task = asyncio.create_task(self._run())
        try:
            await asyncio.wait_for(self._hello.wait(), timeout)
        except TimeoutError:
            raise AssertionError(
                f"{self.name}: no hello within {timeout}s; {self.summary()}"
            ) from None
        return self

    async def start_no_wait(self) -> FaultClient:
        self._task = asyncio.create_task(self._run())
        return self

    async def _run(self) -> None:
        first = True
        backoff = 0.2
        while not self._stopping:
            url = self.url(first)
            self.urls.append(url)
            code: int | None = None
            connected = False
            try:
                async with connect(
                    url, open_timeout=10, ping_interval=None, close_timeout=3, max_size=2**24
                ) as ws:
                    connected = True
                    self.conn += 1
                    self.ws = ws
                    pinger = asyncio.create_task(self._ping(ws)) if self.ping else None
                    try:
                        await self.on_open(ws)
                        while True:
                            raw = await ws.recv()
                            self._on_frame(raw)
                    except websockets.exceptions.ConnectionClosed as exc:
                        code = exc.rcvd.code if exc.rcvd is not None else None
                    finally:
                        if pinger is not None:
                            pinger.cancel()
                        self.ws = None
            except websockets.exceptions.InvalidStatus as exc:
                self.handshake_errors.append(f"HTTP {exc.response.status_code}")
            except (OSError, TimeoutError, websockets.exceptions.WebSocketException) as exc:
                if not connected:
                    self.handshake_errors.append(type(exc).__name__)
            if connected:
                self.close_codes.append(code)
                self.close_times.append(time.monotonic())
                first = False if self.hellos else first
                backoff = 0.2
            if self._stopping:
                break
            if code in STOP_CODES:
                self.gave_up_code = code
                break
            if not self.reconnect and connected:
                break
            await asyncio.sleep(backoff)
            backoff = min(backoff * 1.5, 1.0)
        self.stopped = True

    async def on_open(self, ws) -> None:
        """Hook for subclasses (the hostile client starts its resume loop here)."""

    async def _ping(self, ws) -> None:
        with contextlib.suppress(websockets.exceptions.ConnectionClosed, asyncio.CancelledError):
            while True:
                await asyncio.sleep(1.0)
                await ws.send('{"type":"ping"}')

    def _on_frame(self, raw: str | bytes) -> None:
        text = raw if isinstance(raw, str) else raw.decode(errors="replace")
        try:
            data = json.loads(text)
        except ValueError:
            data = {"type": "?unparsable"}
        frame = Frame(time.monotonic(), self.conn, data, text)
        self.frames.append(frame)
        kind = data.get("type")
        if kind == "hello":
            self.hellos.append(frame)
            self._hello.set()
        elif kind == "event":
            self.events.append(frame)

    async def wait_until(self, predicate, deadline: float) -> bool:
        while time.monotonic() < deadline:
            if predicate():
                return True
            await asyncio.sleep(0.02)
        return predicate()

    async def stop(self) -> None:
        self._stopping = True
        ws = self.ws
        if ws is not None:
            with contextlib.suppress(Exception):
                await asyncio.wait_for(ws.close(), 5)
        if self._task is not None:
            try:
                await asyncio.wait_for(self._task, 5)
            except (TimeoutError, asyncio.CancelledError, Exception):
                self._task.cancel()
                with contextlib.suppress(BaseException):
                    await self._task
        self.stopped = True


class HostileClient(FaultClient):
    """A removed user's own script: once `attack()` is called it sends `resume {since: 0}`
    every 0.2 s on every connection, and reconnects with `since=0` whenever it can."""

    def __init__(self, *args: Any, **kwargs: Any):
        super().__init__(*args, **kwargs)
        self.attacking = False
        self.resumes_sent = 0
        self._go = asyncio.Event()

    def url(self, first: bool) -> str:
        if first or not self.attacking:
            return super().url(first)
        return f"{self.ws_url}/ws/boards/{self.board_id}/?token={self.token}&since=0"

    def attack(self) -> None:
        self.attacking = True
        self._go.set()  # the first resume goes at once, not at the next 0.2 s tick

    async def on_open(self, ws) -> None:
        asyncio.create_task(self._resume_loop(ws))

    async def _resume_loop(self, ws) -> None:
        with contextlib.suppress(websockets.exceptions.ConnectionClosed, asyncio.CancelledError):
            await self._go.wait()
            while True:
                await ws.send('{"type":"resume","since":0}')
                self.resumes_sent += 1
                await asyncio.sleep(0.2)


# --- a reader that never reads -------------------------------------------------------------


def _ws_frame(text: str) -> bytes:
    """A masked client text frame (RFC 6455 5.2)."""
    payload = text.encode()
    mask = os.urandom(4)
    masked = bytes(b ^ mask[i % 4] for i, b in enumerate(payload))
    header = bytes([0x81])
    if len(payload) < 126:
        header += bytes([0x80 | len(payload)])
    elif len(payload) < 65536:
        header += bytes([0x80 | 126]) + struct.pack("!H", len(payload))
    else:
        header += bytes([0x80 | 127]) + struct.pack("!Q", len(payload))
    return header + mask + masked


class RawSlowSocket:
    """A WebSocket upgraded by hand over a socket with a tiny receive buffer. After the 101
    it never reads (until `drain`), but it does send `ping` frames every second so the server
    cannot close it for a missed heartbeat (4408): only its unread output is at fault."""

    def __init__(self, port: int, board_id: int, token: str, rcvbuf: int = 4096):
        self.port = port
        self.sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
        self.sock.setsockopt(socket.SOL_SOCKET, socket.SO_RCVBUF, rcvbuf)
        self.sock.settimeout(10)
        self.sock.connect(("127.0.0.1", port))
        key = base64.b64encode(os.urandom(16)).decode()
        request = (
            f"GET /ws/boards/{board_id}/?token={token} HTTP/1.1\r\n"
            f"Host: 127.0.0.1:{port}\r\n"
            "Upgrade: websocket\r\nConnection: Upgrade\r\n"
            f"Sec-WebSocket-Key: {key}\r\nSec-WebSocket-Version: 13\r\n\r\n"
        )
        self.sock.sendall(request.encode())
        self.path = f"/ws/boards/{board_id}/"
        head = b""
        while b"\r\n\r\n" not in head:  # the response head only, byte by byte: nothing more
            chunk = self.sock.recv(1)
            if not chunk:
                raise AssertionError(f"upgrade: EOF after {head!r}")
            head += chunk
        self.status_line = head.split(b"\r\n", 1)[0].decode(errors="replace")
        assert " 101 " in self.status_line, self.status_line
        self.send_error: str | None = None  # set when a ping could not be written (RST/EPIPE)
        self.pings = 0
        self.buf = bytearray()  # read but not yet parsed (a frame split across reads)

    def send_ping(self) -> bool:
        """False once the server is gone (reset or broken pipe)."""
        if self.send_error is not None:
            return False
        try:
            self.sock.setblocking(False)
            self.sock.send(_ws_frame('{"type":"ping"}'))
            self.pings += 1
            return True
        except BlockingIOError:
            return True  # our own send buffer is full: the server stopped reading us
        except OSError as exc:
            self.send_error = type(exc).__name__
            return False
        finally:
            self.sock.settimeout(10)

    def drain(self, deadline: float) -> dict[str, Any]:
        """Read everything the server sent, until EOF, a reset, a close frame or `deadline`.
        Returns {bytes, frames, close_code, eof, reset, timed_out}."""
        buf = self.buf
        result: dict[str, Any] = {
            "bytes": 0,
            "frames": 0,
            "texts": 0,
            "close_code": None,
            "eof": False,
            "reset": self.send_error,
            "timed_out": False,
        }
        while True:
            # Parse what we have.
            while True:
                frame = _parse_frame(buf)
                if frame is None:
                    break
                opcode, payload, used = frame
                del buf[:used]
                result["frames"] += 1
                if opcode == 0x1:
                    result["texts"] += 1
                    check_frame(payload.decode(errors="replace"), self.path)
                elif opcode == 0x8:
                    result["close_code"] = (
                        struct.unpack("!H", payload[:2])[0] if len(payload) >= 2 else 1005
                    )
                    return result
            remaining = deadline - time.monotonic()
            if remaining <= 0:
                result["timed_out"] = True
                return result
            self.sock.settimeout(min(remaining, 1.0))
            try:
                chunk = self.sock.recv(1 << 16)
            except TimeoutError:
                continue
            except OSError as exc:
                result["reset"] = type(exc).__name__
                return result
            if not chunk:
                result["eof"] = True
                return result
            result["bytes"] += len(chunk)
            buf += chunk

    def close(self) -> None:
        with contextlib.suppress(OSError):
            self.sock.close()


def _parse_frame(buf: bytearray) -> tuple[int, bytes, int] | None:
    if len(buf) < 2:
        return None
    opcode = buf[0] & 0x0F
    length = buf[1] & 0x7F
    pos = 2
    if length == 126:
        if len(buf) < 4:
            return None
        length = struct.unpack("!H", buf[2:4])[0]
        pos = 4
    elif length == 127:
        if len(buf) < 10:
            return None
        length = struct.unpack("!Q", buf[2:10])[0]
        pos = 10
    if buf[1] & 0x80:  # a server never masks, but be exact
        pos += 4
    if len(buf) < pos + length:
        return None
    return opcode, bytes(buf[pos : pos + length]), pos + length
