"""Notification reads."""

from django.db.models import F, QuerySet

from .models import Notification


def notification_list_for_user(*, user) -> QuerySet[Notification]:
    """The user's notifications: unread first (newest first), then read ones."""
    return Notification.objects.filter(user=user).order_by(
        F("read_at").desc(nulls_first=True), "-created_at", "-id"
    )
