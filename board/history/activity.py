"""A card's activity (SPEC section 12): its history read from the event log, as field changes.

The log is the truth, so the activity is exact: the card's events come by the index written
with them (board.models.EventTask, one statement whatever their number) and are walked oldest
first keeping the card's values, each entry the difference an event made. Events store
values, not differences, so the walk needs the card as it stood before its first remaining
event: nothing when the board's history is whole, else the compaction checkpoint's copy.
A comment or checklist item edited after its creation was pruned has no known old value
(null).
"""

from __future__ import annotations

from typing import Any

from .. import realtime, representation
from ..models import BoardEvent, EventTask
from .replay import checkpoint_before

JSON = dict[str, Any]
# What a person edits on a card; order, version, updated_at and the counters are bookkeeping.
EDITABLE = (
    "name", "description", "sprint", "status", "assigned", "started", "due", "completed",
    "points", "labels",
)  # fmt: skip
# A field with one of these values is "not set": a creation lists only the fields it sets.
_UNSET_VALUES: tuple[Any, ...] = (None, "", [])
# Events that list whole task values under a key (the card's own values among them).
_LISTS = {
    realtime.SPRINT_PLANNED: "tasks",
    realtime.SPRINT_STARTED: "tasks",
    realtime.SPRINT_CLOSED: "carried",
    realtime.SPRINT_DELETED: "tasks",
}


def _fields(values: JSON | None) -> JSON:
    values = values or {}
    return {key: values.get(key, [] if key == "labels" else None) for key in EDITABLE}


def _diff(old: JSON | None, new: JSON) -> JSON:
    before, after = _fields(old), _fields(new)
    if old is None:  # a creation: what it set
        return {k: [None, v] for k, v in after.items() if v not in _UNSET_VALUES}
    return {k: [before[k], after[k]] for k in EDITABLE if before[k] != after[k]}


class _Walk:
    """The card's values as the walk reaches each event, and what each event changed."""

    def __init__(self, task_id: int, start: JSON | None, deleted: bool):
        self.task_id = task_id
        self.task = start
        self.deleted = deleted
        self.comments: dict[int, str] = {}
        self.items: dict[int, JSON] = {}

    def step(self, name: str, data: JSON) -> tuple[JSON, JSON]:
        """(changes, extra entry keys) of one event for this card."""
        if name in realtime.CARD_EVENTS:
            return self._card(name, data)
        if name == realtime.TASK_DELETED:
            self.deleted = True
            return {"deleted": [False, True]}, {}
        if name == realtime.MEMBER_REMOVED:
            return self._put({**(self.task or {}), "assigned": None, "assigned_id": None}), {}
        if name == realtime.LABEL_DELETED:
            labels = [x for x in _fields(self.task)["labels"] if x != data["id"]]
            return self._put({**(self.task or {}), "labels": labels}), {}
        values = self._values(name, data)
        if values is None:
            return {}, {}
        changes = self._put(values)
        if name == realtime.TASK_RESTORED and self.deleted:
            changes["deleted"] = [True, False]
            self.deleted = False
        return changes, {}

    def _values(self, name: str, data: JSON) -> JSON | None:
        if name == realtime.TASK_MOVED:
            return data["task"]
        key = _LISTS.get(name)
        if key is None:
            return data  # task.created, task.updated, task.restored
        return next((t for t in data.get(key, []) if t["id"] == self.task_id), None)

    def _put(self, values: JSON) -> JSON:
        changes = _diff(self.task, values)
        self.task = values
        return changes

    def _card(self, name: str, data: JSON) -> tuple[JSON, JSON]:
        kind, verb = name.split(".")
        if kind == "comment":
            old = self.comments.pop(data["id"], None)
            new = data.get("body")
            if new is not None:
                self.comments[data["id"]] = new
            return {"comment": [old, new]}, {"comment": data["id"]}
        item = self.items.pop(data["id"], None)
        old_text = item["text"] if item else None
        if verb == "deleted":
            return {"checklist": [old_text, None]}, {"item": data["id"]}
        self.items[data["id"]] = {"text": data["text"], "done": data["done"]}
        if verb == "created":
            return {"checklist": [None, data["text"]]}, {"item": data["id"]}
        changes: JSON = {}
        if item is None or item["text"] != data["text"]:
            changes["text"] = [old_text, data["text"]]
        if item is None or item["done"] != data["done"]:
            changes["done"] = [item["done"] if item else None, data["done"]]
        if changes:  # a move alone is order: no change a person reads
            changes["checklist"] = [old_text, data["text"]]
        return changes, {"item": data["id"]}


def _start(board_id: int, history_from: int, task_id: int) -> tuple[JSON | None, bool]:
    """The card before its first remaining event, and whether it was in the trash then."""
    if history_from == 0:
        return None, False
    state = checkpoint_before(board_id, history_from)
    if task_id in state.trash:
        return state.trash[task_id], True
    return state.tasks.get(task_id), False


def task_activity(*, board_id: int, history_from: int, task_id: int) -> list[JSON]:
    """The card's activity, newest first: [{seq, name, actor, at, changes, ...}], an entry for
    each of its events that changed something a person sees (`reverts`: the seq an undo
    undid; `comment` / `item`: the comment or checklist item a card event is about)."""
    seqs = EventTask.objects.filter(task_id=task_id, board_id=board_id).values("seq")
    rows = (
        BoardEvent.objects.filter(board_id=board_id, seq__gt=history_from, seq__in=seqs)
        .order_by("seq")
        .values_list("seq", "name", "data", "created_at", "actor_id", "actor__username")
    )
    walk = _Walk(task_id, *_start(board_id, history_from, task_id))
    entries: list[JSON] = []
    for seq, name, data, at, actor_id, username in rows.iterator(chunk_size=2000):
        changes, extra = walk.step(name, data)
        if not changes:
            continue
        entry: JSON = {
            "seq": seq,
            "name": name,
            "actor": {"id": actor_id, "username": username} if actor_id else None,
            "at": representation.stamp(at),
            "changes": changes,
            **extra,
        }
        if realtime.REVERTS in data:
            entry[realtime.REVERTS] = data[realtime.REVERTS]
        entries.append(entry)
    entries.reverse()
    return entries
