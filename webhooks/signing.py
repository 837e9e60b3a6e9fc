"""What a delivery carries: the REST event object plus `board`, signed by Standard Webhooks.

`webhook-id` names the message (this webhook, this event), so a retry or a redelivery of
one event carries the same id and a receiver can drop duplicates by it (delivery is at
least once)."""

from __future__ import annotations

import base64
import datetime as dt
import secrets
from typing import Any

import orjson
from standardwebhooks import Webhook as StandardWebhook

from board import realtime, representation

PING = "webhook.ping"


def new_secret() -> str:
    return "whsec_" + base64.b64encode(secrets.token_bytes(32)).decode()


def event_payload(event: Any) -> dict[str, Any]:
    """What `GET /api/boards/{id}/events/` gives for the event, plus `board`."""
    return {**realtime.event_body(event), "board": event.board_id}


def ping_payload(*, webhook_id: int, board_id: int, now: dt.datetime) -> dict[str, Any]:
    return {
        "seq": None,
        "name": PING,
        "data": {"webhook": webhook_id},
        "actor": None,
        "client_op_id": None,
        "at": representation.stamp(now),
        "board": board_id,
    }


def message_id(webhook_id: int, seq: int) -> str:
    return f"msg_{webhook_id}_{seq}"


class Signer:
    """One webhook's signer (the secret decoded once per drain, not once per delivery)."""

    def __init__(self, secret: str) -> None:
        self._webhook = StandardWebhook(secret)

    def signed(
        self, payload: dict[str, Any], *, msg_id: str, now: dt.datetime
    ) -> tuple[bytes, dict[str, str]]:
        """(body, headers) of one delivery."""
        body = orjson.dumps(payload)
        stamp = now.astimezone(dt.UTC)
        seq = payload["seq"]
        return body, {
            "webhook-id": msg_id,
            "webhook-timestamp": str(int(stamp.timestamp())),
            "webhook-signature": self._webhook.sign(msg_id, stamp, body.decode()),
            "X-Scrum-Event": payload["name"],
            "X-Scrum-Seq": "" if seq is None else str(seq),
        }
