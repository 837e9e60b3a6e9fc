"""JSON Schemas of the rows frames carry (components.schemas of the AsyncAPI document).

Each mirrors one builder of board/representation.py (`task_json`, `sprint_json`, ...): a key
added there and not here fails the suite's frame check (tests/support/frame_check.py), since
every object is closed (`additionalProperties: false`).
"""

from __future__ import annotations

from typing import Any

from board.live.presence import MODES
from board.models import Role, SprintState, Status

Schema = dict[str, Any]


def ref(name: str) -> Schema:
    return {"$ref": f"#/components/schemas/{name}"}


def obj(properties: dict[str, Schema], *, optional: tuple[str, ...] = (), **extra: Any) -> Schema:
    """A closed object: every property required unless named in `optional`."""
    required = [key for key in properties if key not in optional]
    return {
        "type": "object",
        "properties": properties,
        "required": required,
        "additionalProperties": False,
        **extra,
    }


def nullable(schema: Schema) -> Schema:
    return {"oneOf": [schema, {"type": "null"}]}


def array(items: Schema) -> Schema:
    return {"type": "array", "items": items}


ID: Schema = {"type": "integer", "minimum": 1}
IDS = array(ID)
COUNT: Schema = {"type": "integer", "minimum": 0}
SEQ: Schema = {"type": "integer", "minimum": 0, "description": "A position in the board's log."}
TEXT: Schema = {"type": "string"}
STAMP: Schema = {"type": "string", "format": "date-time"}
DAY: Schema = {"type": ["string", "null"], "format": "date"}
POINTS: Schema = {"type": "number", "minimum": 0}
PATH: Schema = {"type": "string", "description": "A relative path, the same for every reader."}
ROLE: Schema = {"type": "string", "enum": [str(role.value) for role in Role]}
EPOCH: Schema = {"type": "string", "description": "Which history of the board `seq` counts."}

ROWS: dict[str, Schema] = {
    "Role": ROLE,
    "User": obj({"id": ID, "username": TEXT, "full_name": TEXT}),
    "Actor": obj({"id": ID, "username": TEXT}, description="Who did it; null for the system."),
    "Abilities": obj({"write": {"type": "boolean"}, "manage": {"type": "boolean"}}),
    "Counts": obj(
        {"comments_count": COUNT, "checklist_total": COUNT, "checklist_done": COUNT},
        description="A card's counters after the change: set them on the task as they are.",
    ),
    "Reordered": obj({"id": ID, "order": {"type": "integer"}}),
    "Scope": obj({"points": POINTS, "tasks": IDS}, description="Tasks and their points."),
    "BoardValues": obj(
        {"id": ID, "name": TEXT, "description": TEXT, "owner": TEXT, "timezone": TEXT}
    ),
    "Board": obj(
        {
            "id": ID,
            "name": TEXT,
            "description": TEXT,
            "owner": TEXT,
            "timezone": TEXT,
            "role": ROLE,
            "can": ref("Abilities"),
            "seq": SEQ,
            "created_at": STAMP,
            "links": obj({"self": PATH, "snapshot": PATH, "events": PATH, "channel": PATH}),
        },
        description="Board JSON, as the user's GET /api/boards/{id}/ returns it.",
    ),
    "Member": obj({"user": ref("User"), "role": ROLE, "joined_at": STAMP, "can": ref("Abilities")}),
    "Task": obj(
        {
            "id": ID,
            "board": ID,
            "sprint": nullable(ID),
            "name": TEXT,
            "description": TEXT,
            "status": {"type": "integer", "enum": [int(s.value) for s in Status]},
            "status_display": {"type": "string", "enum": [str(s.label) for s in Status]},
            "order": {"type": "integer"},
            "assigned": {"type": ["string", "null"], "description": "A username."},
            "started": DAY,
            "due": DAY,
            "completed": DAY,
            "points": nullable(POINTS),
            "labels": IDS,
            "comments_count": COUNT,
            "checklist_total": COUNT,
            "checklist_done": COUNT,
            "version": {"type": "integer", "minimum": 0},
            "created_at": STAMP,
            "updated_at": STAMP,
            "links": obj({"self": PATH, "sprint": nullable(PATH), "assigned": nullable(PATH)}),
            "reverts": {**SEQ, "description": "Only in an undo's event: the seq it undoes."},
        },
        optional=("reverts",),
        description="Task JSON (SPEC section 4), as REST serves it.",
    ),
    "Sprint": obj(
        {
            "id": ID,
            "board": ID,
            "name": TEXT,
            "description": TEXT,
            "start": DAY,
            "end": DAY,
            "goal": TEXT,
            "state": {"type": "string", "enum": [str(s.value) for s in SprintState]},
            "version": {"type": "integer", "minimum": 0},
            "points_total": POINTS,
            "points_done": POINTS,
            "tasks_total": COUNT,
            "tasks_done": COUNT,
            "links": obj({"self": PATH, "tasks": PATH, "channel": PATH}),
        },
        description="Sprint JSON with its totals as they stood after the event.",
    ),
    "Label": obj(
        {
            "id": ID,
            "board": ID,
            "name": TEXT,
            "color": {"type": "string", "pattern": "^#[0-9a-f]{6}$"},
        }
    ),
    "PresenceUser": obj(
        {
            "id": ID,
            "username": TEXT,
            "full_name": TEXT,
            "focus": nullable(ID),
            "mode": {"type": "string", "enum": list(MODES)},
        },
        description="One user on the board: the card they focus and whether they edit it.",
    ),
}
