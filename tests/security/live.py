"""A migrated live daphne on a file SQLite database of its own, and users signed up on it.

Built on tests/support (free loopback port, readiness check, stop by PID, the HTTP client).
The server log is kept so tests can assert that nothing produced a traceback."""

from __future__ import annotations

import secrets
from pathlib import Path
from typing import Any

from tests.support.http import HttpClient
from tests.support.servers import Daphne, migrate, sqlite_env, start_daphne


def live_daphne(tmp: Path, **env: str) -> Daphne:
    settings = sqlite_env(tmp, DJANGO_SETTINGS_MODULE="tests.security.settings", **env)
    migrate(settings)
    return start_daphne(tmp / "daphne.log", **settings)


def tracebacks(server: Daphne) -> list[str]:
    """Every traceback or 'Exception inside application' the server logged so far."""
    marks = ("Traceback (most recent call last)", "Exception inside application")
    return [line for line in server.log_text().splitlines() if any(m in line for m in marks)]


def signup(base: str, prefix: str = "u") -> tuple[HttpClient, dict[str, Any], str]:
    """A new user through the real signup endpoint: (client, user JSON, refresh token)."""
    name = f"{prefix}{secrets.token_hex(4)}"
    status, out = HttpClient(base).call(
        "POST",
        "/api/auth/signup/",
        {"username": name, "email": f"{name}@example.test", "password": "a-Long-pass-9921"},
    )
    assert status == 201, out
    return HttpClient(base, out["access"]), out["user"], out["refresh"]
