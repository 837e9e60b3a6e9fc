"""How many sockets one user and one client address may hold open in this process.

Counted per process (a deployment of N daphnes allows N times as many): no shared store is
needed, so the caps hold while Redis is away, and a runaway client is stopped where its
sockets cost memory. Past a cap the socket is accepted and closed with 4429.
"""

from __future__ import annotations

from collections import Counter
from typing import Any

from django.conf import settings


def scope_address(scope: dict[str, Any]) -> str:
    """The client address, believing only the X-Forwarded-For hops our own proxies added
    (TRUSTED_PROXY_COUNT), as REST's throttles do."""
    client = scope.get("client") or ("", 0)
    remote = str(client[0])
    hops = settings.TRUSTED_PROXY_COUNT
    if hops <= 0:
        return remote
    header = b",".join(v for k, v in scope.get("headers", ()) if k == b"x-forwarded-for")
    forwarded = [a.strip() for a in header.decode("latin1").split(",") if a.strip()]
    return forwarded[-hops] if len(forwarded) >= hops else remote


class SocketCaps:
    def __init__(self) -> None:
        self.users: Counter[int] = Counter()
        self.addresses: Counter[str] = Counter()

    def take(self, user_id: int, address: str, per_user: int, per_address: int) -> bool:
        """Count one more socket, or refuse (and count nothing) past either cap."""
        if self.users[user_id] >= per_user or self.addresses[address] >= per_address:
            return False
        self.users[user_id] += 1
        self.addresses[address] += 1
        return True

    def give_back(self, user_id: int, address: str) -> None:
        self.users[user_id] -= 1
        if self.users[user_id] <= 0:
            del self.users[user_id]
        self.addresses[address] -= 1
        if self.addresses[address] <= 0:
            del self.addresses[address]


# Consumers of one process share one event loop thread; tests each run a loop of their own
# but close their sockets, so one table per process is exact.
caps = SocketCaps()
