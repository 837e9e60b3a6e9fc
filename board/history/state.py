"""A board's state folded from its event log: the one replay every report, time travel and
checkpoint uses.

Plain data, no Django: `BoardState.apply(seq, name, data)` takes events exactly as the log
stores them (board/realtime.py's payloads, board/representation.py's `*_values`), so the
state after event N is the board as it stood then. `to_json`/`from_json` is the form a
checkpoint stores (board.models.BoardCheckpoint).

Every event that changes a row carries that row's values whole, except three which name rows
by id: `task.deleted` (to the trash), `task.moved`'s `reordered` siblings (order only) and
`member.removed`'s `unassigned` tasks (assignee cleared, version bumped, as the service's
UPDATE does). `label.deleted` names the tasks it took the label off; comment and checklist
events carry their card's counters, the only part of a card they change.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

JSON = dict[str, Any]
# Keys an event adds beside a row's values: not part of the row.
_NOT_ROW = ("reverts",)
_SPRINT_TOTALS = ("points_total", "points_done", "tasks_total", "tasks_done")


def _row(values: JSON, drop: tuple[str, ...] = _NOT_ROW) -> JSON:
    return {key: value for key, value in values.items() if key not in drop}


@dataclass
class BoardState:
    board: JSON
    seq: int = 0
    members: dict[int, JSON] = field(default_factory=dict)  # user id -> member values
    sprints: dict[int, JSON] = field(default_factory=dict)  # sprint id -> facts (no totals)
    tasks: dict[int, JSON] = field(default_factory=dict)  # task id -> values, live tasks only
    trash: dict[int, JSON] = field(default_factory=dict)  # task id -> values when deleted
    labels: dict[int, JSON] = field(default_factory=dict)  # label id -> values

    # --- the fold ---------------------------------------------------------------------------

    def apply(self, seq: int, name: str, data: JSON) -> None:
        """Apply the event at `seq`. Events must come in seq order, none skipped."""
        if seq != self.seq + 1:
            raise ValueError(f"event {seq} applied to the state at {self.seq}")
        handler = _HANDLERS.get(name)
        if handler is None:
            raise ValueError(f"no replay for event {name!r}")
        handler(self, data)
        self.seq = seq

    def _task(self, values: JSON) -> None:
        task = _row(values)
        self.trash.pop(task["id"], None)
        self.tasks[task["id"]] = task

    def _sprint(self, values: JSON) -> None:
        sprint = _row(values, _NOT_ROW + _SPRINT_TOTALS)
        self.sprints[sprint["id"]] = sprint

    # --- reading it -------------------------------------------------------------------------

    def sprint_list(self) -> list[JSON]:
        """Sprints as the live snapshot orders them: by end, then id."""
        return sorted(self.sprints.values(), key=lambda s: (s["end"], s["id"]))

    def task_list(self) -> list[JSON]:
        """Live tasks as the live snapshot orders them: by order, then id."""
        return sorted(self.tasks.values(), key=lambda t: (t["order"], t["id"]))

    def label_list(self) -> list[JSON]:
        """Labels as the live snapshot orders them: by id."""
        return [self.labels[key] for key in sorted(self.labels)]

    def any_task(self, task_id: int) -> JSON | None:
        """A task on the board or in its trash (comments and checklists stay with it there)."""
        return self.tasks.get(task_id) or self.trash.get(task_id)

    def member_list(self) -> list[JSON]:
        """Members in the order they joined (a re-added member joins again, last)."""
        return list(self.members.values())

    def role_of(self, user_id: int) -> str | None:
        member = self.members.get(user_id)
        return member["role"] if member else None

    # --- checkpoints ------------------------------------------------------------------------

    def to_json(self) -> JSON:
        return {
            "board": self.board,
            "seq": self.seq,
            "members": list(self.members.values()),
            "sprints": list(self.sprints.values()),
            "tasks": list(self.tasks.values()),
            "trash": list(self.trash.values()),
            "labels": list(self.labels.values()),
        }

    @classmethod
    def from_json(cls, data: JSON) -> BoardState:
        return cls(
            board=dict(data["board"]),
            seq=int(data["seq"]),
            members={m["user"]["id"]: dict(m) for m in data["members"]},
            sprints={s["id"]: dict(s) for s in data["sprints"]},
            tasks={t["id"]: dict(t) for t in data["tasks"]},
            trash={t["id"]: dict(t) for t in data.get("trash", [])},
            labels={x["id"]: dict(x) for x in data.get("labels", [])},
        )

    def copy(self) -> BoardState:
        return BoardState.from_json(self.to_json())


# --- one handler per event name (board/realtime.py EVENT_NAMES) ----------------------------


def _board_updated(state: BoardState, data: JSON) -> None:
    state.board = _row(data)


def _member_put(state: BoardState, data: JSON) -> None:
    user_id = data["user"]["id"]
    if user_id in state.members and state.members[user_id]["joined_at"] == data["joined_at"]:
        state.members[user_id] = _row(data)  # a role change keeps the member's place
        return
    state.members.pop(user_id, None)
    state.members[user_id] = _row(data)


def _member_removed(state: BoardState, data: JSON) -> None:
    state.members.pop(data["user"]["id"], None)
    for task_id in data.get("unassigned", []):
        task = state.tasks.get(task_id)
        if task is not None:
            task["assigned"] = None
            task["assigned_id"] = None
            task["version"] += 1


def _sprint_put(state: BoardState, data: JSON) -> None:
    state._sprint(data)


def _sprint_deleted(state: BoardState, data: JSON) -> None:
    state.sprints.pop(data["id"], None)
    for task in data.get("tasks", []):
        state._task(task)
    # Trashed tasks of a deleted sprint wait in the trash for the backlog, as the service
    # leaves them (version untouched: nobody edited them).
    for task in state.trash.values():
        if task["sprint"] == data["id"]:
            task.update(sprint=None, status=1, started=None, completed=None)


def _sprint_with_tasks(key: str):
    def handler(state: BoardState, data: JSON) -> None:
        state._sprint(data["sprint"])
        for task in data.get(key, []):
            state._task(task)

    return handler


def _task_put(state: BoardState, data: JSON) -> None:
    state._task(data)


def _task_moved(state: BoardState, data: JSON) -> None:
    state._task(data["task"])
    for sibling in data.get("reordered", []):
        task = state.tasks.get(sibling["id"])
        if task is not None:
            task["order"] = sibling["order"]


def _task_deleted(state: BoardState, data: JSON) -> None:
    task = state.tasks.pop(data["id"], None)
    if task is not None:
        state.trash[data["id"]] = task


def _label_put(state: BoardState, data: JSON) -> None:
    state.labels[data["id"]] = _row(data)


def _label_deleted(state: BoardState, data: JSON) -> None:
    state.labels.pop(data["id"], None)
    # Taking a label off its cards is no edit of theirs: versions stay, as in the service.
    for task in [*state.tasks.values(), *state.trash.values()]:
        if data["id"] in task.get("labels", ()):
            task["labels"] = [x for x in task["labels"] if x != data["id"]]


def _card_counts(state: BoardState, data: JSON) -> None:
    """comment.* and checklist_item.*: the card's counters as the event recorded them."""
    task = state.any_task(data["task"])
    if task is not None:
        task.update(data["counts"])


_HANDLERS = {
    "board.updated": _board_updated,
    "member.added": _member_put,
    "member.updated": _member_put,
    "member.removed": _member_removed,
    "sprint.created": _sprint_put,
    "sprint.updated": _sprint_put,
    "sprint.deleted": _sprint_deleted,
    "sprint.started": _sprint_with_tasks("tasks"),
    "sprint.closed": _sprint_with_tasks("carried"),
    "sprint.planned": _sprint_with_tasks("tasks"),
    "task.created": _task_put,
    "task.updated": _task_put,
    "task.moved": _task_moved,
    "task.deleted": _task_deleted,
    "task.restored": _task_put,
    "label.created": _label_put,
    "label.updated": _label_put,
    "label.deleted": _label_deleted,
    "comment.created": _card_counts,
    "comment.updated": _card_counts,
    "comment.deleted": _card_counts,
    "checklist_item.created": _card_counts,
    "checklist_item.updated": _card_counts,
    "checklist_item.deleted": _card_counts,
}
REPLAYED = frozenset(_HANDLERS)


def genesis(board_values: JSON) -> BoardState:
    """The state at seq 0: the board as created, before its first event."""
    return BoardState(board=_row(board_values))
