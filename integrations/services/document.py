"""The shape check of an import, before any job is queued: a bad document is a 400 with
messages, never a job that fails halfway (or a 500).

A JSON Schema (checked by `jsonschema`) holds the limits the services and the columns hold
(name 100, label 30, checklist text 200, comment 10,000, ...), so a document that passes
here is refused later only by the board's own rules. What a schema cannot say (keys that
refer to each other, text the database cannot store) is checked after it.
"""

from __future__ import annotations

import datetime as dt
import math
import zoneinfo
from decimal import Decimal
from typing import Any

from django.core.exceptions import ValidationError
from jsonschema import Draft202012Validator, FormatChecker

from board.models import Role, SprintState
from board.services.checklist import ITEMS_MAX, TEXT_MAX
from board.services.comments import BODY_MAX
from board.services.labels import COLOR_PATTERN, LABELS_PER_BOARD_MAX, NAME_MAX

from ..export import FORMAT

TASKS_MAX = 5_000
SPRINTS_MAX = 500
MEMBERS_MAX = 500
COMMENTS_PER_TASK_MAX = 1_000
DESCRIPTION_MAX = 20_000  # board/api/serializers.py's
MESSAGES_MAX = 20  # a document wrong everywhere is told its first twenty faults

_TEXT = {"type": "string"}
# Years the database stores on every backend (and a person means): 1900-2999.
_DAY = {"type": "string", "format": "date", "pattern": r"^(19|2[0-9])[0-9]{2}-[0-9]{2}-[0-9]{2}$"}
_DATE = {"anyOf": [{"type": "null"}, _DAY]}


def _text(limit: int, *, blank: bool = True) -> dict[str, Any]:
    return {"type": "string", "maxLength": limit, **({} if blank else {"minLength": 1})}


SCHEMA: dict[str, Any] = {
    "type": "object",
    "required": ["format", "board", "tasks"],
    "properties": {
        "format": {"const": FORMAT},
        "board": {
            "type": "object",
            "required": ["name"],
            "properties": {
                "name": _text(100, blank=False),
                "description": _text(DESCRIPTION_MAX),
                "timezone": _TEXT,
            },
        },
        "members": {
            "type": "array",
            "maxItems": MEMBERS_MAX,
            "items": {
                "type": "object",
                "required": ["username"],
                "properties": {
                    "username": _text(150, blank=False),
                    "role": {"enum": [str(r) for r in Role.values]},
                },
            },
        },
        "labels": {
            "type": "array",
            "maxItems": LABELS_PER_BOARD_MAX,
            "items": {
                "type": "object",
                "required": ["name", "color"],
                "properties": {
                    "name": _text(NAME_MAX, blank=False),
                    "color": {"type": "string", "pattern": COLOR_PATTERN},
                },
            },
        },
        "sprints": {
            "type": "array",
            "maxItems": SPRINTS_MAX,
            "items": {
                "type": "object",
                "required": ["key", "end"],
                "properties": {
                    "key": _text(40, blank=False),
                    "name": _text(100),
                    "description": _text(DESCRIPTION_MAX),
                    "start": _DATE,
                    "end": _DAY,
                    "goal": _text(500),
                    "state": {"enum": [str(s) for s in SprintState.values]},
                },
            },
        },
        "tasks": {
            "type": "array",
            "maxItems": TASKS_MAX,
            "items": {
                "type": "object",
                "required": ["name"],
                "properties": {
                    "name": _text(100, blank=False),
                    "description": _text(DESCRIPTION_MAX),
                    "sprint": {"type": ["string", "null"]},
                    "status": {"enum": [1, 2, 3, 4]},
                    "position": {"type": "integer", "minimum": 0},
                    "points": {"type": ["number", "null"], "minimum": 0, "maximum": 999},
                    "assigned": {"type": ["string", "null"]},
                    "started": _DATE,
                    "due": _DATE,
                    "completed": _DATE,
                    "labels": {"type": "array", "maxItems": 20, "items": _TEXT},
                    "checklist": {
                        "type": "array",
                        "maxItems": ITEMS_MAX,
                        "items": {
                            "type": "object",
                            "required": ["text"],
                            "properties": {
                                "text": _text(TEXT_MAX, blank=False),
                                "done": {"type": "boolean"},
                            },
                        },
                    },
                    "comments": {
                        "type": "array",
                        "maxItems": COMMENTS_PER_TASK_MAX,
                        "items": {
                            "type": "object",
                            "required": ["body"],
                            "properties": {
                                "author": {"type": ["string", "null"]},
                                "body": _text(BODY_MAX, blank=False),
                            },
                        },
                    },
                },
            },
        },
    },
}

