"""Real daphne processes for live tests: loopback only, a free port chosen at run time, and
stopped by their own PID."""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


MARIADB = {"host": "127.0.0.1", "port": 3306, "user": "root", "password": ""}


def stop_process(proc: subprocess.Popen | None, timeout: float = 10) -> None:
    """SIGTERM our own child by its PID, SIGKILL if it does not go (never by name)."""
    if proc is None or proc.poll() is not None:
        return
    proc.terminate()
    try:
        proc.wait(timeout)
    except subprocess.TimeoutExpired:
        proc.kill()
        proc.wait(5)


def mariadb_execute(sql: str) -> None:
    """One statement as root on the shared MariaDB (tests only create/drop their own DBs)."""
    import MySQLdb

    conn = MySQLdb.connect(**MARIADB)
    try:
        conn.cursor().execute(sql)
    finally:
        conn.close()


def create_database(name: str) -> None:
    mariadb_execute(f"CREATE DATABASE `{name}` CHARACTER SET utf8mb4 COLLATE utf8mb4_unicode_ci")


def drop_database(name: str) -> None:
    mariadb_execute(f"DROP DATABASE IF EXISTS `{name}`")


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


class Daphne:
    def __init__(self, env: dict[str, str], log_path: Path, args: tuple[str, ...] = ()):
        self.port = free_port()
        self.base = f"http://127.0.0.1:{self.port}"
        self.ws = f"ws://127.0.0.1:{self.port}"
        self.log = open(log_path, "wb")  # noqa: SIM115 - closed in stop()
        full_env = {**os.environ, "DJANGO_SETTINGS_MODULE": "tests.settings", **env}
        self.proc = subprocess.Popen(
            [sys.executable, "-m", "realtime_scrum.server", "-b", "127.0.0.1",
             "-p", str(self.port), *args, "realtime_scrum.asgi:application"],
            cwd=ROOT, env=full_env, stdout=self.log, stderr=subprocess.STDOUT,
        )  # fmt: skip
        self._wait_ready()

    def _wait_ready(self, timeout: float = 20) -> None:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.proc.poll() is not None:
                code = self.proc.returncode
                raise RuntimeError(f"daphne exited with {code}; see {self.log.name}")
            try:
                with urllib.request.urlopen(self.base + "/healthz", timeout=1) as resp:  # noqa: S310
                    if resp.status == 200:
                        return
            except OSError:
                time.sleep(0.1)
        self.stop()
        raise RuntimeError(f"daphne on port {self.port} did not answer /healthz")

    def stop(self) -> None:
        stop_process(self.proc)
        self.log.close()
