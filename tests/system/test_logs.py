"""After everything above ran with real tokens (REST headers, `?token=` on sockets, a daphne
killed under open sockets), no log holds a token: nginx's access and error logs, and every
file any process of the stack wrote (daphnes' stdout, stderr and access logs, the worker,
Redis). Runs last."""

from __future__ import annotations

import base64
import os
import re
import socket

import pytest

from tests.support.http import HttpClient

CANARY = "canary-token-that-must-never-be-logged"
RESET_LINK = re.compile(r"/reset-password/#uid=[\w-]+&token=[\w-]+")


def handshake(stack, path: str, **headers: str) -> bytes:
    """A WebSocket handshake through nginx, token and all in the query as a browser sends it;
    returns the status line (the socket is then dropped)."""
    key = base64.b64encode(os.urandom(16)).decode()
    lines = [
        f"GET {path} HTTP/1.1",
        f"Host: 127.0.0.1:{stack.nginx_port}",
        "Upgrade: websocket",
        "Connection: Upgrade",
        f"Sec-WebSocket-Key: {key}",
        "Sec-WebSocket-Version: 13",
        *(f"{name.replace('_', '-')}: {value}" for name, value in headers.items()),
    ]
    with socket.create_connection(("127.0.0.1", stack.nginx_port), timeout=15) as sock:
        sock.sendall(("\r\n".join(lines) + "\r\n\r\n").encode())
        return sock.recv(65536).split(b"\r\n", 1)[0]


def socket_requests_while_a_daphne_is_down(stack) -> None:
    """nginx writes the request line, query string included, into every error-level message
    about a request; a refused upstream connect is one. Make some on /ws/ with a token."""
    stack.kill_daphne(0)
    try:
        for _ in range(3):
            assert b" 101 " in handshake(stack, f"/ws/boards/1/?token={CANARY}")
    finally:
        stack.start_daphne(0)


@pytest.mark.system_last
def test_nginx_logs_hold_no_token(stack, users):
    HttpClient(stack.base_url).get(f"/api/boards/?token={CANARY}")
    socket_requests_while_a_daphne_is_down(stack)
    logs = stack.nginx_logs()
    assert set(logs) >= {"access.log", "error.log"}
    # The failover really happened on /ws/: the dead daphne was tried, then the live one.
    dead = f"127.0.0.1:{stack.daphne_ports[0]}, 127.0.0.1:{stack.daphne_ports[1]}"
    assert any(
        "GET /ws/boards/1/" in line and dead in line for line in logs["access.log"].splitlines()
    )
    secrets = [CANARY] + [tok for pair in users.values() for tok in pair.values()]
    for name, text in logs.items():
        for secret in secrets:
            assert secret not in text, f"a token is in nginx's {name}"
        assert "token=" not in text, f"a query string is in nginx's {name}"
    assert "GET /api/boards/ HTTP/1.1" in logs["access.log"]  # paths are still logged
    assert "GET /ws/boards/" in logs["access.log"]


def every_log(stack) -> dict[str, str]:
    """Every log file under the stack's directory: daphneN.log (stdout and stderr),
    daphneN.access.log, huey.log, redis.log, nginx's logs (and those of any other nginx a test
    started there)."""
    return {
        str(path.relative_to(stack.tmp)): path.read_text(errors="replace")
        for path in sorted(stack.tmp.rglob("*.log"))
    }


def daphne_ws_requests(stack) -> int:
    """Plain (non-upgrade) requests on /ws/ that reached a daphne."""
    return sum(stack.daphne_access_log(i).read_text().count('"GET /ws/') for i in range(2))


@pytest.mark.system_last
def test_no_log_of_any_process_holds_a_token(stack, users, alice, board):
    access = users["alice"]["access"]
    plain = HttpClient(stack.base_url)
    before = daphne_ws_requests(stack)

    # Plain requests on /ws/ are answered by nginx (426) and never reach a daphne, whose
    # access log would write their URI.
    for path, headers in [
        (f"/ws/boards/{board['id']}/?token={CANARY}", {}),
        (f"/ws/me/?token={access}&since={CANARY}", {}),
        (f"/ws/boards/{board['id']}/?x={CANARY}&token={CANARY}", {"Upgrade": "h2c"}),
    ]:
        resp = plain.get(path, **headers)
        assert resp.status == 426, (path, resp.status)
        assert resp.headers.get("Upgrade", "").lower() == "websocket"
    assert daphne_ws_requests(stack) == before

    # Upgrades: a canary refused (4401 after the 101), a real token, an unknown path.
    assert b" 101 " in handshake(stack, f"/ws/boards/{board['id']}/?token={CANARY}&since=0")
    assert b" 101 " in handshake(stack, f"/ws/me/?token={access}&x={CANARY}")
    assert b" 403 " in handshake(stack, f"/ws/nope/?token={CANARY}")
    # REST, static and unknown paths with the canary in any parameter.
    assert alice.get(f"/api/boards/?token={CANARY}&search={CANARY}").status == 200
    assert plain.get(f"/api/boards/?token={CANARY}").status == 401
    assert plain.get(f"/api/nope/?token={CANARY}").status == 404
    assert plain.get(f"/static/nope.js?v={CANARY}").status == 404
    assert plain.get(f"/healthz?token={CANARY}").status == 200

    # The same with a daphne down: nginx's failed connects are error-level messages that
    # carry the request line (the failover itself shows in the access log). daphne0 may have
    # been restarted just before: nginx must be routing to it again first.
    stack.wait_nginx_routes_to(0)
    stack.kill_daphne(1)
    try:
        for _ in range(3):
            assert b" 101 " in handshake(stack, f"/ws/me/?token={access}&since={CANARY}")
            assert alice.get(f"/api/boards/?token={CANARY}").status == 200
    finally:
        stack.start_daphne(1)
    stack.wait_nginx_routes_to(1)

    logs = every_log(stack)
    expected = {"daphne0.log", "daphne1.log", "daphne0.access.log", "daphne1.access.log"}
    assert set(logs) >= expected | {"nginx/logs/access.log", "nginx/logs/error.log"}
    # The requests were logged, by path.
    assert "WSCONNECT /ws/me/" in logs["daphne0.access.log"] + logs["daphne1.access.log"]
    assert f'GET /ws/boards/{board["id"]}/ HTTP/1.1" 426' in logs["nginx/logs/access.log"]
    secrets = [CANARY] + [tok for pair in users.values() for tok in pair.values()]
    for name, text in logs.items():
        for secret in secrets:
            assert secret not in text, f"a token is in {name}:\n" + "\n".join(
                line for line in text.splitlines() if secret in line
            )
        # The stack mails through consolemail://, so the worker's log holds the reset mails
        # the tests asked for, link (uid and token in the fragment) and all: that is the mail,
        # not a request line (docs/security.md: use a real EMAIL_URL in production).
        if name == "huey.log":
            text = RESET_LINK.sub("", text)
        assert "token=" not in text, f"a query string is in {name}"
