"""The event log stores domain values only (board/representation.py): links and
`status_display` go from stored task and sprint payloads; a task keeps its assignee's id
(`assigned_id`), which its user link was the only place to hold. Frames derive the rest."""

import re

from django.db import migrations

_TASK_EVENTS = ("task.created", "task.updated")
_SPRINT_EVENTS = ("sprint.created", "sprint.updated")
_ID_IN_LINK = re.compile(r"/(\d+)/?$")
_STATUS = {1: "Not Started", 2: "In Progress", 3: "Testing", 4: "Done"}


def _task_values(data: dict, users: dict) -> dict:
    data = dict(data)
    data.pop("status_display", None)
    links = data.pop("links", None) or {}
    if "assigned_id" not in data:
        match = _ID_IN_LINK.search(links.get("assigned") or "")
        if match:
            data["assigned_id"] = int(match.group(1))
        else:
            data["assigned_id"] = users.get(data.get("assigned"))
    return data


def _sprint_values(data: dict) -> dict:
    data = dict(data)
    data.pop("links", None)
    return data


def _values(name: str, data: dict, users: dict) -> dict:
    if name in _TASK_EVENTS:
        return _task_values(data, users)
    if name == "task.moved":
        return {**data, "task": _task_values(data["task"], users)}
    if name in _SPRINT_EVENTS:
        return _sprint_values(data)
    if name == "sprint.deleted":
        return {**data, "tasks": [_task_values(t, users) for t in data.get("tasks", [])]}
    return data


def forwards(apps, schema_editor):
    BoardEvent = apps.get_model("board", "BoardEvent")
    User = apps.get_model("accounts", "User")
    users = dict(User.objects.values_list("username", "pk"))
    names = (*_TASK_EVENTS, "task.moved", *_SPRINT_EVENTS, "sprint.deleted")
    rows = BoardEvent.objects.filter(name__in=names).only("pk", "name", "data")
    changed = []
    for event in rows.iterator(chunk_size=1000):
        values = _values(event.name, event.data, users)
        if values != event.data:
            event.data = values
            changed.append(event)
        if len(changed) >= 1000:
            BoardEvent.objects.bulk_update(changed, ["data"])
            changed = []
    BoardEvent.objects.bulk_update(changed, ["data"])


def _task_presented(data: dict) -> dict:
    data = dict(data)
    assigned = data.pop("assigned_id", None)
    data["status_display"] = _STATUS.get(data.get("status"), "")
    data["links"] = {
        "self": f"/api/tasks/{data['id']}/",
        "sprint": f"/api/sprints/{data['sprint']}/" if data.get("sprint") else None,
        "assigned": f"/api/users/{assigned}/" if assigned else None,
    }
    return data


def backwards(apps, schema_editor):
    """Back to the old stored shape, for the code before this migration."""
    BoardEvent = apps.get_model("board", "BoardEvent")
    for event in BoardEvent.objects.filter(name__startswith="task.").iterator():
        if event.name in _TASK_EVENTS:
            event.data = _task_presented(event.data)
        elif event.name == "task.moved":
            event.data = {**event.data, "task": _task_presented(event.data["task"])}
        else:
            continue
        event.save(update_fields=["data"])
    for event in BoardEvent.objects.filter(name__startswith="sprint.").iterator():
        data = dict(event.data)
        if event.name in _SPRINT_EVENTS:
            data["links"] = {
                "self": f"/api/sprints/{data['id']}/",
                "tasks": f"/api/tasks/?sprint={data['id']}",
                "channel": f"/ws/boards/{data['board']}/",
            }
        elif event.name == "sprint.deleted":
            data["tasks"] = [_task_presented(t) for t in data.get("tasks", [])]
        event.data = data
        event.save(update_fields=["data"])


class Migration(migrations.Migration):
    dependencies = [
        ("board", "0002_board_epoch"),
        ("accounts", "0001_initial"),
    ]

    operations = [migrations.RunPython(forwards, backwards)]
