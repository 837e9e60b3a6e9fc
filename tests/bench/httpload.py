"""A minimal HTTP/1.1 keep-alive client on asyncio streams, so the generator spends tens of
µs per request and the server, not the client, is what B6 measures."""

from __future__ import annotations

import asyncio
import json
import time


class HttpConn:
    def __init__(self, port: int, token: str | None = None) -> None:
        self.port = port
        self.token = token
        self.reader: asyncio.StreamReader | None = None
        self.writer: asyncio.StreamWriter | None = None

    async def _connect(self) -> None:
        self.reader, self.writer = await asyncio.open_connection("127.0.0.1", self.port)

    async def request(
        self, method: str, path: str, body: dict | None = None, headers: dict | None = None
    ) -> tuple[int, bytes]:
        if self.writer is None or self.writer.is_closing():
            await self._connect()
        data = json.dumps(body).encode() if body is not None else b""
        lines = [f"{method} {path} HTTP/1.1", f"Host: 127.0.0.1:{self.port}",
                 f"Content-Length: {len(data)}"]  # fmt: skip
        if data:
            lines.append("Content-Type: application/json")
        if self.token:
            lines.append(f"Authorization: Bearer {self.token}")
        lines += [f"{k}: {v}" for k, v in (headers or {}).items()]
        self.writer.write(("\r\n".join(lines) + "\r\n\r\n").encode() + data)
        head = await self.reader.readuntil(b"\r\n\r\n")
        status = int(head.split(b" ", 2)[1])
        length, close = 0, False
        for line in head.split(b"\r\n")[1:]:
            name, _, value = line.partition(b":")
            name = name.strip().lower()
            if name == b"content-length":
                length = int(value)
            elif name == b"connection" and value.strip().lower() == b"close":
                close = True
        payload = await self.reader.readexactly(length) if length else b""
        if close:
            self.close()
        return status, payload

    def close(self) -> None:
        if self.writer is not None:
            self.writer.close()
            self.writer = None


async def throughput(make_request, conns: list[HttpConn], seconds: float) -> dict:
    """Requests completed by `len(conns)` concurrent keep-alive loops in `seconds`.
    `make_request(conn, i)` returns the awaitable of one request; non-2xx are counted apart."""
    done = errors = 0
    deadline = time.monotonic() + seconds

    async def loop(conn: HttpConn) -> None:
        nonlocal done, errors
        i = 0
        while time.monotonic() < deadline:
            status, _ = await make_request(conn, i)
            i += 1
            if 200 <= status < 300:
                done += 1
            else:
                errors += 1

    start = time.monotonic()
    await asyncio.gather(*(loop(c) for c in conns))
    wall = time.monotonic() - start
    return {"requests": done, "errors": errors, "wall_s": wall, "rps": done / wall}
