"""Webhook reads for the API (access is the view's check, by board/access.py)."""

from __future__ import annotations

from board.access import valid_id

from .models import Delivery, Webhook

DELIVERIES_SHOWN = 100


def webhooks_of_board(*, board_id: int) -> list[Webhook]:
    return list(Webhook.objects.filter(board_id=board_id).order_by("id"))


def webhook_board(*, webhook_id: object) -> int | None:
    """The board of a webhook, or None when there is no such webhook (or not an id)."""
    pk = valid_id(webhook_id)
    if pk is None:
        return None
    return Webhook.objects.filter(pk=pk).values_list("board_id", flat=True).first()


def webhook_get(*, webhook_id: int) -> Webhook:
    return Webhook.objects.get(pk=webhook_id)


def deliveries_of(*, webhook_id: int) -> list[Delivery]:
    """The newest DELIVERIES_SHOWN attempts, newest first."""
    return list(Delivery.objects.filter(webhook_id=webhook_id).order_by("-id")[:DELIVERIES_SHOWN])
