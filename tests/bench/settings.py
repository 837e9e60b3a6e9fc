"""The production settings plus one baseline URL (`/bench/plain/`) for B6.

Everything else (DEBUG off, persistent DB connections, Redis layer and cache) comes from the
environment the harness gives daphne, the way deploy/ runs it."""

from realtime_scrum.settings import *  # noqa: F403

ROOT_URLCONF = "tests.bench.urls"
