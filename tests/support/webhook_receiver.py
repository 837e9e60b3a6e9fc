"""A webhook receiver for tests and B9: an HTTP/1.1 (keep-alive) server on 127.0.0.1 in a
thread of this process, recording each request and answering what the test tells it."""

from __future__ import annotations

import contextlib
import socket
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

from .ports import free_port, port_answers


@dataclass(frozen=True)
class Received:
    path: str
    headers: dict[str, str]
    body: bytes


class _Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"  # keep the sender's connection open between requests
    # The status line and headers, then the body, are two writes: without TCP_NODELAY the
    # second waits for the sender's delayed ACK (40 ms a request on Linux loopback).
    disable_nagle_algorithm = True

    def setup(self) -> None:
        super().setup()
        self.server.receiver.opened(self.connection)  # type: ignore[attr-defined]

    def do_POST(self) -> None:  # noqa: N802 - http.server's name
        length = int(self.headers.get("Content-Length") or 0)
        body = self.rfile.read(length)
        receiver: Receiver = self.server.receiver  # type: ignore[attr-defined]
        status, extra = receiver.record(Received(self.path, dict(self.headers.items()), body))
        self.send_response(status)
        for name, value in extra.items():
            self.send_header(name, value)
        self.send_header("Content-Length", "2")
        self.end_headers()
        self.wfile.write(b"ok")

    def log_message(self, format: str, *args: object) -> None:  # quiet
        pass


Answer = Callable[[Received], tuple[int, dict[str, str]]]


def always(status: int = 200, **headers: str) -> Answer:
    return lambda request: (status, headers)


class Receiver:
    def __init__(self, answer: Answer | None = None, port: int | None = None) -> None:
        self.port = port or free_port()
        self.answer = answer or always(200)
        self.requests: list[Received] = []
        self._changed = threading.Condition()
        self._server: ThreadingHTTPServer | None = None
        self._thread: threading.Thread | None = None
        self._connections: list[socket.socket] = []

    def opened(self, connection: socket.socket) -> None:
        with self._changed:
            self._connections.append(connection)

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}/hook"

    def record(self, request: Received) -> tuple[int, dict[str, str]]:
        with self._changed:
            self.requests.append(request)
            self._changed.notify_all()
        return self.answer(request)

    def start(self) -> Receiver:
        server = ThreadingHTTPServer(("127.0.0.1", self.port), _Handler)
        server.daemon_threads = True
        server.receiver = self  # type: ignore[attr-defined]
        self._server = server
        self._thread = threading.Thread(target=server.serve_forever, daemon=True)
        self._thread.start()
        assert port_answers(self.port), f"receiver on {self.port} did not answer"
        return self

    def stop(self) -> None:
        if self._server is not None:
            self._server.shutdown()
            self._server.server_close()
            self._server = None
        with self._changed:  # a kept-alive connection would go on being served: cut it
            for connection in self._connections:
                with contextlib.suppress(OSError):
                    connection.shutdown(socket.SHUT_RDWR)
            self._connections.clear()
        if self._thread is not None:
            self._thread.join(timeout=5)
            self._thread = None

    def wait_for(self, count: int, timeout: float = 10.0) -> list[Received]:
        """The requests once there are at least `count` (AssertionError past the deadline)."""
        deadline = time.monotonic() + timeout
        with self._changed:
            while len(self.requests) < count:
                left = deadline - time.monotonic()
                assert left > 0, f"{len(self.requests)} of {count} requests arrived"
                self._changed.wait(left)
            return list(self.requests)

    def __enter__(self) -> Receiver:
        return self.start()

    def __exit__(self, *exc: object) -> None:
        self.stop()
