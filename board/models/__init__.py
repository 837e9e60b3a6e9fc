"""The board's tables: the board, its members, sprints, tasks and event log (core.py), and
what a card carries beside its fields: labels, comments, checklist items, watchers (cards.py)."""

from .cards import (
    ChecklistItem,
    Comment,
    CommentMention,
    EventTask,
    Label,
    TaskWatch,
)
from .core import (
    POINTS_MAX,
    Board,
    BoardCheckpoint,
    BoardEvent,
    LiveTaskManager,
    Membership,
    Role,
    Sprint,
    SprintState,
    Status,
    Task,
    new_epoch,
)

__all__ = [
    "POINTS_MAX",
    "Board",
    "BoardCheckpoint",
    "BoardEvent",
    "ChecklistItem",
    "Comment",
    "CommentMention",
    "EventTask",
    "Label",
    "LiveTaskManager",
    "Membership",
    "Role",
    "Sprint",
    "SprintState",
    "Status",
    "Task",
    "TaskWatch",
    "new_epoch",
]
