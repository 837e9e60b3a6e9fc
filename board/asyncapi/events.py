"""The `data` of each event name (board/realtime.py EVENT_NAMES), one JSON Schema each.

`event_messages()` refuses to build a document with a name that has no schema here, so a
new event cannot ship undescribed (docs/realtime.md lists what each carries).
"""

from __future__ import annotations

from board import realtime

from .rows import ID, IDS, SEQ, Schema, array, nullable, obj, ref

TASK = ref("Task")
SPRINT = ref("Sprint")
REVERTS = {**SEQ, "description": "Only in an undo's event: the seq it undoes."}


def _card(**properties: Schema) -> Schema:
    """A comment or checklist event: the row's values plus the card's counters."""
    return obj({**properties, "counts": ref("Counts")})


COMMENT = {
    "id": ID,
    "task": ID,
    "author": nullable(ref("User")),
    "body": {"type": "string"},
    "mentions": array({"type": "string", "description": "A mentioned member's username."}),
    "created_at": {"type": "string", "format": "date-time"},
    "edited_at": {"type": ["string", "null"], "format": "date-time"},
}
CHECKLIST_ITEM = {
    "id": ID,
    "task": ID,
    "text": {"type": "string"},
    "done": {"type": "boolean"},
    "order": {"type": "integer"},
    "version": {"type": "integer", "minimum": 0},
}
REORDERED = array(ref("Reordered"))

EVENT_DATA: dict[str, tuple[str, Schema]] = {
    realtime.BOARD_UPDATED: (
        "The board's name, description or time zone changed.",
        ref("BoardValues"),
    ),
    realtime.MEMBER_ADDED: ("Someone joined the board.", ref("Member")),
    realtime.MEMBER_UPDATED: ("A member's role changed.", ref("Member")),
    realtime.MEMBER_REMOVED: (
        "A member left or was removed; each listed task is now unassigned (version + 1). "
        "The removed user's sockets close with 4403 right after it.",
        obj({"user": nullable(ref("User")), "unassigned": IDS}),
    ),
    realtime.SPRINT_CREATED: ("A sprint was created.", SPRINT),
    realtime.SPRINT_UPDATED: ("A sprint was edited.", SPRINT),
    realtime.SPRINT_DELETED: (
        "A sprint was deleted; its tasks went back to the backlog.",
        obj({"id": ID, "tasks": array(TASK)}),
    ),
    realtime.SPRINT_STARTED: (
        "planned -> active; `committed` is its live tasks when it started.",
        obj({"sprint": SPRINT, "committed": ref("Scope")}),
    ),
    realtime.SPRINT_CLOSED: (
        "active -> closed; every task not Done moved on to `carry_to` (null: the backlog).",
        obj(
            {
                "sprint": SPRINT,
                "carried": array(TASK),
                "carry_to": nullable(ID),
                "completed": ref("Scope"),
            }
        ),
    ),
    realtime.SPRINT_PLANNED: (
        "Backlog tasks moved into the sprint, in the order given.",
        obj({"sprint": SPRINT, "tasks": array(TASK)}),
    ),
    realtime.TASK_CREATED: ("A task was created.", TASK),
    realtime.TASK_UPDATED: ("A task was edited (or an undo restored its values).", TASK),
    realtime.TASK_MOVED: (
        "One atomic move; `reordered` lists the siblings renumbered.",
        obj({"task": TASK, "reordered": REORDERED, "reverts": REVERTS}, optional=("reverts",)),
    ),
    realtime.TASK_DELETED: (
        "A task went to the trash.",
        obj({"id": ID, "sprint": nullable(ID), "status": {"type": "integer"}}),
    ),
    realtime.TASK_RESTORED: ("A task came back from the trash.", TASK),
    realtime.LABEL_CREATED: ("A label was added to the board.", ref("Label")),
    realtime.LABEL_UPDATED: ("A label was renamed or recoloured.", ref("Label")),
    realtime.LABEL_DELETED: (
        "A label is gone, and off every listed task (no task.updated follows).",
        obj({"id": ID, "tasks": IDS}),
    ),
    realtime.COMMENT_CREATED: ("A comment on a card.", _card(**COMMENT)),
    realtime.COMMENT_UPDATED: ("Its author edited a comment.", _card(**COMMENT)),
    realtime.COMMENT_DELETED: ("A comment was deleted.", _card(id=ID, task=ID)),
    realtime.CHECKLIST_ITEM_CREATED: (
        "A checklist item was added.",
        _card(**CHECKLIST_ITEM, reordered=REORDERED),
    ),
    realtime.CHECKLIST_ITEM_UPDATED: (
        "A checklist item's text, tick or place changed.",
        _card(**CHECKLIST_ITEM, reordered=REORDERED),
    ),
    realtime.CHECKLIST_ITEM_DELETED: ("A checklist item was deleted.", _card(id=ID, task=ID)),
}


def event_messages() -> dict[str, dict]:
    """One message per event name: `event` frames whose `name` is that name."""
    missing = [name for name in realtime.EVENT_NAMES if name not in EVENT_DATA]
    extra = [name for name in EVENT_DATA if name not in realtime.EVENT_NAMES]
    if missing or extra:
        raise LookupError(f"event schemas out of step with EVENT_NAMES: {missing=} {extra=}")
    return {
        f"event.{name}": {
            "name": f"event.{name}",
            "title": f"event {name}",
            "summary": summary,
            "payload": obj(
                {
                    "type": {"const": "event"},
                    "seq": {**SEQ, "minimum": 1},
                    "name": {"const": name},
                    "data": data,
                    "actor": nullable(ref("Actor")),
                    "client_op_id": {
                        "type": ["string", "null"],
                        "description": "The X-Client-Op-Id of the REST call that made it.",
                    },
                    "at": {"type": "string", "format": "date-time"},
                }
            ),
        }
        for name, (summary, data) in EVENT_DATA.items()
    }
