"""Garbage-collector settings for the long-running server process.

A fan-out writes to every socket of a board in one burst; with CPython's default gen-0
threshold (700) collections run mid-burst, promote the burst's in-flight objects, and a
full (gen-2) collection follows every few seconds. With 1000 sockets (~370k tracked
objects) the bench measured gen-2 pauses of 200-270 ms: the whole B1 p99 tail. A larger
gen-0 threshold lets burst objects die before they are looked at, and freezing what exists
after start-up (Django, DRF, the URLconf: never garbage) takes it out of every full pass.

Called by the server's entry point (realtime_scrum/server.py, once daphne has imported the
application and before the reactor runs), so importing the ASGI application elsewhere (tests,
manage.py, another server) leaves the collector alone. The gain is measured in
docs/benchmarks.md (Levers).
"""

from __future__ import annotations

import gc
import os

GEN0_THRESHOLD = int(os.environ.get("GC_GEN0_THRESHOLD", "50000"))


def tune_gc() -> None:
    if GEN0_THRESHOLD <= 0:
        return  # GC_GEN0_THRESHOLD=0 keeps CPython's defaults
    gc.collect()
    gc.freeze()
    _, gen1, gen2 = gc.get_threshold()
    gc.set_threshold(GEN0_THRESHOLD, gen1, gen2)
