"""`GET /api/asyncapi.json`: the socket protocol as an AsyncAPI 3.0 document (board/asyncapi/).

Public and the same for everyone (it describes the protocol, not a board), so it is built and
serialized once per process and served with an ETag: a client revalidates for a 304. A plain
Django view: it is not a REST resource and stays out of the OpenAPI schema.
"""

from __future__ import annotations

import functools
import hashlib
import json

from django.http import HttpRequest, HttpResponse
from django.views.decorators.http import condition, require_safe

from board.asyncapi import asyncapi_document

MAX_AGE_S = 3600


@functools.cache
def _body() -> tuple[bytes, str]:
    body = json.dumps(asyncapi_document(), separators=(",", ":")).encode()
    return body, hashlib.sha256(body).hexdigest()[:32]


@require_safe
@condition(etag_func=lambda request: _body()[1])
def asyncapi_json(request: HttpRequest) -> HttpResponse:
    response = HttpResponse(_body()[0], content_type="application/json")
    response["Cache-Control"] = f"public, max-age={MAX_AGE_S}"
    return response
