"""Personal notifications and the ledger that makes the daily digest at-most-once."""

from django.conf import settings
from django.db import models
from django.utils import timezone


class Kind(models.TextChoices):
    DUE_TODAY = "due_today", "Due today"
    MENTION = "mention", "Mention"
    TASK_ACTIVITY = "task_activity", "Activity on a watched card"
    WEBHOOK_DISABLED = "webhook_disabled", "A webhook was disabled"


class DigestLedger(models.Model):
    """One row per user and local date whose digest has been claimed.

    The unique constraint is the only thing that makes the digest at-most-once across
    retries, restarts and concurrent workers: a run inserts the row before it writes or
    sends anything, and a run whose insert is ignored leaves that user alone."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="digest_ledger"
    )
    local_date = models.DateField()
    created_at = models.DateTimeField(default=timezone.now)
    # The run (or mail retry) that currently owns this row: a batched insert with
    # ignore_conflicts cannot report which rows it won, so each run tags its rows and reads
    # them back by this token.
    claim = models.CharField(max_length=32, db_index=True)
    # Mail delivery is tracked apart from the claim so a failed send can be retried without
    # creating a second notification or push; the lease keeps two retries from both sending.
    mail_claimed_at = models.DateTimeField(null=True, blank=True)
    emailed_at = models.DateTimeField(null=True, blank=True)
    mail_attempts = models.PositiveSmallIntegerField(default=0)
    mail_error = models.CharField(max_length=200, blank=True, default="")

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["user", "local_date"], name="digest_unique_user_date")
        ]

    def __str__(self) -> str:
        return f"digest {self.user_id} {self.local_date}"


class Notification(models.Model):
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="notifications"
    )
    kind = models.CharField(max_length=32, choices=Kind.choices)
    title = models.CharField(max_length=200)
    data = models.JSONField(default=dict)
    created_at = models.DateTimeField(default=timezone.now)
    read_at = models.DateTimeField(null=True, blank=True)
    # What coalesces: unread `task_activity` rows of one card ("task:<id>") within the window
    # become one row that counts them (notifications/services/activity.py).
    group_key = models.CharField(max_length=40, blank=True, default="")
    updated_at = models.DateTimeField(default=timezone.now)
    # The digest this notification announces; the mail retry renders the same content from it.
    digest = models.OneToOneField(
        DigestLedger,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="notification",
    )

    class Meta:
        indexes = [
            models.Index(fields=["user", "read_at", "created_at"], name="notif_inbox"),
            models.Index(fields=["user", "group_key", "created_at"], name="notif_group"),
        ]

    def __str__(self) -> str:
        return f"{self.kind} for {self.user_id}: {self.title}"
