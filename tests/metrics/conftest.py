"""Metrics tests read this process's registry before and after: deltas only, since every
other test in the process moves the same counters."""

from __future__ import annotations

from realtime_scrum.metrics import REGISTRY


def sample(name: str, **labels: str) -> float:
    return REGISTRY.get_sample_value(name, labels) or 0.0
