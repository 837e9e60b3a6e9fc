"""A socket client's view of one board: a snapshot, then every event applied in seq order.
The stateful test compares it with a fresh snapshot; any difference is a lost, duplicated,
misordered or under-described event."""

from __future__ import annotations

from typing import Any

TASK_FIELDS = ("board", "sprint", "name", "status", "order", "assigned", "version")


def task_view(task: dict[str, Any]) -> dict[str, Any]:
    return {k: task[k] for k in TASK_FIELDS}


class BoardView:
    def __init__(self, snapshot: dict[str, Any]):
        self.seq = snapshot["seq"]
        self.name = snapshot["board"]["name"]
        self.members = {m["user"]["id"]: m["role"] for m in snapshot["members"]}
        self.tasks = {t["id"]: task_view(t) for t in snapshot["tasks"]}

    def as_dict(self) -> dict[str, Any]:
        return {"seq": self.seq, "name": self.name, "members": self.members, "tasks": self.tasks}

    def apply(self, frame: dict[str, Any]) -> None:
        assert frame["seq"] == self.seq + 1, f"gap or repeat: {self.seq} then {frame['seq']}"
        self.seq = frame["seq"]
        name, data = frame["name"], frame["data"]
        if name in ("task.created", "task.updated"):
            self._task(data)
        elif name == "task.moved":
            self._task(data["task"])
            for row in data["reordered"]:
                self.tasks[row["id"]]["order"] = row["order"]
        elif name == "task.deleted":
            self.tasks.pop(data["id"])
        elif name in ("member.added", "member.updated"):
            self.members[data["user"]["id"]] = data["role"]
        elif name == "member.removed":
            self.members.pop(data["user"]["id"])
            for task_id in data["unassigned"]:
                # The service unassigns with version + 1 (docs/realtime.md).
                self.tasks[task_id]["assigned"] = None
                self.tasks[task_id]["version"] += 1
        elif name == "board.updated":
            self.name = data["name"]

    def _task(self, data: dict[str, Any]) -> None:
        old = self.tasks.get(data["id"])
        if old is not None:
            assert data["version"] > old["version"], ("version went back", old, data)
        self.tasks[data["id"]] = task_view(data)