_VALIDATOR = Draft202012Validator(SCHEMA, format_checker=FormatChecker())


def _where(path: Any) -> str:
    return ".".join(str(part) for part in path) or "document"


def _strings(value: Any, path: tuple[Any, ...] = ()) -> Any:
    """Every string of the document with its path (keys included)."""
    if isinstance(value, str):
        yield path, value
    elif isinstance(value, dict):
        for key, item in value.items():
            yield path, key
            yield from _strings(item, (*path, key))
    elif isinstance(value, list):
        for index, item in enumerate(value):
            yield from _strings(item, (*path, index))


def _storable(document: dict[str, Any]) -> list[str]:
    """Text no column stores: NUL (MariaDB and SQLite refuse it) and lone surrogates."""
    errors = []
    for path, text in _strings(document):
        if "\x00" in text:
            errors.append(f"{_where(path)}: null characters are not allowed.")
        else:
            try:
                text.encode("utf-8")
            except UnicodeEncodeError:
                errors.append(f"{_where(path)}: the text holds an invalid character.")
    return errors


def _one_decimal(value: Any) -> bool:
    # json.loads reads NaN and Infinity, which every comparison of the schema lets through.
    if not math.isfinite(value):
        return False
    exponent = Decimal(str(value)).as_tuple().exponent
    return isinstance(exponent, int) and exponent >= -1


def _references(document: dict[str, Any]) -> list[str]:
    """What refers to what: sprint keys, label names; and what one row's fields must agree on."""
    errors = []
    timezone = document["board"].get("timezone")
    if timezone is not None:
        try:
            zoneinfo.ZoneInfo(timezone)
        except (zoneinfo.ZoneInfoNotFoundError, ValueError):
            errors.append(f"board.timezone: unknown time zone {timezone!r}.")
    keys: set[str] = set()
    ends: set[str] = set()
    for index, sprint in enumerate(document.get("sprints", [])):
        where = f"sprints.{index}"
        if sprint["key"] in keys:
            errors.append(f"{where}.key: {sprint['key']!r} names two sprints.")
        if sprint["end"] in ends:
            errors.append(f"{where}.end: two sprints end on {sprint['end']}.")
        keys.add(sprint["key"])
        ends.add(sprint["end"])
        start = sprint.get("start")
        if start and dt.date.fromisoformat(start) > dt.date.fromisoformat(sprint["end"]):
            errors.append(f"{where}.start: a sprint cannot start after it ends.")
    names: set[str] = set()
    for index, label in enumerate(document.get("labels", [])):
        if label["name"].strip().casefold() in names:
            errors.append(f"labels.{index}.name: {label['name']!r} is there twice.")
        names.add(label["name"].strip().casefold())
    for index, task in enumerate(document["tasks"]):
        where = f"tasks.{index}"
        if task.get("sprint") is not None and task["sprint"] not in keys:
            errors.append(f"{where}.sprint: no sprint has the key {task['sprint']!r}.")
        for name in task.get("labels", []):
            if name.strip().casefold() not in names:
                errors.append(f"{where}.labels: no label is named {name!r}.")
        if task.get("points") is not None and not _one_decimal(task["points"]):
            errors.append(f"{where}.points: use 0-999 with at most one decimal.")
    return errors


def document_validate(document: Any) -> dict[str, Any]:
    """The document itself when it can be imported; else ValidationError with its messages."""
    if not isinstance(document, dict):
        raise ValidationError("The document must be a JSON object.")
    if document.get("format") != FORMAT:
        raise ValidationError(f"Unknown format {document.get('format')!r}: expected {FORMAT!r}.")
    found = sorted(_VALIDATOR.iter_errors(document), key=lambda e: [str(p) for p in e.path])
    # A message quotes the value it refuses: keep a 100,000-character name out of the answer.
    errors = [f"{_where(error.absolute_path)}: {error.message[:200]}" for error in found]
    if not errors:
        errors = _storable(document) or _references(document)
    if errors:
        raise ValidationError(errors[:MESSAGES_MAX])
    return document
