"""gzip for large JSON API reads (the board snapshot), never for credentials.

Only GET responses of /api/ that are JSON and at least MIN_BYTES long, and nothing under
/api/auth/: BREACH recovers a secret from the compressed size of responses that carry it
next to input an attacker chose (signup and login answer tokens beside the username sent).
The page's cookie endpoints (/app/session/) and the admin are outside /api/ and stay plain.
docs/security.md has the whole decision; nginx applies the same rule (deploy/nginx/).

Native async (and sync) so it adds no thread hop to every request, as Django's
MiddlewareMixin-based GZipMiddleware would under daphne.
"""

from __future__ import annotations

from asgiref.sync import iscoroutinefunction, markcoroutinefunction
from django.utils.cache import patch_vary_headers
from django.utils.regex_helper import _lazy_re_compile
from django.utils.text import compress_string

# Below this a response fits in a packet or two: compressing saves nothing noticeable.
MIN_BYTES = 1024
# Django's GZipMiddleware default: random bytes in the gzip header vary the length
# (Heal the Breach), a second line of defence should a secret ever get in.
MAX_RANDOM_BYTES = 100
ACCEPTS_GZIP = _lazy_re_compile(r"\bgzip\b")


def _is_json(content_type: str) -> bool:
    # application/json, and the +json types (the OpenAPI schema's).
    media = content_type.split(";", 1)[0].strip().lower()
    return media.startswith("application/") and (media.endswith("/json") or media.endswith("+json"))


def compressible(request, response) -> bool:
    path = request.path_info
    return (
        request.method == "GET"
        and path.startswith("/api/")
        and not path.startswith("/api/auth/")
        and response.status_code == 200
        and not response.streaming
        and not response.has_header("Content-Encoding")
        and _is_json(response.get("Content-Type", ""))
        and len(response.content) >= MIN_BYTES
    )


def gzip_response(request, response):
    if not compressible(request, response):
        return response
    patch_vary_headers(response, ("Accept-Encoding",))
    if not ACCEPTS_GZIP.search(request.META.get("HTTP_ACCEPT_ENCODING", "")):
        return response
    body = compress_string(response.content, max_random_bytes=MAX_RANDOM_BYTES)
    if len(body) >= len(response.content):
        return response
    response.content = body
    response.headers["Content-Length"] = str(len(body))
    etag = response.get("ETag")
    if etag and etag.startswith('"'):
        # RFC 9110 8.8.1: the bytes differ, so a strong validator must become weak.
        response.headers["ETag"] = "W/" + etag
    response.headers["Content-Encoding"] = "gzip"
    return response


class HybridMiddleware:
    """A middleware that runs sync under WSGI and async under daphne without a thread hop:
    `__call__` returns the coroutine of `_acall` when the chain is async. Shared by the
    gzip middleware and the request-id ones (realtime_scrum/request_id.py)."""

    async_capable = True
    sync_capable = True

    def __init__(self, get_response):
        self.get_response = get_response
        self.is_async = iscoroutinefunction(get_response)
        if self.is_async:
            markcoroutinefunction(self)  # type: ignore[type-var]  # an instance, by design


class ApiJsonGzipMiddleware(HybridMiddleware):
    def __call__(self, request):
        if self.is_async:
            return self._acall(request)
        return gzip_response(request, self.get_response(request))

    async def _acall(self, request):
        return gzip_response(request, await self.get_response(request))
