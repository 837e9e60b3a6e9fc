"""A few lines of HTTP over loopback to nginx: JSON in, (status, headers, JSON or bytes) out."""

from __future__ import annotations

import json
import time
import urllib.error
import urllib.request
from dataclasses import dataclass
from typing import Any


@dataclass
class Response:
    status: int
    headers: dict[str, str]
    body: bytes

    def json(self) -> Any:
        return json.loads(self.body)


class Rest:
    def __init__(self, base_url: str, token: str | None = None):
        self.base_url = base_url
        self.token = token

    def request(self, method: str, path: str, data: Any = None, **headers: str) -> Response:
        body = None if data is None else json.dumps(data).encode()
        req = urllib.request.Request(f"{self.base_url}{path}", data=body, method=method)  # noqa: S310
        req.add_header("Accept", "application/json")
        if body is not None:
            req.add_header("Content-Type", "application/json")
        if self.token:
            req.add_header("Authorization", f"Bearer {self.token}")
        for name, value in headers.items():
            req.add_header(name.replace("_", "-"), value)
        try:
            with urllib.request.urlopen(req, timeout=15) as resp:  # noqa: S310 - loopback
                return Response(resp.status, dict(resp.headers), resp.read())
        except urllib.error.HTTPError as err:
            return Response(err.code, dict(err.headers), err.read())

    def get(self, path: str, **headers: str) -> Response:
        return self.request("GET", path, **headers)

    def post(self, path: str, data: Any, **headers: str) -> Response:
        return self.request("POST", path, data, **headers)

    def patch(self, path: str, data: Any, **headers: str) -> Response:
        return self.request("PATCH", path, data, **headers)

    def write(self, method: str, path: str, data: Any, expect: int, tries: int = 20) -> Response:
        """A write that rides out a daphne or Redis being restarted under it: retry on 5xx
        (the test's truth is the event log, so a retried write that did commit is harmless)."""
        for _ in range(tries):
            resp = self.request(method, path, data)
            if resp.status < 500:
                assert resp.status == expect, (resp.status, resp.body[:500])
                return resp
            time.sleep(0.25)
        raise AssertionError(f"{method} {path} kept failing: {resp.status} {resp.body[:300]}")
