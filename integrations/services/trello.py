"""A Trello board export ("Export as JSON") read into our own format, with the warnings of what
did not carry over. The rules (docs/integrations.md):

- Lists are columns: a list named like a status (case-insensitively; "To Do", "Doing" and
  "Review" too) holds that status, in one sprint "Imported from Trello" ending in two weeks
  (tasks outside the backlog must be in a sprint, rule 5); any other list is backlog, its
  cards after those of the lists left of it.
- Closed (archived) cards, and the cards of closed lists, are skipped: they are not on the
  Trello board either. The warnings count them.
- Labels keep their name (a nameless one is named after its colour) and get our colour for
  Trello's; checklists become the card's items in order, complete items done.
- Comments come from `commentCard` actions, oldest first, by username; members by username,
  as members; a card's first member is its task's assignee.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.core.exceptions import ValidationError
from jsonschema import Draft202012Validator

from board.models import Status

from ..export import FORMAT
from .document import MESSAGES_MAX

IMPORTED_SPRINT = "Imported from Trello"
SPRINT_DAYS = 14

# Trello's label colours (and their _light/_dark variants) as the #rrggbb Trello draws them.
COLORS = {
    "green": "#4bce97",
    "yellow": "#f5cd47",
    "orange": "#fea362",
    "red": "#f87168",
    "purple": "#9f8fef",
    "blue": "#579dff",
    "sky": "#6cc3e0",
    "lime": "#94c748",
    "pink": "#e774bb",
    "black": "#8590a2",
}
NO_COLOR = "#b3b9c4"

STATUS_NAMES = {
    "not started": Status.NOT_STARTED,
    "to do": Status.NOT_STARTED,
    "todo": Status.NOT_STARTED,
    "in progress": Status.IN_PROGRESS,
    "doing": Status.IN_PROGRESS,
    "testing": Status.TESTING,
    "review": Status.TESTING,
    "done": Status.DONE,
}

_OBJECTS = {"type": "array", "items": {"type": "object"}}
_NAMED = {"type": "array", "items": {"type": "object", "required": ["id"]}}
SCHEMA: dict[str, Any] = {
    "type": "object",
    "required": ["name", "lists", "cards"],
    "properties": {
        "name": {"type": "string"},
        "desc": {"type": ["string", "null"]},
        "lists": _NAMED,
        "cards": {
            "type": "array",
            "items": {"type": "object", "required": ["id", "name", "idList"]},
        },
        "labels": _NAMED,
        "checklists": _NAMED,
        "actions": _OBJECTS,
        "members": _OBJECTS,
    },
}
_VALIDATOR = Draft202012Validator(SCHEMA)


def is_trello(document: Any) -> bool:
    """Trello's export has no `format`; it has its lists and cards at the top."""
    return isinstance(document, dict) and "format" not in document and "cards" in document


def _text(value: Any, limit: int) -> str:
    return value.strip()[:limit] if isinstance(value, str) else ""


def _pos(row: dict[str, Any]) -> float:
    value = row.get("pos")
    return float(value) if isinstance(value, int | float) and not isinstance(value, bool) else 0.0


def _color(name: Any) -> str:
    base = name.split("_")[0] if isinstance(name, str) else ""
    return COLORS.get(base, NO_COLOR)


def _labels(board: dict[str, Any]) -> tuple[list[dict[str, str]], dict[str, str]]:
    """Our labels and {Trello id: our name}: names unique ignoring case, like ours."""
    out: list[dict[str, str]] = []
    names: dict[str, str] = {}
    taken: set[str] = set()
    for label in board.get("labels") or []:
        name = _text(label.get("name"), 26) or str(label.get("color") or "label")[:26]
        unique, count = name, 1
        while unique.casefold() in taken:
            count += 1
            unique = f"{name} {count}"
        taken.add(unique.casefold())
        names[str(label["id"])] = unique
        out.append({"name": unique, "color": _color(label.get("color"))})
    return out, names


def _day(value: Any, tz: dt.tzinfo) -> str | None:
    """Trello's due is an instant ("2026-12-10T12:00:00.000Z"); a task's due is a date."""
    if not isinstance(value, str):
        return None
    try:
        instant = dt.datetime.fromisoformat(value.replace("Z", "+00:00"))
    except ValueError:
        return None
    day = instant.date() if instant.tzinfo is None else instant.astimezone(tz).date()
    return day.isoformat() if 1900 <= day.year <= 2999 else None  # dates our columns hold


