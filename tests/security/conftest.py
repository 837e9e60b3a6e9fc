"""The security tier. Cheap in-process files (versions, tokens, regressions) run in every
tier; the live ones (daphne, nginx, fuzzers) only from `make test-security`, which sets
RS_SECURITY_TESTS, so the SQLite in-memory unit tier never starts servers."""

import os

import pytest

LIVE = ["test_ws_fuzz.py", "test_ws_handshake.py", "test_nginx_garbage.py",
        "test_api_schemathesis.py", "test_stateful.py"]  # fmt: skip
collect_ignore = [] if os.environ.get("RS_SECURITY_TESTS") else LIVE


@pytest.fixture(scope="session")
def fuzz_server(tmp_path_factory):
    """One live daphne for the socket fuzzers. Limits raised so every bad frame is answered
    rather than the socket closed after five; the production limits (4400, 4429) are proven
    in tests/board/test_consumers_protocol.py."""
    from .live import live_daphne

    server = live_daphne(
        tmp_path_factory.mktemp("fuzz"),
        WS_MAX_PROTOCOL_ERRORS="1000000",
        WS_RATE_BURST="1000000",
        WS_RATE_PER_SECOND="1000000",
        # The world's webhooks point at a closed loopback port (tests/security/api_world.py).
        WEBHOOK_ALLOW_PRIVATE="true",
    )
    yield server
    server.stop()
