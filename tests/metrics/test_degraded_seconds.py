"""Degraded-layer seconds move while a hub is without the layer and keep what it was away
once it is back."""

import time

from realtime_scrum.sockets.hub import hub

from .conftest import sample

NAME = "rs_layer_degraded_seconds_total"


async def test_degraded_seconds_count_the_running_outage_and_keep_it_after():
    h = hub()
    before = sample(NAME)
    h.degraded_since = time.monotonic() - 5  # away for 5 s so far
    assert sample(NAME) >= before + 5
    h._set_healthy()
    assert h.degraded_since is None
    after = sample(NAME)
    assert after >= before + 5
    assert sample(NAME) == after  # back: it stops moving
    h._stop()
