"""No token in any log daphne writes: its access log, its stdout and stderr, and the app's own
log lines in both LOG_FORMATs, at DEBUG.

A live daphne through our entry point (`python -m realtime_scrum.server`, as deploy/entrypoint.sh
runs it) gets upgrade and plain requests carrying a canary in `?token=` and in other query
parameters, on socket paths, REST paths, unknown paths and undecodable ones; then every file
the process wrote is read. daphne's own access log writes a plain request's full URI, so a
`GET /ws/boards/1/?token=...` without Upgrade put the token there (TRAPS.md). The nginx side is
tests/system/test_log_canary.py. Runs in every tier (a few seconds)."""

from __future__ import annotations

import asyncio
import os
import socket
import urllib.request
from pathlib import Path

import pytest
from websockets.asyncio.client import connect
from websockets.exceptions import ConnectionClosed, InvalidStatus

from tests.support.http import HttpClient
from tests.support.servers import Daphne, migrate, sqlite_env

from .live import signup

CANARY = "CANARYq7Zx0token"


def raw_request(port: int, request: bytes) -> bytes:
    """One request as bytes (daphne closes after answering: `Connection: close`)."""
    with socket.create_connection(("127.0.0.1", port), timeout=10) as sock:
        sock.sendall(request)
        chunks = []
        while chunk := sock.recv(65536):
            chunks.append(chunk)
    return b"".join(chunks)


def plain_get(base: str, path: str, **headers: str) -> int:
    req = urllib.request.Request(base + path, headers=headers)  # noqa: S310 - loopback
    try:
        with urllib.request.urlopen(req, timeout=10) as resp:  # noqa: S310
            return resp.status
    except urllib.error.HTTPError as err:
        return err.code


async def socket_outcome(url: str, **kwargs) -> str:
    """What a real WebSocket client sees: the first frame's type, a close code or a status."""
    try:
        async with connect(url, open_timeout=10, **kwargs) as ws:
            try:
                first = await asyncio.wait_for(ws.recv(), 10)
            except ConnectionClosed as closed:
                return f"close {closed.rcvd.code if closed.rcvd else None}"
            return first.split('"type"', 1)[1][:12] if '"type"' in first else first[:20]
    except InvalidStatus as refused:
        return f"status {refused.response.status_code}"


def canary_requests(server: Daphne, access: str, board_id: int) -> dict[str, object]:
    """Every kind of request that carries the canary (or the real token) in a query string."""
    base, ws, port = server.base, server.ws, server.port
    seen: dict[str, object] = {}
    # Plain requests on socket paths: what nginx used to forward, and daphne logged in full.
    for n, path in enumerate(
        (
            f"/ws/boards/{board_id}/?token={CANARY}",
            f"/ws/me/?token={access}&since={CANARY}",
            f"/ws/boards/{board_id}/?since=0&token={CANARY}&x={CANARY}",
        )
    ):
        seen[f"plain ws {n}"] = plain_get(base, path)
    # REST, static and unknown paths with the canary in any parameter.
    for path in (
        f"/api/boards/?token={CANARY}",
        f"/api/boards/?search={CANARY}&page=1",
        f"/api/nope/?token={CANARY}",
        f"/healthz?token={CANARY}",
        f"/static/nope.js?v={CANARY}",
        f"/nowhere/?a=1&token={CANARY}#frag{CANARY}",
    ):
        seen[f"rest {path.split('?')[0]}"] = plain_get(base, path)
    seen["rest bearer"] = HttpClient(base, access).get(f"/api/boards/?token={CANARY}").status
    seen["login"] = (
        HttpClient(base)
        .post(f"/api/auth/login/?token={CANARY}", {"username": "nobody", "password": "x"})
        .status
    )
    # A path daphne cannot decode: it logs repr(uri) instead.
    seen["undecodable"] = raw_request(
        port,
        b"GET /ws/boards/1/?token=" + CANARY.encode() + b"\xff\xfe HTTP/1.1\r\n"
        b"Host: 127.0.0.1\r\nConnection: close\r\n\r\n",
    )[:12]
    # A foreign Host: Django logs DisallowedHost.
    seen["foreign host"] = raw_request(
        port,
        f"GET /api/boards/?token={CANARY} HTTP/1.1\r\nHost: evil.test\r\n"
        "Connection: close\r\n\r\n".encode(),
    )[:12]
    # Upgrades: refused tokens, a real one, unknown paths, a foreign origin.
    sockets = {
        "ws canary": f"{ws}/ws/boards/{board_id}/?token={CANARY}&since=0",
        "ws real": f"{ws}/ws/me/?token={access}&x={CANARY}",
        "ws board": f"{ws}/ws/boards/{board_id}/?token={access}&since={CANARY}",
        "ws unknown path": f"{ws}/ws/nope/?token={CANARY}",
    }
    for name, url in sockets.items():
        seen[name] = asyncio.run(socket_outcome(url))
    seen["ws foreign origin"] = asyncio.run(
        socket_outcome(f"{ws}/ws/me/?token={access}", origin=f"https://evil.test/?{CANARY}")
    )
    return seen


