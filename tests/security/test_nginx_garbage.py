"""1,000+ raw garbage TCP connections and handshakes against daphne behind Debian's nginx,
running the deployment's own template (deploy/nginx/, rendered by tests/system/nginx.py).

Each connection sends junk (random bytes, broken request lines, oversized headers, smuggling
attempts, broken WebSocket upgrades, invalid frames after a good upgrade) and hangs up. The
server must keep serving throughout: /healthz and a real socket through nginx still work
during and after the storm, daphne is still alive, and it logged no traceback."""

from __future__ import annotations

import asyncio
import base64
import json
import os
import random
import shutil
import tempfile
from pathlib import Path

import pytest
from websockets.asyncio.client import connect

from tests.support.http import http_ok
from tests.support.ports import free_port
from tests.support.servers import nginx_server
from tests.system import nginx as nginx_conf

from .live import signup, tracebacks

CONNECTIONS = 1_200
CONCURRENCY = 60
pytestmark = pytest.mark.security


def nginx_binary() -> str:
    found = shutil.which("nginx") or ("/usr/sbin/nginx" if Path("/usr/sbin/nginx").exists() else "")
    if not found:
        # Never skipped: `make test-security` installs it (scripts/system-up.sh).
        pytest.fail("nginx is not installed; run `make test-security` (it installs Debian's nginx)")
    return found


@pytest.fixture(scope="module")
def proxy(fuzz_server):
    root = Path(tempfile.mkdtemp(prefix="rs-security-nginx-"))
    root.chmod(0o711)  # nginx workers drop root and must reach their temp dirs inside
    (root / "static").mkdir()
    port = free_port()
    conf = nginx_conf.write_config(
        root / "nginx", listen=port, daphne_ports=[fuzz_server.port], static_root=root / "static"
    )
    proc = nginx_server(
        root / "nginx", conf, root / "nginx.out.log", dict(os.environ), root, nginx_binary()
    ).start()
    proc.wait_until(lambda: _healthy(port))
    yield port
    proc.stop()
    shutil.rmtree(root, ignore_errors=True)


def _healthy(port: int) -> bool:
    return http_ok(f"http://127.0.0.1:{port}/healthz")


def _upgrade(path: str, key: str = "", version: str = "13", extra: str = "") -> bytes:
    lines = [
        f"GET {path} HTTP/1.1",
        "Host: 127.0.0.1",
        "Upgrade: websocket",
        "Connection: Upgrade",
        f"Sec-WebSocket-Version: {version}",
    ]
    if key:
        lines.append(f"Sec-WebSocket-Key: {key}")
    return ("\r\n".join(lines) + extra + "\r\n\r\n").encode()


GOOD_KEY = base64.b64encode(b"0123456789abcdef").decode()


def garbage(rng: random.Random, token: str) -> list[bytes]:
    """One connection's worth of junk, as the chunks to send in order."""
    kind = rng.randrange(13)
    if kind == 12:  # a well-formed request for a host we do not serve (nginx passes $host on)
        return [b"GET /api/boards/ HTTP/1.1\r\nHost: evil.test\r\nConnection: close\r\n\r\n"]
    if kind == 0:
        return [rng.randbytes(rng.randint(1, 4096))]
    if kind == 1:
        return [b"GET /api/boards/ HTTP/1.1\r\nHost: 127.0.0.1\r\n"[: rng.randint(1, 40)]]
    if kind == 2:
        return [b"BREW /coffee HTCPCP/1.0\r\n\r\n", b"\x00\xff" * 8]
    if kind == 3:
        big = "X-Big: " + "a" * rng.choice([9_000, 40_000, 200_000])
        return [f"GET /healthz HTTP/1.1\r\nHost: x\r\n{big}\r\n\r\n".encode()]
    if kind == 4:  # request smuggling shapes
        return [
            b"POST /api/auth/login/ HTTP/1.1\r\nHost: x\r\nContent-Length: 4\r\n"
            b"Transfer-Encoding: chunked\r\n\r\n0\r\n\r\nGET /admin/ HTTP/1.1\r\nHost: x\r\n\r\n"
        ]
    if kind == 5:
        return [b"POST /api/tasks/ HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\n\r\nzz\r\n"]
    if kind == 6:
        return [b"PRI * HTTP/2.0\r\n\r\nSM\r\n\r\n" + rng.randbytes(64)]
    if kind == 7:  # a TLS ClientHello on the plain port
        return [b"\x16\x03\x01\x02\x00\x01\x00\x01\xfc\x03\x03" + rng.randbytes(200)]
    if kind == 8:  # broken upgrades: no key, wrong version, bad key
        return [
            rng.choice(
                [
                    _upgrade("/ws/me/"),
                    _upgrade("/ws/me/", GOOD_KEY, "8"),
                    _upgrade("/ws/me/", "%%%"),
                    _upgrade(f"/ws/me/?token={token}", "x"),
                ]
            )
        ]
    if kind == 9:  # a good upgrade, then frames no client may send (unmasked, reserved opcode)
        frames = [
            b"\x81\x05hello",
            b"\x83\x80\x00\x00\x00\x00",
            b"\xff" * 16,
            b"\x81\xff" + (2**63 - 1).to_bytes(8, "big") + b"\x00" * 4,
        ]
        return [_upgrade(f"/ws/me/?token={token}", GOOD_KEY), rng.choice(frames)]
    if kind == 10:
        return [b"GET /\x00\x01\x02 HTTP/1.1\r\nHost: \xff\xfe\r\n\r\n"]
    return [b"GET /ws/boards/1/?token=" + b"A" * 9000 + b" HTTP/1.1\r\nHost: x\r\n\r\n"]


async def hit(port: int, chunks: list[bytes]) -> None:
    try:
        reader, writer = await asyncio.wait_for(asyncio.open_connection("127.0.0.1", port), 5)
    except (TimeoutError, OSError) as exc:
        raise AssertionError(f"nginx refused a connection: {exc!r}") from exc
    try:
        for chunk in chunks:
            writer.write(chunk)
            await writer.drain()
            await asyncio.sleep(0)
        # Take whatever answer comes quickly, then hang up mid-conversation.
        await asyncio.wait_for(reader.read(4096), 0.3)
    except (TimeoutError, OSError):
        pass
    finally:
        writer.close()


async def real_socket_works(port: int, token: str) -> None:
    async with connect(f"ws://127.0.0.1:{port}/ws/me/?token={token}", open_timeout=10) as ws:
        assert json.loads(await asyncio.wait_for(ws.recv(), 10))["type"] == "hello"
        await ws.send('{"type":"ping"}')
        assert json.loads(await asyncio.wait_for(ws.recv(), 10))["type"] == "pong"


async def test_garbage_connections_do_not_stop_the_server(fuzz_server, proxy):
    api, _user, _ = signup(fuzz_server.base, "ng")
    rng = random.Random(1000)
    jobs = [garbage(rng, api.token) for _ in range(CONNECTIONS)]
    gate = asyncio.Semaphore(CONCURRENCY)

    async def one(chunks):
        async with gate:
            await hit(proxy, chunks)

    storm = asyncio.gather(*(one(chunks) for chunks in jobs))
    await asyncio.sleep(0.5)
    # During the storm a real client is still served...
    await real_socket_works(proxy, api.token)
    assert await asyncio.to_thread(_healthy, proxy)
    await storm
    # ...and after it.
    await real_socket_works(proxy, api.token)
    assert await asyncio.to_thread(_healthy, proxy)
    assert fuzz_server.proc.poll() is None, "daphne died"
    assert tracebacks(fuzz_server) == []
