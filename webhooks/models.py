"""A webhook is a cursor over its board's log; each HTTP attempt leaves a Delivery row.

Rows are written only through webhooks/services.py (the API) and webhooks/drain.py (the
worker), which hold the invariants: `cursor` only moves forward, past an event that was
answered 2xx or filtered out, and only by the drain that holds the lease."""

from django.conf import settings
from django.db import models
from django.utils import timezone

from board.models import Board


class Webhook(models.Model):
    board = models.ForeignKey(Board, on_delete=models.CASCADE, related_name="webhooks")
    url = models.CharField(max_length=2000)
    # Event names or fnmatch globs ("task.*"); empty means every event.
    events = models.JSONField(default=list)
    active = models.BooleanField(default=True)
    secret = models.CharField(max_length=80)  # whsec_<base64>: needed to sign, so not a hash
    # The last seq this webhook has finished (delivered 2xx or skipped by its filter).
    cursor = models.PositiveBigIntegerField(default=0)
    # The drain's lease: one conditional UPDATE takes it (webhooks/lease.py), so two workers
    # never deliver one webhook's events at once (and so never out of order).
    lease_until = models.DateTimeField(null=True, blank=True)
    lease_token = models.CharField(max_length=32, blank=True, default="")
    # The failing streak: attempts at the event after the cursor, since when, next retry.
    attempts = models.PositiveIntegerField(default=0)
    failing_since = models.DateTimeField(null=True, blank=True)
    retry_at = models.DateTimeField(null=True, blank=True)
    disabled_reason = models.CharField(max_length=200, blank=True, default="")
    last_status = models.PositiveSmallIntegerField(null=True, blank=True)
    last_error = models.CharField(max_length=300, blank=True, default="")
    last_delivery_at = models.DateTimeField(null=True, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True
    )
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        indexes = [
            # The on-commit check ("does this board have active webhooks?") and the list.
            models.Index(fields=["board", "active"], name="webhook_board_active"),
            # The periodic sweep: active webhooks, retry due first.
            models.Index(fields=["active", "retry_at"], name="webhook_due"),
        ]

    def __str__(self) -> str:
        return f"webhook {self.pk} of board {self.board_id}: {self.url}"


class Trigger(models.TextChoices):
    EVENT = "event", "Event"
    PING = "ping", "Ping"
    REDELIVER = "redeliver", "Redelivery"


class Delivery(models.Model):
    """One HTTP attempt (kept bounded: the newest DELIVERIES_KEPT per webhook)."""

    webhook = models.ForeignKey(Webhook, on_delete=models.CASCADE, related_name="deliveries")
    seq = models.PositiveBigIntegerField(null=True, blank=True)  # None for a ping
    event = models.CharField(max_length=40)
    trigger = models.CharField(max_length=10, choices=Trigger.choices, default=Trigger.EVENT)
    attempt = models.PositiveIntegerField(default=1)
    status_code = models.PositiveSmallIntegerField(null=True, blank=True)
    duration_ms = models.PositiveIntegerField(default=0)
    error = models.CharField(max_length=300, blank=True, default="")
    at = models.DateTimeField(default=timezone.now)

    class Meta:
        indexes = [models.Index(fields=["webhook", "-id"], name="delivery_newest")]

    def __str__(self) -> str:
        return f"delivery {self.pk} of webhook {self.webhook_id} seq {self.seq}"
