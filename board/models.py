"""Board, membership, sprint, task and the per-board event log.

Rows are only written through board/services.py, which keeps `version`, `last_seq` and the
event log in step; the models hold fields and constraints, not behaviour.
"""

import secrets

from django.conf import settings
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


class Sprint(models.Model):
    board = models.ForeignKey(Board, on_delete=models.CASCADE, related_name="sprints")
    name = models.CharField(max_length=100, blank=True, default="")
    description = models.TextField(blank=True, default="")
    end = models.DateField()
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
    version = models.PositiveIntegerField(default=1)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["order", "id"]
        indexes = [
            models.Index(fields=["board", "sprint", "status", "order"], name="task_column"),
            models.Index(fields=["assigned", "due"], name="task_assigned_due"),
            models.Index(fields=["board", "updated_at"], name="task_board_updated"),
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
