"""Child processes of the system tier: free ports, start, wait until they answer, stop by PID.

Every server binds 127.0.0.1 on a port picked at run time and is stopped through the PID we
started, never by name, so nothing else on the machine is touched.
"""

from __future__ import annotations

import contextlib
import os
import signal
import socket
import subprocess
import time
from collections.abc import Callable
from pathlib import Path


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def port_answers(port: int) -> bool:
    with contextlib.suppress(OSError), socket.create_connection(("127.0.0.1", port), 0.5):
        return True
    return False


class Proc:
    """One server: its command, log file and the PID we own."""

    def __init__(self, name: str, argv: list[str], log: Path, env: dict[str, str], cwd: Path):
        self.name, self.argv, self.log, self.env, self.cwd = name, argv, log, env, cwd
        self.popen: subprocess.Popen | None = None

    def start(self) -> Proc:
        out = open(self.log, "ab")  # noqa: SIM115 - the child owns it for its lifetime
        # A session of its own: a Ctrl-C in the terminal reaches pytest, which then stops us.
        self.popen = subprocess.Popen(
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
        assert self.popen is not None
        return self.popen.pid

    def alive(self) -> bool:
        return self.popen is not None and self.popen.poll() is None

    def wait_until(self, ready: Callable[[], bool], timeout: float = 30) -> None:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if not self.alive():
                raise RuntimeError(f"{self.name} exited early; log:\n{self.tail()}")
            if ready():
                return
            time.sleep(0.1)
        raise RuntimeError(f"{self.name} did not become ready in {timeout}s; log:\n{self.tail()}")

    def kill(self) -> None:
        """SIGKILL: the crash we test, no chance to close sockets cleanly."""
        if self.alive():
            os.kill(self.pid, signal.SIGKILL)
            self.popen.wait(10)

    def stop(self, timeout: float = 10) -> None:
        if not self.alive():
            return
        self.popen.terminate()
        try:
            self.popen.wait(timeout)
        except subprocess.TimeoutExpired:
            self.kill()

    def tail(self, lines: int = 40) -> str:
        try:
            return "\n".join(self.log.read_text(errors="replace").splitlines()[-lines:])
        except OSError:
            return "(no log)"


def redis_proc(port: int, tmp: Path, env: dict[str, str]) -> Proc:
    """A private, empty redis-server on loopback (no persistence: a restart forgets all),
    started; the caller waits for it to answer."""
    argv = ["redis-server", "--bind", "127.0.0.1", "--port", str(port), "--save", "",
            "--appendonly", "no", "--dir", str(tmp)]  # fmt: skip
    return Proc("redis", argv, tmp / "redis.log", env, tmp).start()
