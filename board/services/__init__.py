"""Every write to a board goes through here: validate, write, append the board event and
broadcast it on commit. Views, the admin, management commands and jobs all call these."""

from ._events import Actor, VersionConflict
from .boards import (
    board_create,
    board_delete,
    board_update,
    member_add,
    member_remove,
    member_update,
)
from .checklist import checklist_item_create, checklist_item_delete, checklist_item_update
from .comments import comment_create, comment_delete, comment_update
from .labels import label_create, label_delete, label_update
from .rules import sprint_validate, task_validate
from .sprint_lifecycle import sprint_close, sprint_plan, sprint_start
from .sprints import sprint_create, sprint_delete, sprint_update
from .tasks import task_create, task_delete, task_move, task_update
from .trash import task_restore, trash_purge
from .undo import event_revert
from .watching import watch_set

__all__ = [
    "Actor",
    "VersionConflict",
    "board_create",
    "board_delete",
    "board_update",
    "checklist_item_create",
    "checklist_item_delete",
    "checklist_item_update",
    "comment_create",
    "comment_delete",
    "comment_update",
    "event_revert",
    "label_create",
    "label_delete",
    "label_update",
    "member_add",
    "member_remove",
    "member_update",
    "sprint_close",
    "sprint_create",
    "sprint_delete",
    "sprint_plan",
    "sprint_start",
    "sprint_update",
    "sprint_validate",
    "task_create",
    "task_delete",
    "task_move",
    "task_restore",
    "task_update",
    "task_validate",
    "trash_purge",
    "watch_set",
]
