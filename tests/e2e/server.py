"""A real daphne for the browser tests: its own port, SQLite file and Redis prefix.

Started and stopped by PID (never by name: other daphnes may run on this machine). Redis
carries the channel layer so a push from another process (`send_due_today`) reaches it,
and the prefix keeps this run's groups apart from anything else using that Redis."""

from __future__ import annotations

import os
import secrets
import subprocess
import sys
from pathlib import Path

from tests.support.ports import free_port
from tests.support.servers import ROOT, Daphne

BIN = Path(sys.executable).parent


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
            "E2E_STATIC_ROOT": str(workdir / "static"),
            # Four slashes for an absolute path: django-environ drops the first one after "//".
            "EMAIL_URL": f"filemail:///{self.mail_dir}",
        }
        self.daphne = Daphne(workdir / "daphne.log", self.env, self.port)

    def manage(self, *args: str, check: bool = True) -> subprocess.CompletedProcess:
        return subprocess.run(
            [str(BIN / "python"), "manage.py", *args],
            cwd=ROOT, env=self.env, capture_output=True, text=True, check=check, timeout=60,
        )  # fmt: skip

    def start(self) -> None:
        self.daphne.start().wait_ready(timeout=20)

    def stop(self) -> None:
        self.daphne.stop()
