"""A request id for every HTTP request, and its latency by route (SPEC section 14).

The id is the client's `X-Request-ID` when it is a sane token (proxies and clients that
trace pass one), else a fresh one; it goes back as a response header and sits in a
contextvar for the request's duration, so every log line of the request carries it
(realtime_scrum/logging.py), the broadcast of its change included: on_commit callbacks run
in the request's thread and context (board/realtime.py logs one line per event). It is
never put in a frame.
"""

from __future__ import annotations

import contextvars
import re
import time
import uuid

from .compression import HybridMiddleware
from .metrics import REST_LATENCY

HEADER = "X-Request-ID"
SANE = re.compile(r"[A-Za-z0-9._-]{1,64}")

request_id: contextvars.ContextVar[str | None] = contextvars.ContextVar("request_id", default=None)


def current_request_id() -> str | None:
    return request_id.get()


def choose_request_id(given: str | None) -> str:
    """The client's id if it is a short plain token (it lands in logs: no spaces, quotes
    or newlines that could forge a line), else a new one."""
    if given and SANE.fullmatch(given):
        return given
    return uuid.uuid4().hex


class RequestIdMiddleware(HybridMiddleware):
    def __call__(self, request):
        if self.is_async:
            return self._acall(request)
        token = request_id.set(choose_request_id(request.headers.get(HEADER)))
        try:
            response = self.get_response(request)
        finally:
            rid = request_id.get()
            request_id.reset(token)
        response[HEADER] = rid
        return response

    async def _acall(self, request):
        token = request_id.set(choose_request_id(request.headers.get(HEADER)))
        try:
            response = await self.get_response(request)
        finally:
            rid = request_id.get()
            request_id.reset(token)
        response[HEADER] = rid
        return response


def route_of(request) -> str:
    """The URL pattern that served the request ("/api/tasks/<id:pk>/comments/"), never the
    raw path: one label value per route, however many ids are requested."""
    match = getattr(request, "resolver_match", None)
    return "unmatched" if match is None else "/" + match.route


class RouteLatencyMiddleware(HybridMiddleware):
    def __call__(self, request):
        if self.is_async:
            return self._acall(request)
        started = time.perf_counter()
        response = self.get_response(request)
        self._observe(request, time.perf_counter() - started)
        return response

    async def _acall(self, request):
        started = time.perf_counter()
        response = await self.get_response(request)
        self._observe(request, time.perf_counter() - started)
        return response

    @staticmethod
    def _observe(request, seconds: float) -> None:
        method = request.method if request.method in KNOWN_METHODS else "other"
        REST_LATENCY.labels(method=method, route=route_of(request)).observe(seconds)


KNOWN_METHODS = frozenset({"GET", "HEAD", "POST", "PUT", "PATCH", "DELETE", "OPTIONS"})
