"""A webhook receiver for Realtime Scrum (docs/integrations.md, "Webhooks").

    WEBHOOK_SECRET=whsec_... python webhook_receiver.py 8080

It verifies each delivery's Standard Webhooks signature with the `standardwebhooks` library
(pip install standardwebhooks), drops repeats by `webhook-id` (delivery is at least once: a
retry or a redelivery carries the same id) and prints the event. Answer 2xx quickly: the
sender waits at most 10 s, and anything else is retried later."""

from __future__ import annotations

import os
import sys
from http.server import BaseHTTPRequestHandler, HTTPServer

from standardwebhooks import Webhook
from standardwebhooks.webhooks import WebhookVerificationError

seen_ids: set[str] = set()  # keep these in your database in real life


def handle(secret: str, body: bytes, headers: dict[str, str]) -> int:
    """The status to answer one delivery with."""
    try:
        event = Webhook(secret).verify(body, headers)  # raises unless signed with the secret
    except WebhookVerificationError:
        return 400
    message_id = {k.lower(): v for k, v in headers.items()}["webhook-id"]
    if message_id in seen_ids:
        return 204  # already handled: still a 2xx, so the sender moves on
    seen_ids.add(message_id)
    # Events arrive in seq order, one at a time per webhook; `board` says which board.
    print(f"board {event['board']} seq {event['seq']}: {event['name']}", flush=True)
    return 204


class Receiver(BaseHTTPRequestHandler):
    def do_POST(self) -> None:  # noqa: N802 - http.server's name
        body = self.rfile.read(int(self.headers.get("Content-Length") or 0))
        self.send_response(handle(os.environ["WEBHOOK_SECRET"], body, dict(self.headers)))
        self.send_header("Content-Length", "0")
        self.end_headers()


if __name__ == "__main__":
    port = int(sys.argv[1]) if len(sys.argv) > 1 else 8080
    HTTPServer(("0.0.0.0", port), Receiver).serve_forever()  # noqa: S104 - a public receiver
