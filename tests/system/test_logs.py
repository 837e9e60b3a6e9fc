"""After everything above ran with real tokens (REST headers, `?token=` on sockets, a daphne
killed under open sockets), nginx's logs hold no token. Runs last."""

from __future__ import annotations

import pytest

from .conftest import realtime_available
from .rest import Rest

CANARY = "canary-token-that-must-never-be-logged"


@pytest.mark.system_last
def test_nginx_logs_hold_no_token(stack, users):
    anon = Rest(stack.base_url)
    anon.get(f"/api/boards/?token={CANARY}")
    anon.get(f"/ws/boards/1/?token={CANARY}")  # a plain GET on the socket path
    logs = stack.nginx_logs()
    assert set(logs) >= {"access.log", "error.log"}
    secrets = [CANARY] + [tok for pair in users.values() for tok in pair.values()]
    for name, text in logs.items():
        for secret in secrets:
            assert secret not in text, f"a token is in nginx's {name}"
        assert "token=" not in text, f"a query string is in nginx's {name}"
    assert "GET /api/boards/ HTTP/1.1" in logs["access.log"]  # paths are still logged
    if realtime_available():
        assert "GET /ws/boards/" in logs["access.log"]
