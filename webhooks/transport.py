"""One HTTP POST to a checked address: no redirects, a 10 s budget, keep-alive pools.

The connection goes to the address webhooks/targets.py checked (the pool's host is the IP);
the name only travels in the Host header and as the TLS server name, which is also the name
the certificate must match. Pools are kept per (scheme, address, port, name), so consecutive
deliveries to one receiver reuse one connection (B9's rate depends on it)."""

from __future__ import annotations

import ipaddress
import threading
import time
from collections import OrderedDict
from dataclasses import dataclass

import urllib3
from django.conf import settings
from urllib3.exceptions import HTTPError

from .targets import Target

TIMEOUT = urllib3.Timeout(total=10.0)
POOLS_KEPT = 32
BODY_READ = 64 * 1024  # read past this and the connection is dropped instead of drained
EXCERPT = 200
USER_AGENT = "RealtimeScrum-Webhooks/1"


@dataclass(frozen=True)
class Outcome:
    status: int | None
    error: str
    duration_ms: int

    @property
    def ok(self) -> bool:
        return self.status is not None and 200 <= self.status < 300


def _excerpt(text: str) -> str:
    line = " ".join(text.split())
    return line if len(line) <= EXCERPT else line[: EXCERPT - 1] + "…"


def _failure(exc: BaseException) -> str:
    text = str(exc)
    if "refused" in text.lower():
        return "Connection refused."
    if "timed out" in text.lower() or "timeout" in type(exc).__name__.lower():
        return "Timed out after 10 s."
    return _excerpt(f"{type(exc).__name__}: {text}")


class Sender:
    """Thread-safe: urllib3 pools are, and the table of pools is guarded by a lock."""

    def __init__(self) -> None:
        self._pools: OrderedDict[tuple[str, str, int, str], urllib3.HTTPConnectionPool] = (
            OrderedDict()
        )
        self._lock = threading.Lock()

    def _pool(self, target: Target, address: str) -> urllib3.HTTPConnectionPool:
        key = (target.scheme, address, target.port, target.host)
        with self._lock:
            pool = self._pools.get(key)
            if pool is not None:
                self._pools.move_to_end(key)
                return pool
            if target.scheme == "https":
                pool = urllib3.HTTPSConnectionPool(
                    address, target.port, maxsize=4, block=False, retries=False,
                    timeout=TIMEOUT, cert_reqs="CERT_REQUIRED",
                    server_hostname=target.host, assert_hostname=target.host,
                )  # fmt: skip
            else:
                pool = urllib3.HTTPConnectionPool(
                    address, target.port, maxsize=4, block=False, retries=False, timeout=TIMEOUT
                )
            self._pools[key] = pool
            while len(self._pools) > POOLS_KEPT:
                self._pools.popitem(last=False)[1].close()
            return pool

    def post(self, target: Target, address: str, body: bytes, headers: dict[str, str]) -> Outcome:
        started = time.perf_counter()
        if settings.WEBHOOK_LOOPBACK_ONLY and not ipaddress.ip_address(address).is_loopback:
            return Outcome(None, "Not loopback (WEBHOOK_LOOPBACK_ONLY): not sent.", 0)
        headers = {
            **headers,
            "Host": target.host_header,
            "Content-Type": "application/json",
            "User-Agent": USER_AGENT,
        }
        try:
            response = self._pool(target, address).urlopen(
                "POST", target.path, body=body, headers=headers, redirect=False,
                retries=False, preload_content=False, assert_same_host=False,
            )  # fmt: skip
            try:
                text = response.read(BODY_READ)
                if response.read(1):  # a huge answer: drop the connection, read no more
                    response.close()
            finally:
                response.release_conn()
        except (HTTPError, OSError) as exc:
            return Outcome(None, _failure(exc), _ms(started))
        status = response.status
        if 200 <= status < 300:
            return Outcome(status, "", _ms(started))
        if 300 <= status < 400:
            where = response.headers.get("Location", "")
            error = _excerpt(f"Redirect not followed (Location: {where}).")
            return Outcome(status, error, _ms(started))
        body_text = text.decode("utf-8", "replace")
        return Outcome(status, _excerpt(f"HTTP {status}: {body_text}"), _ms(started))

    def close(self) -> None:
        with self._lock:
            for pool in self._pools.values():
                pool.close()
            self._pools.clear()


def _ms(started: float) -> int:
    return max(0, round((time.perf_counter() - started) * 1000))


# The worker process's sender: its pools outlive one drain, so a burst of events drained
# in several runs still reuses the receiver's connection.
SENDER = Sender()
