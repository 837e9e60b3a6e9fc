"""What a compaction checkpoint keeps of the reports (its state's "reports" key), so that
burndown and velocity stay the same once the events at and before it are pruned.

    {"zone": the board's zone when written,
     "days": {sprint id: [[date, scope_points, remaining_points, scope_tasks,
                           remaining_tasks], ...]}   one row per day on which it changed,
                                                     for the days that ended before `at`,
     "day_seqs": [[date, seq of its last event], ...]  for those days too,
     "scope_changes": {sprint id: [[seq, at, task, points_delta], ...]},
     "started": {sprint id: seq of its sprint.started},
     "velocity": {sprint id: {completed_points, completed_tasks}}}   at its close

JSON object keys are strings, so sprint ids are too.
"""

from __future__ import annotations

import bisect
import datetime as dt
from dataclasses import dataclass, field
from typing import Any

from ...models import Board, BoardCheckpoint

JSON = dict[str, Any]


def empty() -> JSON:
    return {
        "zone": None, "days": {}, "day_seqs": [], "scope_changes": {}, "started": {},
        "velocity": {},
    }  # fmt: skip


@dataclass
class Compacted:
    """The reports of the compaction checkpoint at `seq` (instant `at`), or none (seq 0)."""

    seq: int = 0
    at: dt.datetime | None = None
    reports: JSON = field(default_factory=empty)

    def covers(self, day_end: dt.datetime) -> bool:
        """Whether the day ending then is kept here (its events were pruned)."""
        return self.at is not None and day_end < self.at

    def day_row(self, sprint_id: int, day: dt.date) -> list[Any] | None:
        rows = self.reports["days"].get(str(sprint_id), [])
        index = bisect.bisect_right([row[0] for row in rows], day.isoformat())
        return rows[index - 1][1:] if index else None

    def last_seq_on(self, day: dt.date) -> int:
        """The seq of the last event on or before `day` (a day that ended before `at`)."""
        rows = self.reports["day_seqs"]
        index = bisect.bisect_right([row[0] for row in rows], day.isoformat())
        return rows[index - 1][1] if index else 0

    def scope_changes(self, sprint_id: int, after: int) -> list[list[Any]]:
        return [c for c in self.reports["scope_changes"].get(str(sprint_id), []) if c[0] > after]

    def started(self, sprint_id: int) -> int | None:
        return self.reports["started"].get(str(sprint_id))

    def velocity(self, sprint_id: int) -> JSON | None:
        return self.reports["velocity"].get(str(sprint_id))


def compacted(board: Board) -> Compacted:
    """One query, and only when the board's history was pruned; reads only the "reports" key
    of the checkpoint, not the whole state beside it."""
    if not board.history_from:
        return Compacted()
    row = (
        BoardCheckpoint.objects.filter(board_id=board.pk, seq=board.history_from)
        .values_list("at", "state__reports")
        .first()
    )
    if row is None:
        return Compacted()
    at, reports = row
    return Compacted(seq=board.history_from, at=at, reports={**empty(), **(reports or {})})
