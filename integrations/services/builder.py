"""A checked document (services/document.py) built into a new board through the board's own
services, so every row arrives with its event and the new board's log is an ordinary one.

The order is chosen so that importing history notifies nobody of it: cards, checklists and
comments are written while the importer is the board's only member (watchers and mentions
are members), then the members join, then the cards are assigned (an assignee is told, as
on any assignment). The rules the import follows (docs/integrations.md):

- The importer owns the new board; the other members are matched by username to existing
  users and join with their role. Unknown usernames are warnings.
- An assignee who did not join is left unassigned (a warning). A comment by someone who did
  not join is written by the importer, starting "(originally by X)".
- A sprint that has ended (before the new board's today) cannot be created (rule 1): its
  tasks go to the backlog, Not Started with their dates cleared, as deleting a sprint does.
- Active and closed sprints are started (and closed) after their tasks are in, so their
  committed scope is what they hold.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from decimal import Decimal
from typing import Any

from django.contrib.auth import get_user_model

from board import services
from board.models import Board, Label, Role, Sprint, SprintState, Status, Task
from board.services import Actor
from board.services.comments import BODY_MAX
from board.services.rules import board_today

Progress = Callable[[int], None]


class Build:
    """One import's state: who is who, what exists, what to warn about."""

    def __init__(self, *, importer: Any, document: dict[str, Any], progress: Progress):
        self.importer = importer
        self.actor = Actor(user=importer)
        self.document = document
        self.progress = progress
        self.warnings: list[str] = []
        self.board: Board | None = None
        self.labels: dict[str, Label] = {}
        self.sprints: dict[str, Sprint | None] = {}
        self.done = 0
        tasks = document["tasks"]
        self.total = max(
            1,
            len(document.get("labels", []))
            + len(document.get("sprints", [])) * 2
            + len(tasks) * 2
            + sum(len(t.get("checklist", [])) + len(t.get("comments", [])) for t in tasks)
            + len(document.get("members", [])),
        )
        self._reported = -1

    def step(self) -> None:
        self.done += 1
        percent = min(99, self.done * 100 // self.total)
        if percent >= self._reported + 5:  # a write per 5%, not per row
            self._reported = percent
            self.progress(percent)

    def joining(self) -> dict[str, Any]:
        """{username: user} of the members who will join (existing users; the importer)."""
        names = {m["username"] for m in self.document.get("members", [])}
        users = get_user_model().objects.filter(username__in=names, is_active=True)
        found = {user.username: user for user in users}
        for name in sorted(names - set(found)):
            self.warnings.append(f"Member {name!r} has no account here: not added.")
        found[self.importer.username] = self.importer
        return found


def _day(value: str | None) -> dt.date | None:
    return dt.date.fromisoformat(value) if value else None


def _sprints(build: Build, board: Board) -> None:
    today = board_today(board)
    for sprint in sorted(build.document.get("sprints", []), key=lambda s: s["end"]):
        end = dt.date.fromisoformat(sprint["end"])
        if end < today:
            build.warnings.append(
                f"Sprint {sprint.get('name') or sprint['key']!r} ended on {end}: a sprint "
                "cannot be created in the past, so its tasks are in the backlog."
            )
            build.sprints[sprint["key"]] = None
        else:
            build.sprints[sprint["key"]] = services.sprint_create(
                actor=build.actor, board_id=board.pk, end=end, name=sprint.get("name", ""),
                description=sprint.get("description", ""), start=_day(sprint.get("start")),
                goal=sprint.get("goal", ""),
            )  # fmt: skip
        build.step()


def _task(build: Build, board: Board, row: dict[str, Any]) -> Task:
    key = row.get("sprint")
    sprint = build.sprints.get(key) if key is not None else None
    status, started, completed = row.get("status", 1), row.get("started"), row.get("completed")
    if key is not None and sprint is None:  # its sprint had ended: to the backlog
        status, started, completed = Status.NOT_STARTED, None, None
    points = row.get("points")
    return services.task_create(
        actor=build.actor, board_id=board.pk, name=row["name"],
        description=row.get("description", ""), sprint=sprint, status=status,
        started=_day(started), due=_day(row.get("due")), completed=_day(completed),
        points=None if points is None else Decimal(str(points)),
        labels=[build.labels[name.strip().casefold()] for name in row.get("labels", [])],
    )  # fmt: skip


def _comment(build: Build, task: Task, row: dict[str, Any], members: dict[str, Any]) -> None:
    author = members.get(row.get("author") or "")
    body = row["body"]
    if author is None:
        body = f"(originally by {row.get('author') or 'someone'}) {body}"[:BODY_MAX]
    actor = build.actor if author is None else Actor(user=author)
    services.comment_create(actor=actor, task_id=task.pk, body=body)


def _cards(build: Build, board: Board, members: dict[str, Any]) -> list[tuple[Task, Any]]:
    """Tasks in column order (the service appends each at its column's end), with their
    checklists and comments; returns the assignments to make once members have joined."""
    sprint_rank = {key: index for index, key in enumerate(build.sprints)}
    rows = sorted(
        build.document["tasks"],
        key=lambda t: (
            -1 if t.get("sprint") is None else sprint_rank.get(t["sprint"], 0),
            t.get("status", 1),
            t.get("position", 0),
        ),
    )
    assignments = []
    for row in rows:
        task = _task(build, board, row)
        build.step()
        for item in row.get("checklist", []):
            services.checklist_item_create(
                actor=build.actor, task_id=task.pk, text=item["text"], done=item.get("done", False)
            )
            build.step()
        for comment in row.get("comments", []):
            _comment(build, task, comment, members)
            build.step()
        assignments.append((task, row.get("assigned")))
    return assignments


def _lifecycle(build: Build) -> None:
    """Closed sprints first: only one sprint of a board is active at a time."""
    wanted = {s["key"]: s.get("state", SprintState.PLANNED) for s in build.document["sprints"]}
    for state in (SprintState.CLOSED, SprintState.ACTIVE):
        for key, sprint in build.sprints.items():
            if sprint is not None and wanted.get(key) == state:
                services.sprint_start(actor=build.actor, sprint_id=sprint.pk)
                if state == SprintState.CLOSED:
                    services.sprint_close(actor=build.actor, sprint_id=sprint.pk)
    for _ in build.sprints:
        build.step()


def board_build(build: Build) -> Board:
    """Build the board; a ValidationError from a service stops it (the caller cleans up)."""
    document = build.document
    info = document["board"]
    board = services.board_create(
        actor=build.actor, name=info["name"], description=info.get("description", ""),
        timezone=info.get("timezone"),
    )  # fmt: skip
    build.board = board
    for label in document.get("labels", []):
        made = services.label_create(
            actor=build.actor, board_id=board.pk, name=label["name"], color=label["color"]
        )
        build.labels[made.name.casefold()] = made
        build.step()
    document.setdefault("sprints", [])
    _sprints(build, board)
    members = build.joining()
    assignments = _cards(build, board, members)
    roles = {m["username"]: m.get("role", Role.MEMBER) for m in document.get("members", [])}
    for username, user in members.items():
        if user.pk != build.importer.pk:
            services.member_add(actor=build.actor, board_id=board.pk, user=user,
                                role=roles.get(username, Role.MEMBER))  # fmt: skip
        build.step()
    for task, username in assignments:
        if username and username in members:
            services.task_update(actor=build.actor, task_id=task.pk, assigned=members[username])
        elif username:
            build.warnings.append(f"Task {task.name!r}: {username!r} is not a member: unassigned.")
        build.step()
    _lifecycle(build)
    return board
