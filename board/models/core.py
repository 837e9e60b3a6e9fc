"""Board, membership, sprint, task and the per-board event log.

Rows are only written through board/services/, which keeps `version`, `last_seq` and the
event log in step; the models hold fields and constraints, not behaviour.
"""

import secrets
from decimal import Decimal

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models

from realtime_scrum.accounts.models import validate_timezone


def new_epoch() -> str:
    return secrets.token_hex(8)


class Role(models.TextChoices):
    OWNER = "owner", "Owner"
    MEMBER = "member", "Member"
    VIEWER = "viewer", "Viewer"


class Board(models.Model):
    name = models.CharField(max_length=100)
    description = models.TextField(blank=True, default="")
    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="owned_boards"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    # The seq of the newest BoardEvent; bumped under a row lock by every write.
    last_seq = models.PositiveBigIntegerField(default=0)
    # Names this board's history: a client's `since` counts events of one epoch, so a log
    # that is reset or restored gets a new one and such a client is told to resync.
    epoch = models.CharField(max_length=32, default=new_epoch, editable=False)
    # Whose days the board keeps: the rules' "today" (a sprint ending in the past, a task into
    # an ended sprint) is the date here, not the server's. board_create sets the creator's.
    timezone = models.CharField(max_length=64, default="UTC", validators=[validate_timezone])
    # Time travel and reports reach back to this seq: the events at and before it were pruned
    # into the compaction checkpoint there (0: the whole history is kept).
    history_from = models.PositiveBigIntegerField(default=0, editable=False)

    class Meta:
        ordering = ["name", "id"]

    def __str__(self) -> str:
        return self.name


class Membership(models.Model):
    board = models.ForeignKey(Board, on_delete=models.CASCADE, related_name="memberships")
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="memberships"
    )
    role = models.CharField(max_length=10, choices=Role.choices, default=Role.MEMBER)
    joined_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["board", "user"], name="membership_unique_board_user")
        ]
        ordering = ["joined_at", "id"]

    def __str__(self) -> str:
        return f"{self.user} on {self.board} ({self.role})"


class SprintState(models.TextChoices):
    PLANNED = "planned", "Planned"
    ACTIVE = "active", "Active"
    CLOSED = "closed", "Closed"


class Sprint(models.Model):
    board = models.ForeignKey(Board, on_delete=models.CASCADE, related_name="sprints")
    name = models.CharField(max_length=100, blank=True, default="")
    description = models.TextField(blank=True, default="")
    # Null until planned or started: starting a sprint without one starts it on the board's today.
    start = models.DateField(null=True, blank=True)
    end = models.DateField()
    goal = models.CharField(max_length=500, blank=True, default="")
    # At most one active sprint per board: checked under the board's lock (MariaDB has no
    # partial unique index), by services/sprint_lifecycle.py.
    state = models.CharField(
        max_length=10, choices=SprintState.choices, default=SprintState.PLANNED
    )
    # What the team committed to when the sprint started: {"points": n, "tasks": [ids]}.
    committed = models.JSONField(null=True, blank=True, editable=False)
    version = models.PositiveIntegerField(default=1)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["board", "end"], name="sprint_unique_board_end")
        ]
        ordering = ["end"]

    def __str__(self) -> str:
        return self.name or f"Sprint ending {self.end}"


class Status(models.IntegerChoices):
    NOT_STARTED = 1, "Not Started"
    IN_PROGRESS = 2, "In Progress"
    TESTING = 3, "Testing"
    DONE = 4, "Done"


POINTS_MAX = Decimal("999")


class LiveTaskManager(models.Manager):
    """Tasks not in the trash: the default manager, so every list, rule and lookup ignores
    soft-deleted rows unless it asks `Task.all_objects` (the trash, restore, purge)."""

    def get_queryset(self):
        return super().get_queryset().filter(deleted_at__isnull=True)


class Task(models.Model):
    board = models.ForeignKey(Board, on_delete=models.CASCADE, related_name="tasks")
    sprint = models.ForeignKey(
        Sprint, on_delete=models.PROTECT, null=True, blank=True, related_name="tasks"
    )
    name = models.CharField(max_length=100)
    description = models.TextField(blank=True, default="")
    status = models.PositiveSmallIntegerField(choices=Status.choices, default=Status.NOT_STARTED)
    # Position within its column (board, sprint, status); sparse so a move rewrites one row.
    order = models.BigIntegerField(default=0)
    assigned = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="tasks",
    )
    started = models.DateField(null=True, blank=True)
    due = models.DateField(null=True, blank=True)
    completed = models.DateField(null=True, blank=True)
    # Story points: null = not estimated, else 0-999 in steps of 0.1.
    points = models.DecimalField(
        max_digits=4,
        decimal_places=1,
        null=True,
        blank=True,
        validators=[MinValueValidator(Decimal(0)), MaxValueValidator(POINTS_MAX)],
    )
    labels = models.ManyToManyField("board.Label", blank=True, related_name="tasks")
    # Counters kept by the comment and checklist services in the same transaction as the
    # rows they count (board/models/cards.py); they are not the task's content: no version.
    comments_count = models.PositiveIntegerField(default=0, editable=False)
    checklist_total = models.PositiveIntegerField(default=0, editable=False)
    checklist_done = models.PositiveIntegerField(default=0, editable=False)
    version = models.PositiveIntegerField(default=1)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)
    # Soft delete: a deleted task waits in the board's trash (30 days) and can be restored.
    deleted_at = models.DateTimeField(null=True, blank=True, editable=False)

    objects = LiveTaskManager()
    all_objects = models.Manager()  # noqa: DJ012 (a second manager, not a field)

    class Meta:
        base_manager_name = "all_objects"
        ordering = ["order", "id"]
        indexes = [
            models.Index(fields=["board", "sprint", "status", "order"], name="task_column"),
            models.Index(fields=["assigned", "due"], name="task_assigned_due"),
            models.Index(fields=["board", "updated_at"], name="task_board_updated"),
            models.Index(fields=["board", "deleted_at"], name="task_board_deleted"),
        ]

    def __str__(self) -> str:
        return self.name


class BoardEvent(models.Model):
    """The append-only log behind `seq`: written in the same transaction as the change it
    describes, so replaying it after `since` rebuilds exactly what a client missed."""

    board = models.ForeignKey(Board, on_delete=models.CASCADE, related_name="events")
    seq = models.PositiveBigIntegerField()
    name = models.CharField(max_length=40)
    data = models.JSONField()
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    client_op_id = models.CharField(max_length=64, blank=True, default="")
    created_at = models.DateTimeField(auto_now_add=True, db_index=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["board", "seq"], name="boardevent_unique_board_seq")
        ]
        ordering = ["board", "seq"]

    def __str__(self) -> str:
        return f"{self.board_id}#{self.seq} {self.name}"


class BoardCheckpoint(models.Model):
    """The whole board state as of one seq (board/history/state.py's JSON form).

    Seq 0 is written with the board (its values before any event: the log starts with the
    owner's member.added). A compaction checkpoint stands in for the events at and before
    its seq once those are pruned; others only save replay work (board/history/)."""

    board = models.ForeignKey(Board, on_delete=models.CASCADE, related_name="checkpoints")
    seq = models.PositiveBigIntegerField()
    state = models.JSONField()
    at = models.DateTimeField(help_text="When the event at `seq` happened (creation for 0).")
    compaction = models.BooleanField(default=False)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["board", "seq"], name="boardcheckpoint_unique_seq")
        ]
        ordering = ["board", "seq"]

    def __str__(self) -> str:
        return f"{self.board_id}@{self.seq}"
