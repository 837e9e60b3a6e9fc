"""A real daphne for the browser tests: its own port, SQLite file and Redis prefix.

Started and stopped by PID (never by name: other daphnes may run on this machine). Redis
carries the channel layer so a push from another process (`send_due_today`) reaches it,
and the prefix keeps this run's groups apart from anything else using that Redis."""

from __future__ import annotations

import os
import secrets
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

from tests.live import stop_process

ROOT = Path(__file__).resolve().parents[2]
BIN = Path(sys.executable).parent


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


class Server:
    def __init__(self, workdir: Path):
        self.port = free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        prefix = f"rs-e2e-{secrets.token_hex(4)}"
        # One file per connection (Django's file backend): the tests read links from here.
        self.mail_dir = workdir / "mail"
        self.env = {
            **os.environ,
            "DJANGO_SETTINGS_MODULE": "tests.e2e.settings",
            "DATABASE_URL": f"sqlite:///{workdir / 'e2e.sqlite3'}",
            "REDIS_URL": os.environ.get("E2E_REDIS_URL", "redis://127.0.0.1:6379/13"),
            "CHANNEL_LAYER_PREFIX": prefix,
            "CACHE_KEY_PREFIX": prefix,
            "DJANGO_ALLOWED_HOSTS": "127.0.0.1,localhost",
            "SITE_URL": self.url,
            "HUEY_FILE": str(workdir / "huey.db"),
            # Four slashes for an absolute path: django-environ drops the first one after "//".
            "EMAIL_URL": f"filemail:///{self.mail_dir}",
        }
        self.log = open(workdir / "daphne.log", "ab")  # noqa: SIM115 (lives as long as the server)
        self.proc: subprocess.Popen | None = None

    def manage(self, *args: str, check: bool = True) -> subprocess.CompletedProcess:
        return subprocess.run(
            [str(BIN / "python"), "manage.py", *args],
            cwd=ROOT, env=self.env, capture_output=True, text=True, check=check, timeout=60,
        )  # fmt: skip

    def start(self) -> None:
        self.proc = subprocess.Popen(
            [str(BIN / "python"), "-m", "realtime_scrum.server", "-b", "127.0.0.1",
             "-p", str(self.port), "realtime_scrum.asgi:application"],
            cwd=ROOT, env=self.env, stdout=self.log, stderr=subprocess.STDOUT,
        )  # fmt: skip
        deadline = time.monotonic() + 20
        while time.monotonic() < deadline:
            if self.proc.poll() is not None:
                raise RuntimeError(f"daphne exited with {self.proc.returncode}, see daphne.log")
            try:
                with urllib.request.urlopen(f"{self.url}/healthz", timeout=1) as response:
                    if response.status == 200:
                        return
            except OSError:
                time.sleep(0.1)
        raise RuntimeError("daphne did not answer /healthz within 20 s")

    def stop(self) -> None:
        stop_process(self.proc)
        self.proc = None
