"""The book's seven rules, checked on the merged (would-be) state of a row.

"Today" is the board's local date, in the board's own `timezone`, never date.today() or the
server's zone: a server in UTC must not let a sprint end "yesterday" for a team in Tokyo.
"""

from __future__ import annotations

import datetime as dt
import zoneinfo
from typing import Any

from django.core.exceptions import ValidationError
from django.utils import timezone

from ..models import Board, Membership, Sprint, SprintState, Status, Task


def board_today(board: Board) -> dt.date:
    """The date it is now where the board's team works."""
    return timezone.localdate(timezone=zoneinfo.ZoneInfo(board.timezone))


# A burndown has a row per day from start to end: a sprint of centuries would be a report of
# a million rows. A year is far past any team's sprint.
SPRINT_DAYS_MAX = 366


def sprint_length_error(start: dt.date | None, end: dt.date) -> str | None:
    if start is not None and (end - start).days + 1 > SPRINT_DAYS_MAX:
        return f"A sprint lasts at most {SPRINT_DAYS_MAX} days."
    return None


def sprint_validate(
    *, board: Board, end: dt.date, original: Sprint | None, start: dt.date | None = None
) -> None:
    errors: dict[str, str] = {}
    if (original is None or end != original.end) and end < board_today(board):
        errors["end"] = "End date cannot be in the past."  # rule 1
    if start is not None and start > end:
        errors["start"] = "A sprint cannot start after it ends."
    elif (too_long := sprint_length_error(start, end)) and "end" not in errors:
        errors["end"] = too_long
    if original is not None and original.state == SprintState.CLOSED:
        changed = start != original.start or end != original.end
        if changed:
            errors["end" if end != original.end else "start"] = (
                "A closed sprint's dates cannot change."
            )
    clash = Sprint.objects.filter(board=board, end=end)
    if original is not None:
        clash = clash.exclude(pk=original.pk)
    if "end" not in errors and clash.exists():
        errors["end"] = "This board already has a sprint ending on that date."
    if errors:
        raise ValidationError(errors)


def task_validate(*, board: Board, state: dict[str, Any], original: Task | None) -> None:
    """`state` holds sprint, status, started, completed and assigned as they would be saved."""
    today = board_today(board)
    errors: dict[str, str] = {}
    sprint: Sprint | None = state["sprint"]
    status = state["status"]
    sprint_id = sprint.pk if sprint else None
    sprint_changed = original is None or original.sprint_id != sprint_id

    if sprint is not None and sprint.board_id != board.pk:
        errors["sprint"] = "That sprint belongs to another board."
    elif original is not None and sprint_changed and original.status == Status.DONE:
        errors["sprint"] = "Cannot change the sprint of a completed task."  # rule 2
    elif sprint is not None and sprint_changed and sprint.state == SprintState.CLOSED:
        errors["sprint"] = "A closed sprint takes no new tasks."
    elif sprint is not None and sprint_changed and sprint.end < today:
        errors["sprint"] = (
            "Cannot add tasks to a sprint that has ended."  # rule 4
            if original is None
            else "Cannot move a task into a sprint that has ended."  # rule 3
        )
    if sprint is None and status != Status.NOT_STARTED:
        errors["status"] = 'Backlog tasks must have "Not Started" status.'  # rule 5
    if state.get("started") and status == Status.NOT_STARTED:
        errors["started"] = "Cannot set the start date of a task that has not started."  # rule 6
    if state.get("completed") and status != Status.DONE:
        errors["completed"] = "Cannot set the completion date of a task that is not done."  # 7
    assigned = state.get("assigned")
    # Only a new assignee is checked: removing a member unassigns their tasks under the board
    # lock, so an assignment that stays is to a member (and an edit costs no query for it).
    assigned_id = assigned.pk if assigned is not None else None
    assignee_changed = original is None or original.assigned_id != assigned_id
    if (
        assignee_changed
        and assigned is not None
        and not Membership.objects.filter(board=board, user=assigned).exists()
    ):
        errors["assigned"] = "Tasks can only be assigned to members of their board."
    if errors:
        raise ValidationError(errors)


# A card shows its labels as chips: twenty is past any real use and keeps a task row small.
LABELS_PER_TASK_MAX = 20


def labels_validate(*, board: Board, labels: list[Any]) -> None:
    """A task's labels are labels of its own board."""
    if len(labels) > LABELS_PER_TASK_MAX:
        raise ValidationError({"labels": f"A task has at most {LABELS_PER_TASK_MAX} labels."})
    if any(label.board_id != board.pk for label in labels):
        raise ValidationError({"labels": "Use labels of the task's own board."})
