"""A migrated live daphne on a file SQLite database of its own, and a tiny JSON client.

Builds on tests/live.py (free loopback port, readiness check, stop by PID). The server log is
kept so tests can assert that nothing produced a traceback."""

from __future__ import annotations

import json
import secrets
import subprocess
import sys
import urllib.error
import urllib.request
from pathlib import Path
from typing import Any

from tests.live import ROOT, Daphne


def live_daphne(tmp: Path, **env: str) -> Daphne:
    settings = {
        "DJANGO_SETTINGS_MODULE": "tests.security.settings",
        "DATABASE_URL": f"sqlite:///{tmp / 'db.sqlite3'}",
        "HUEY_SQLITE_PATH": str(tmp / "huey.db"),
        **env,
    }
    subprocess.run(
        [sys.executable, "manage.py", "migrate", "--noinput", "-v0"],
        cwd=ROOT, env={**_base_env(), **settings}, check=True, timeout=120,
    )  # fmt: skip
    return Daphne(settings, tmp / "daphne.log")


def _base_env() -> dict[str, str]:
    import os

    return {**os.environ, "PYTHONUNBUFFERED": "1"}


def tracebacks(server: Daphne) -> list[str]:
    """Every traceback or 'Exception inside application' the server logged so far."""
    if not server.log.closed:
        server.log.flush()
    text = Path(server.log.name).read_text(errors="replace")
    marks = ("Traceback (most recent call last)", "Exception inside application")
    return [line for line in text.splitlines() if any(m in line for m in marks)]


class Api:
    """JSON over HTTP to a live server; returns (status, body) and never raises on 4xx/5xx."""

    def __init__(self, base: str, token: str | None = None):
        self.base, self.token = base, token

    def call(self, method: str, path: str, body: Any = None, **headers: str):
        data = None if body is None else json.dumps(body).encode()
        req = urllib.request.Request(self.base + path, data=data, method=method)  # noqa: S310
        req.add_header("Content-Type", "application/json")
        if self.token:
            req.add_header("Authorization", f"Bearer {self.token}")
        for name, value in headers.items():
            req.add_header(name.replace("_", "-"), value)
        try:
            with urllib.request.urlopen(req, timeout=10) as resp:  # noqa: S310 - loopback
                raw = resp.read()
                return resp.status, json.loads(raw) if raw else None
        except urllib.error.HTTPError as err:
            raw = err.read()
            try:
                return err.code, json.loads(raw) if raw else None
            except ValueError:
                return err.code, raw.decode(errors="replace")

    def get(self, path: str):
        return self.call("GET", path)

    def post(self, path: str, body: Any = None, **headers: str):
        return self.call("POST", path, body, **headers)

    def ok(self, method: str, path: str, body: Any = None, **headers: str) -> Any:
        status, out = self.call(method, path, body, **headers)
        assert 200 <= status < 300, (method, path, status, out)
        return out


def signup(base: str, prefix: str = "u") -> tuple[Api, dict[str, Any], str]:
    """A new user through the real signup endpoint: (client, user JSON, refresh token)."""
    name = f"{prefix}{secrets.token_hex(4)}"
    status, out = Api(base).post(
        "/api/auth/signup/",
        {"username": name, "email": f"{name}@example.test", "password": "a-Long-pass-9921"},
    )
    assert status == 201, out
    return Api(base, out["access"]), out["user"], out["refresh"]
