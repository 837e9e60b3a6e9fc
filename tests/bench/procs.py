"""Processes the benchmarks start and measure: pinned, on loopback, stopped by their own PID.

The server under test runs on CPU 0; this process (the load generator), the private Redis and
MariaDB run on CPU 1, so the generator never steals the server's core and the server's CPU
time per delivery is not inflated by contention.
"""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

from tests.support.http import http_ok
from tests.support.ports import free_port, port_answers
from tests.support.servers import Process, daphne_argv, redis_argv

SERVER_CPU = 0
CLIENT_CPU = 1
CLK_TCK = os.sysconf("SC_CLK_TCK")


def cpu_ns(pid: int) -> int:
    """On-CPU time of every live thread of `pid`, in ns (schedstat: no 10 ms tick rounding,
    which would swallow a raw server's few ms per round)."""
    total = 0
    for tid in os.listdir(f"/proc/{pid}/task"):
        try:
            with open(f"/proc/{pid}/task/{tid}/schedstat") as f:
                total += int(f.read().split()[0])
        except (FileNotFoundError, ProcessLookupError):
            continue  # a thread that ended between listdir and open
    return total


def cpu_ticks_s(pid: int) -> float:
    """utime + stime of /proc/<pid>/stat in seconds: the coarse cross-check of cpu_ns."""
    with open(f"/proc/{pid}/stat") as f:
        fields = f.read().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / CLK_TCK


def rss_kib(pid: int) -> int:
    with open(f"/proc/{pid}/status") as f:
        for line in f:
            if line.startswith("VmRSS:"):
                return int(line.split()[1])
    raise RuntimeError(f"no VmRSS for {pid}")


class Proc(Process):
    """A child process pinned to `cpu`; `pid` is the program's own (taskset execs it)."""

    def __init__(self, name: str, argv: list[str], env: dict[str, str], log_dir: Path, cpu: int):
        pinned = ["taskset", "-c", str(cpu), *argv]
        super().__init__(name, pinned, log_dir / f"{name}.log", {**os.environ, **env})
        self.start()

    def cpu_s(self) -> float:
        return cpu_ns(self.pid) / 1e9

    def cpu_total_s(self) -> float:
        """CPU of the process including threads that have exited (10 ms ticks). schedstat
        sums only live threads, and Django under ASGI runs each request's sync code in a
        thread that ends with the request: B6 by schedstat saw 2.6 ms/request for a list
        that costs ~14 ms."""
        return cpu_ticks_s(self.pid)


def start_redis(log_dir: Path) -> tuple[Proc, int]:
    """A private redis-server: nothing of anyone else's can be flushed or read."""
    port = free_port()
    proc = Proc("redis", redis_argv(port, log_dir), {}, log_dir, CLIENT_CPU)
    proc.wait_until(lambda: port_answers(port))
    return proc, port


def start_daphne(env: dict[str, str], log_dir: Path, name: str = "daphne") -> tuple[Proc, int]:
    port = free_port()
    proc = Proc(name, daphne_argv(port), env, log_dir, SERVER_CPU)
    proc.wait_until(lambda: http_ok(f"http://127.0.0.1:{port}/healthz", timeout=1))
    return proc, port


def start_raw(log_dir: Path, name: str = "raw") -> tuple[Proc, int]:
    port = free_port()
    argv = [sys.executable, "-m", "tests.bench.raw_server", str(port)]
    proc = Proc(name, argv, {}, log_dir, SERVER_CPU)
    proc.wait_until(lambda: port_answers(port))
    return proc, port


def pin_self() -> None:
    os.sched_setaffinity(0, {CLIENT_CPU})


def pin_mariadb() -> tuple[int, set[int]] | None:
    """Move the machine's mariadbd to the client core for the run; returns what to restore.
    It is a shared service, so its original affinity is put back in `unpin`."""
    out = subprocess.run(["pidof", "mariadbd"], capture_output=True, text=True).stdout.split()
    if not out:
        return None
    pid = int(out[0])
    before = os.sched_getaffinity(pid)
    subprocess.run(["taskset", "-a", "-p", "-c", str(CLIENT_CPU), str(pid)],
                   check=True, capture_output=True)  # fmt: skip
    return pid, before


def unpin(saved: tuple[int, set[int]] | None) -> None:
    if saved is None:
        return
    pid, cpus = saved
    mask = ",".join(str(c) for c in sorted(cpus))
    subprocess.run(["taskset", "-a", "-p", "-c", mask, str(pid)], capture_output=True)
