"""py-spy on the pinned daphne: collapsed stacks of a phase, and a short summary of where the
server's samples went (what explains a missed target)."""

from __future__ import annotations

import collections
import shutil
import signal
import subprocess
import sys
from pathlib import Path

from .procs import CLIENT_CPU


class Recording:
    def __init__(self, pid: int, out: Path, rate: int = 200, idle: bool = False) -> None:
        self.out = out
        exe = shutil.which("py-spy") or str(Path(sys.executable).parent / "py-spy")
        self.proc = subprocess.Popen(
            ["taskset", "-c", str(CLIENT_CPU), exe, "record", "--pid", str(pid),
             "--rate", str(rate), "--format", "raw", "--threads", "--nonblocking",
             "--output", str(out), *(["--idle"] if idle else [])],
            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
        )  # fmt: skip

    def stop(self) -> dict:
        # SIGINT makes py-spy write what it has and exit.
        if self.proc.poll() is None:
            self.proc.send_signal(signal.SIGINT)
            try:
                self.proc.wait(30)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                self.proc.wait(5)
        return summarise(self.out) if self.out.exists() else {}


MARKERS = {
    "aclose_old_connections / thread hop": ("aclose_old_connections", "close_old_connections"),
    "channel layer (redis, msgpack)": ("channels_redis",),
    "json encode/decode": ("json/encoder.py", "json/decoder.py", "dumps (json", "loads (json"),
    "autobahn/twisted socket writes": ("autobahn", "twisted"),
    "presence": ("presence",),
    "ORM / SQL": ("django/db/",),
    "DRF serializers": ("rest_framework/serializers", "rest_framework/fields"),
}


def summarise(path: Path, top: int = 15) -> dict:
    """Share of busy samples per marker (inclusive) and the hottest leaf functions."""
    total = 0
    inclusive: collections.Counter = collections.Counter()
    leaves: collections.Counter = collections.Counter()
    for line in path.read_text(errors="replace").splitlines():
        stack, _, count = line.rpartition(" ")
        if not count.isdigit() or not stack:
            continue
        n = int(count)
        frames = stack.split(";")
        if "idle" in frames[-1] or "select (selectors.py" in frames[-1]:
            continue  # the event loop waiting: not work
        total += n
        leaves[frames[-1]] += n
        for label, needles in MARKERS.items():
            if any(needle in stack for needle in needles):
                inclusive[label] += n
    return {
        "busy_samples": total,
        "share": {k: round(v / total, 3) for k, v in inclusive.most_common()} if total else {},
        "top_leaves": [(f, round(n / total, 3)) for f, n in leaves.most_common(top)]
        if total
        else [],
    }
