"""The GC tuning is the server process's, not the application's (realtime_scrum/gc_tuning.py,
measured in docs/benchmarks.md "Levers"): `python -m realtime_scrum.server` freezes the start-up
heap and raises the gen-0 threshold before the reactor runs; importing the ASGI application
(tests, manage.py, another server) leaves CPython's collector as it was.

Each check runs in a fresh interpreter, so the collector of this test process is never touched."""

import os
import subprocess
import sys
import textwrap
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def _python(code: str, **env: str) -> list[str]:
    out = subprocess.run(
        [sys.executable, "-c", textwrap.dedent(code)],
        capture_output=True,
        text=True,
        cwd=ROOT,
        env={**os.environ, "DJANGO_SETTINGS_MODULE": "tests.settings", **env},
        timeout=120,
    )
    assert out.returncode == 0, out.stderr
    return out.stdout.split()


def test_importing_the_asgi_application_leaves_the_collector_alone():
    threshold, frozen = _python(
        """
        import gc
        default = gc.get_threshold()[0]
        import realtime_scrum.asgi  # noqa: F401
        print(gc.get_threshold()[0] == default, gc.get_freeze_count())
        """
    )
    assert threshold == "True"
    assert frozen == "0"


SERVER_RUN = """
    import gc
    from daphne.server import Server

    seen = []
    # What the reactor would find when it starts: daphne's own run() is where it starts.
    Server.run = lambda self: seen.append((gc.get_threshold()[0], gc.get_freeze_count()))
    import realtime_scrum.asgi  # noqa: F401  (daphne imports the application before run())
    from realtime_scrum.server import ScrumServer

    ScrumServer(application=None, endpoints=["tcp:port=0:interface=127.0.0.1"]).run()
    print(*seen[0])
"""


def test_the_server_tunes_the_collector_before_the_reactor_runs():
    threshold, frozen = _python(SERVER_RUN)
    assert threshold == "50000"
    assert int(frozen) > 10_000  # Django, DRF, Channels and the URLconf: the start-up heap


def test_gc_gen0_threshold_0_keeps_cpythons_defaults():
    threshold, frozen = _python(SERVER_RUN, GC_GEN0_THRESHOLD="0")
    assert threshold == "700"
    assert frozen == "0"
