"""Burndown and velocity from the event log (SPEC section 11, docs/planning.md), and what a
compaction checkpoint keeps of them so pruning changes neither."""

from .burndown import NotCharted, burndown
from .compaction import compaction_reports
from .velocity import LAST_DEFAULT, LAST_MAX, velocity

__all__ = ["LAST_DEFAULT", "LAST_MAX", "NotCharted", "burndown", "compaction_reports", "velocity"]
