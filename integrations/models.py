"""An import's job row, and a user's calendar feed secret (stored as a hash only)."""

from django.conf import settings
from django.db import models


class ImportState(models.TextChoices):
    QUEUED = "queued", "Queued"
    RUNNING = "running", "Running"
    DONE = "done", "Done"
    FAILED = "failed", "Failed"


class ImportJob(models.Model):
    owner = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    state = models.CharField(max_length=10, choices=ImportState.choices, default=ImportState.QUEUED)
    progress = models.PositiveSmallIntegerField(default=0)  # 0..100
    # The document in our own format (a Trello export is converted before it is stored);
    # emptied once the job ends: the board, not the upload, is what is kept.
    document = models.JSONField(default=dict)
    board = models.ForeignKey("board.Board", on_delete=models.SET_NULL, null=True, related_name="+")
    # Messages for the importer: warnings on a finished job (unknown members, ...), the reason
    # on a failed one.
    errors = models.JSONField(default=list)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["-created_at", "-id"]

    def __str__(self) -> str:
        return f"import {self.pk} ({self.state})"


class CalendarFeed(models.Model):
    """One feed per user; rotating replaces the hash, so the old URL stops working."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="calendar_feed"
    )
    # sha256 hex of the secret in the URL: a leaked database does not leak working feed URLs.
    secret_hash = models.CharField(max_length=64, unique=True)
    created_at = models.DateTimeField(auto_now_add=True)

    def __str__(self) -> str:
        return f"calendar feed of {self.user_id}"