@pytest.fixture(scope="module", params=["text", "json"])
def logged_server(request, tmp_path_factory):
    """A daphne started as in production (--proxy-headers, --access-log to a file), its
    stdout and stderr in files of their own; stopped before the logs are read."""
    tmp = tmp_path_factory.mktemp(f"canary-{request.param}")
    env = sqlite_env(
        tmp,
        DJANGO_SETTINGS_MODULE="tests.security.settings",
        # The embedded default in every tier: a shared Redis would carry one run's login
        # counters into the next (the same canary account and address).
        REDIS_URL="",
        LOG_FORMAT=request.param,
        LOG_LEVEL="DEBUG",
        PYTHONUNBUFFERED="1",
    )
    migrate(env)
    server = Daphne(tmp / "daphne.log", {**os.environ, **env})
    # As deploy/entrypoint.sh starts it: the access log to a file of its own.
    server.argv[-1:-1] = ["--proxy-headers", "--access-log", str(tmp / "access.log")]
    server.start().wait_ready()
    try:
        api, _, refresh = signup(server.base, "canary")
        board = api.ok("POST", "/api/boards/", {"name": "logs"})
        seen = canary_requests(server, api.token, board["id"])
    finally:
        server.stop()
    yield tmp, seen, [api.token, refresh]


def every_log(tmp: Path) -> dict[str, str]:
    files = {p.name: p.read_text(errors="replace") for p in tmp.iterdir() if p.suffix == ".log"}
    assert set(files) >= {"access.log", "daphne.log"}
    return files


def test_the_requests_really_happened(logged_server):
    tmp, seen, _ = logged_server
    assert [seen[f"plain ws {n}"] for n in range(3)] == [404] * 3
    assert seen["rest /api/boards/"] == 401 and seen["rest /healthz"] == 200
    assert seen["ws canary"] == "close 4401"
    assert seen["ws real"].lstrip(": ").startswith('"hello"')
    assert seen["ws unknown path"] == "status 403"
    assert seen["ws foreign origin"] == "status 403"
    assert seen["rest bearer"] == 200
    assert seen["login"] == 401
    logs = every_log(tmp)
    # Paths are still logged, for plain requests and sockets alike.
    access = logs["access.log"]
    assert "GET /ws/boards/" in access and "GET /api/boards/" in access
    assert "WSCONNECT /ws/me/" in access


def test_no_log_holds_a_token_or_the_canary(logged_server):
    tmp, _, tokens = logged_server
    for name, text in every_log(tmp).items():
        for secret in [CANARY, *tokens]:
            assert secret not in text, f"{secret[:12]}... is in {name}:\n" + "\n".join(
                line for line in text.splitlines() if secret in line
            )
        assert "token=" not in text, f"a query string is in {name}"
