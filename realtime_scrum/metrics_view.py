"""GET /metrics: this process's Prometheus metrics (realtime_scrum/metrics.py).

Who may read it: with METRICS_TOKEN set, only `Authorization: Bearer <METRICS_TOKEN>`
(401 without a bearer token, 403 with another one). Without it, only a client on this host:
a loopback peer that came through no proxy (nginx connects from 127.0.0.1 too, and adds
X-Forwarded-For), and everyone else gets 404, so the endpoint is not advertised. nginx also
refuses /metrics itself (deploy/nginx/scrum.conf.template). Not in the OpenAPI schema: a
plain Django view, not part of the API.
"""

from __future__ import annotations

import hmac
import ipaddress

from django.conf import settings
from django.http import HttpRequest, HttpResponse, JsonResponse
from prometheus_client import CONTENT_TYPE_LATEST, generate_latest

from .metrics import REGISTRY

PROXY_HEADERS = ("HTTP_X_FORWARDED_FOR", "HTTP_X_REAL_IP", "HTTP_FORWARDED")


def _from_this_host(request: HttpRequest) -> bool:
    if any(header in request.META for header in PROXY_HEADERS):
        return False
    try:
        return ipaddress.ip_address(request.META.get("REMOTE_ADDR", "")).is_loopback
    except ValueError:
        return False


def _refusal(request: HttpRequest) -> HttpResponse | None:
    token = settings.METRICS_TOKEN
    if not token:
        if _from_this_host(request):
            return None
        return JsonResponse({"detail": "Not found."}, status=404)
    scheme, _, given = request.META.get("HTTP_AUTHORIZATION", "").partition(" ")
    if scheme.lower() != "bearer" or not given:
        response = JsonResponse({"detail": "A bearer token is required."}, status=401)
        response["WWW-Authenticate"] = 'Bearer realm="metrics"'
        return response
    # Constant time: the token must not leak through response timing.
    if not hmac.compare_digest(given.strip().encode(), token.encode()):
        return JsonResponse({"detail": "This token may not read metrics."}, status=403)
    return None


def metrics(request: HttpRequest) -> HttpResponse:
    if request.method not in ("GET", "HEAD"):
        return JsonResponse({"detail": "GET only."}, status=405, headers={"Allow": "GET, HEAD"})
    refused = _refusal(request)
    if refused is not None:
        return refused
    return HttpResponse(generate_latest(REGISTRY), content_type=CONTENT_TYPE_LATEST)
