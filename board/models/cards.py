"""What a card carries beside its own fields (SPEC section 12), and the event log's index by
task that the per-task activity reads.

Written only by board/services/ under the board's row lock, like every board row: the
counters on Task (comments_count, checklist_total, checklist_done) move in the same
transaction as the rows they count, so they are exact without a COUNT per card."""

from django.conf import settings
from django.db import models


class Label(models.Model):
    board = models.ForeignKey("board.Board", on_delete=models.CASCADE, related_name="labels")
    name = models.CharField(max_length=30)
    # name.casefold(): the unique index is case-insensitive on every backend (MariaDB has no
    # expression indexes, SQLite's collation is case-sensitive).
    name_key = models.CharField(max_length=30, editable=False)
    color = models.CharField(max_length=7)  # "#rrggbb", lowercase
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["board", "name_key"], name="label_unique_board_name")
        ]
        ordering = ["id"]

    def __str__(self) -> str:
        return self.name


class Comment(models.Model):
    # The board beside the task: access checks and the board lock find it in one step.
    board = models.ForeignKey("board.Board", on_delete=models.CASCADE, related_name="+")
    task = models.ForeignKey("board.Task", on_delete=models.CASCADE, related_name="comments")
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    body = models.TextField()
    # Usernames of the board members the body mentions now (an edit recomputes them).
    mentions = models.JSONField(default=list)
    created_at = models.DateTimeField(auto_now_add=True)
    edited_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["created_at", "id"]
        indexes = [models.Index(fields=["task", "created_at"], name="comment_task_created")]

    def __str__(self) -> str:
        return f"comment {self.pk} on {self.task_id}"


class CommentMention(models.Model):
    """The ledger that makes a mention notify once per comment and user: an edit that
    mentions someone again, or again after removing them, finds the row and sends nothing."""

    comment = models.ForeignKey(Comment, on_delete=models.CASCADE, related_name="+")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["comment", "user"], name="mention_once_per_comment")
        ]

    def __str__(self) -> str:
        return f"comment {self.comment_id} mentioned {self.user_id}"


class ChecklistItem(models.Model):
    board = models.ForeignKey("board.Board", on_delete=models.CASCADE, related_name="+")
    task = models.ForeignKey("board.Task", on_delete=models.CASCADE, related_name="checklist")
    text = models.CharField(max_length=200)
    done = models.BooleanField(default=False)
    # Sparse like a card's order: a move rewrites one row (services/tasks.py ORDER_GAP).
    order = models.BigIntegerField(default=0)
    version = models.PositiveIntegerField(default=1)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["order", "id"]
        indexes = [models.Index(fields=["task", "order"], name="checklist_task_order")]

    def __str__(self) -> str:
        return self.text


class TaskWatch(models.Model):
    """A user's choice to hear about a card. Assigning and commenting create a watching row
    when none exists; an explicit "stop watching" is a row with watching=False, which neither
    overrides."""

    task = models.ForeignKey("board.Task", on_delete=models.CASCADE, related_name="watches")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    watching = models.BooleanField(default=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["task", "user"], name="taskwatch_unique_task_user")
        ]

    def __str__(self) -> str:
        return f"{self.user_id} {'watches' if self.watching else 'ignores'} {self.task_id}"


class EventTask(models.Model):
    """Which tasks an event touched (board/realtime.py `tasks_touched`), written with the
    event: a task's activity reads its own events by index instead of scanning the log."""

    board = models.ForeignKey("board.Board", on_delete=models.CASCADE, related_name="+")
    seq = models.PositiveBigIntegerField()
    task_id = models.BigIntegerField()

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["task_id", "seq", "board"], name="eventtask_unique")
        ]

    def __str__(self) -> str:
        return f"{self.board_id}#{self.seq} -> task {self.task_id}"