def _checklists(board: dict[str, Any]) -> dict[str, list[dict[str, Any]]]:
    """{card id: items}: a card's checklists in order, each one's items in order."""
    by_card: dict[str, list[dict[str, Any]]] = {}
    for checklist in sorted(board.get("checklists") or [], key=_pos):
        items = [i for i in checklist.get("checkItems") or [] if isinstance(i, dict)]
        rows = by_card.setdefault(str(checklist.get("idCard")), [])
        for item in sorted(items, key=_pos):
            text = _text(item.get("name"), 200)
            if text:
                rows.append({"text": text, "done": item.get("state") == "complete"})
    return by_card


def _object(value: Any) -> dict[str, Any]:
    return value if isinstance(value, dict) else {}


def _comments(board: dict[str, Any]) -> dict[str, list[dict[str, Any]]]:
    by_card: dict[str, list[dict[str, Any]]] = {}
    actions = [a for a in board.get("actions") or [] if isinstance(a, dict)]
    for action in sorted(actions, key=lambda a: str(a.get("date") or "")):
        data = _object(action.get("data"))
        card = _object(data.get("card"))
        body = _text(data.get("text"), 10_000)
        if action.get("type") != "commentCard" or not body or "id" not in card:
            continue
        creator = action.get("memberCreator")
        author = creator.get("username") if isinstance(creator, dict) else None
        by_card.setdefault(str(card["id"]), []).append(
            {"author": author if isinstance(author, str) else None, "body": body}
        )
    return by_card


def trello_document(board: dict[str, Any], *, tz: dt.tzinfo, today: dt.date) -> tuple[dict, list]:
    """(our document, warnings) for a Trello export; ValidationError when it is not one."""
    errors = [
        f"{'.'.join(str(p) for p in e.absolute_path) or 'document'}: {e.message[:200]}"
        for e in _VALIDATOR.iter_errors(board)
    ]
    if errors:
        raise ValidationError(errors[:MESSAGES_MAX])
    warnings: list[str] = []
    labels, label_names = _labels(board)
    checklists, comments = _checklists(board), _comments(board)
    lists = sorted((x for x in board["lists"] if not x.get("closed")), key=_pos)
    rank = {str(x["id"]): index for index, x in enumerate(lists)}
    status_of = {
        str(x["id"]): STATUS_NAMES.get(_text(x.get("name"), 100).casefold()) for x in lists
    }
    cards = [c for c in board["cards"] if not c.get("closed") and str(c["idList"]) in rank]
    if skipped := len(board["cards"]) - len(cards):
        warnings.append(f"{skipped} archived card(s), or cards of archived lists, were skipped.")
    cards.sort(key=lambda c: (rank[str(c["idList"])], _pos(c)))
    usernames = {
        str(m.get("id")): m["username"]
        for m in board.get("members") or []
        if isinstance(m, dict) and isinstance(m.get("username"), str) and m["username"]
    }
    sprint_needed = any(status_of[str(c["idList"])] is not None for c in cards)
    tasks = []
    for card in cards:
        status = status_of[str(card["idList"])]
        name = _text(card["name"], 1000) or "(untitled card)"
        description = _text(card.get("desc"), 20_000)
        if len(name) > 100:
            warnings.append(f"Card {name[:40]!r}...: its name was cut to 100 characters.")
            description = f"{name}\n\n{description}".strip()[:20_000]
        ids = card.get("idLabels") if isinstance(card.get("idLabels"), list) else []
        people = card.get("idMembers") if isinstance(card.get("idMembers"), list) else []
        assignees = [usernames[str(i)] for i in people if str(i) in usernames]
        tasks.append(
            {
                "name": name[:100],
                "description": description,
                "sprint": "trello" if status is not None else None,
                "status": int(status or Status.NOT_STARTED),
                "due": _day(card.get("due"), tz),
                # A task has one assignee: the card's first member.
                "assigned": assignees[0] if assignees else None,
                "labels": sorted({label_names[str(i)] for i in ids if str(i) in label_names})[:20],
                "checklist": checklists.get(str(card["id"]), [])[:100],
                "comments": comments.get(str(card["id"]), []),
            }
        )
    members = [{"username": name, "role": "member"} for name in dict.fromkeys(usernames.values())]
    sprints = []
    if sprint_needed:
        end = (today + dt.timedelta(days=SPRINT_DAYS)).isoformat()
        sprints = [{"key": "trello", "name": IMPORTED_SPRINT, "start": None, "end": end}]
    document = {
        "format": FORMAT,
        "board": {"name": _text(board["name"], 100) or "Trello board",
                  "description": _text(board.get("desc"), 20_000)},
        "members": members,
        "labels": labels,
        "sprints": sprints,
        "tasks": tasks,
    }  # fmt: skip
    return document, warnings
