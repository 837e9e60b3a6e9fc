"""Notification reads."""

from django.db.models import Count, F, Q, QuerySet

from .models import Notification


def notification_list_for_user(*, user) -> QuerySet[Notification]:
    """The user's notifications: unread first (newest first), then read ones."""
    return Notification.objects.filter(user=user).order_by(
        F("read_at").desc(nulls_first=True), "-created_at", "-id"
    )


def notification_counts(notifications: QuerySet[Notification]) -> dict[str, int]:
    """How many notifications there are and how many of them are unread, in one query."""
    return notifications.aggregate(
        total=Count("pk"), unread=Count("pk", filter=Q(read_at__isnull=True))
    )
