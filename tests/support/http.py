"""The HTTP client of the live tiers: JSON over loopback to a server a test started.

A 4xx or 5xx is an answer, not an exception: `request` returns it like a 200, so a test asserts
on the status. Only a failure to get any answer (refused, reset, timed out) raises (OSError).
"""

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

    @property
    def data(self) -> Any:
        """The body as JSON; None when it is empty, the text when it is not JSON."""
        if not self.body:
            return None
        try:
            return json.loads(self.body)
        except ValueError:
            return self.body.decode(errors="replace")


class StatusError(AssertionError):
    """`HttpClient.ok` got an answer outside 2xx."""

    def __init__(self, method: str, path: str, response: Response):
        super().__init__((method, path, response.status, response.data))
        self.status = response.status
        self.response = response


class HttpClient:
    """Requests to `base_url` (http://127.0.0.1:<port>), with a bearer token when given.
    Header keyword names use `_` for `-` (X_Client_Op_Id="..." sends X-Client-Op-Id)."""

    def __init__(self, base_url: str, token: str | None = None, timeout: float = 15):
        self.base_url = base_url
        self.token = token
        self.timeout = timeout

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
            with urllib.request.urlopen(req, timeout=self.timeout) as resp:  # noqa: S310 - loopback
                return Response(resp.status, dict(resp.headers), resp.read())
        except urllib.error.HTTPError as err:
            return Response(err.code, dict(err.headers), err.read())

    def get(self, path: str, **headers: str) -> Response:
        return self.request("GET", path, **headers)

    def post(self, path: str, data: Any = None, **headers: str) -> Response:
        return self.request("POST", path, data, **headers)

    def patch(self, path: str, data: Any, **headers: str) -> Response:
        return self.request("PATCH", path, data, **headers)

    def call(self, method: str, path: str, data: Any = None, **headers: str) -> tuple[int, Any]:
        """(status, body as JSON or text): for tests that look at both."""
        resp = self.request(method, path, data, **headers)
        return resp.status, resp.data

    def ok(self, method: str, path: str, data: Any = None, **headers: str) -> Any:
        """The JSON body of a 2xx answer; anything else raises StatusError."""
        resp = self.request(method, path, data, **headers)
        if not 200 <= resp.status < 300:
            raise StatusError(method, path, resp)
        return resp.data

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


def http_ok(url: str, timeout: float = 2) -> bool:
    """True when GET `url` answers 200 within `timeout` (a readiness check: never raises)."""
    try:
        with urllib.request.urlopen(url, timeout=timeout) as resp:  # noqa: S310 - loopback
            return resp.status == 200
    except OSError:
        return False
