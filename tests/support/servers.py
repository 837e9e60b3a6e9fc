"""The launcher of the live tiers: servers as child processes we own.

Every server binds 127.0.0.1 on a port picked at run time, writes its output to a log file
the tier keeps, is ready only once a check passes before a deadline, and is stopped through
the PID we started, never by name, so nothing else on the machine is touched.
"""

from __future__ import annotations

import os
import shutil
import signal
import subprocess
import sys
import time
from collections.abc import Callable
from pathlib import Path
from typing import Self

from .http import http_ok
from .ports import free_port, port_answers

ROOT = Path(__file__).resolve().parents[2]
NGINX = shutil.which("nginx") or "/usr/sbin/nginx"


class Process:
    """One server: its command, its log file and the PID we own. `env` is the child's whole
    environment (None: this process's). Restartable: `start` again after `stop` or `kill`."""

    def __init__(
        self,
        name: str,
        argv: list[str],
        log: Path,
        env: dict[str, str] | None = None,
        cwd: Path = ROOT,
    ):
        self.name, self.argv, self.log, self.env, self.cwd = name, argv, log, env, cwd
        self.proc: subprocess.Popen | None = None

    def start(self) -> Self:
        out = open(self.log, "ab")  # noqa: SIM115 - the child owns it for its lifetime
        # A session of its own: a Ctrl-C in the terminal reaches pytest, which then stops the
        # servers in the order the tier chose.
        self.proc = subprocess.Popen(
            self.argv,
            stdout=out,
            stderr=subprocess.STDOUT,
            env=self.env,
            cwd=self.cwd,
            start_new_session=True,
        )
        out.close()
        return self

    @property
    def pid(self) -> int:
        assert self.proc is not None
        return self.proc.pid

    def alive(self) -> bool:
        return self.proc is not None and self.proc.poll() is None

    def wait_until(
        self, ready: Callable[[], bool], timeout: float = 30, interval: float = 0.1
    ) -> Self:
        """Return once `ready()` holds; if the process exits or the deadline passes first,
        stop it and raise with the end of its log."""
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if not self.alive():
                code = self.proc.returncode if self.proc is not None else None
                raise RuntimeError(f"{self.name} exited with {code}; {self.log}:\n{self.tail()}")
            if ready():
                return self
            time.sleep(interval)
        self.stop()
        raise RuntimeError(
            f"{self.name} did not become ready in {timeout}s; {self.log}:\n{self.tail()}"
        )

    def kill(self) -> None:
        """SIGKILL: a crash, no chance to close sockets cleanly."""
        if self.alive():
            os.kill(self.pid, signal.SIGKILL)
            self.proc.wait(10)

    def stop(self, timeout: float = 10) -> None:
        """SIGTERM, then SIGKILL if it has not gone within `timeout`."""
        if not self.alive():
            return
        self.proc.terminate()
        try:
            self.proc.wait(timeout)
        except subprocess.TimeoutExpired:
            self.kill()

    # --- its log --------------------------------------------------------------------------

    def log_text(self) -> str:
        try:
            return self.log.read_text(errors="replace")
        except OSError:
            return ""

    def log_size(self) -> int:
        try:
            return self.log.stat().st_size
        except OSError:
            return 0

    def log_since(self, offset: int) -> str:
        try:
            with open(self.log, "rb") as fh:
                fh.seek(offset)
                return fh.read().decode(errors="replace")
        except OSError:
            return ""

    def tail(self, lines: int = 40) -> str:
        return "\n".join(self.log_text().splitlines()[-lines:]) or "(no log)"


# --- daphne -------------------------------------------------------------------------------


def daphne_argv(port: int, *args: str) -> list[str]:
    """Our daphne (realtime_scrum/server.py: daphne with the socket fixes) on 127.0.0.1;
    `args` are more daphne options (`--proxy-headers`, `--access-log <file>`)."""
    return [sys.executable, "-m", "realtime_scrum.server", "-b", "127.0.0.1", "-p", str(port),
            *args, "realtime_scrum.asgi:application"]  # fmt: skip


class Daphne(Process):
    """`python -m realtime_scrum.server` on 127.0.0.1:`port` (a free one unless given)."""

    def __init__(
        self,
        log: Path,
        env: dict[str, str],
        port: int | None = None,
        name: str = "daphne",
        args: tuple[str, ...] = (),
    ):
        self.port = port or free_port()
        self.base = f"http://127.0.0.1:{self.port}"
        self.ws = f"ws://127.0.0.1:{self.port}"
        super().__init__(name, daphne_argv(self.port, *args), log, env)

    def wait_ready(self, timeout: float = 20, path: str = "/healthz") -> Self:
        return self.wait_until(lambda: http_ok(self.base + path, timeout=1), timeout)


def sqlite_env(tmp: Path, **env: str) -> dict[str, str]:
    """A live server's database and Huey queue of its own: files in `tmp`, plus `env`."""
    return {
        "DATABASE_URL": f"sqlite:///{tmp / 'db.sqlite3'}",
        "HUEY_SQLITE_PATH": str(tmp / "huey.db"),
        **env,
    }


def migrate(env: dict[str, str]) -> None:
    """`manage.py migrate` for a live server: this process's environment plus `env`, on the
    test settings unless `env` names others."""
    full = {**os.environ, "DJANGO_SETTINGS_MODULE": "tests.settings", "PYTHONUNBUFFERED": "1"}
    subprocess.run(
        [sys.executable, "manage.py", "migrate", "--noinput", "-v0"],
        cwd=ROOT, env={**full, **env}, check=True, timeout=120,
    )  # fmt: skip


def start_daphne(log: Path, **env: str) -> Daphne:
    """A daphne on the test settings with this process's environment plus `env`, started and
    answering /healthz (DJANGO_SETTINGS_MODULE in `env` picks other settings)."""
    full = {**os.environ, "DJANGO_SETTINGS_MODULE": "tests.settings", **env}
    return Daphne(log, full).start().wait_ready()


# --- redis-server -------------------------------------------------------------------------


def redis_argv(port: int, workdir: Path) -> list[str]:
    """A private, empty redis-server on loopback: no persistence, so a restart forgets all."""
    return ["redis-server", "--bind", "127.0.0.1", "--port", str(port), "--save", "",
            "--appendonly", "no", "--dir", str(workdir)]  # fmt: skip


def redis_server(port: int, workdir: Path, env: dict[str, str] | None = None) -> Process:
    """Not started yet: `.start()`, then wait with `.wait_until(...)` (see `start_redis`)."""
    return Process("redis", redis_argv(port, workdir), workdir / "redis.log", env, workdir)


def start_redis(
    port: int, workdir: Path, env: dict[str, str] | None = None, timeout: float = 30
) -> Process:
    """A private redis-server, started and accepting connections."""
    proc = redis_server(port, workdir, env).start()
    return proc.wait_until(lambda: port_answers(port), timeout)


# --- nginx --------------------------------------------------------------------------------


def nginx_server(
    root: Path, conf: Path, log: Path, env: dict[str, str], cwd: Path, binary: str = NGINX
) -> Process:
    """Debian's nginx on a config tests/system/nginx.py wrote under `root`, checked with
    `nginx -t` first (a refused config raises with nginx's own words); not started yet."""
    check = subprocess.run(
        [binary, "-t", "-p", str(root), "-c", str(conf)], capture_output=True, text=True
    )
    if check.returncode != 0:
        raise RuntimeError(f"nginx -t refused the rendered config:\n{check.stderr}")
    return Process("nginx", [binary, "-p", str(root), "-c", str(conf)], log, env, cwd)
