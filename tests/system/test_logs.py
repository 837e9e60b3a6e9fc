"""After everything above ran with real tokens (REST headers, `?token=` on sockets, a daphne
killed under open sockets), nginx's logs hold no token. Runs last."""

from __future__ import annotations

import pytest

from .rest import Rest

CANARY = "canary-token-that-must-never-be-logged"


def socket_requests_while_a_daphne_is_down(stack) -> None:
    """nginx writes the request line, query string included, into every error-level message
    about a request; a refused upstream connect is one. Make some on /ws/ with a token."""
    anon = Rest(stack.base_url)
    stack.kill_daphne(0)
    try:
        for _ in range(3):
            anon.get(f"/ws/boards/1/?token={CANARY}")
    finally:
        stack.start_daphne(0)


@pytest.mark.system_last
def test_nginx_logs_hold_no_token(stack, users):
    Rest(stack.base_url).get(f"/api/boards/?token={CANARY}")
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
