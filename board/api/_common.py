"""Request plumbing shared by the board views: actor, client op id and If-Match."""

import re

from rest_framework import status
from rest_framework.exceptions import ValidationError
from rest_framework.response import Response

from ..services import Actor

_OP_ID = re.compile(r"^[\w.:-]{1,64}$")
_ETAG = re.compile(r'^(?:W/)?"?(\d{1,9})"?$')


def actor_from(request) -> Actor:
    op_id = request.headers.get("X-Client-Op-Id", "")
    if op_id and not _OP_ID.match(op_id):
        raise ValidationError({"X-Client-Op-Id": "Use 1-64 letters, digits, '.', ':', '_' or '-'."})
    return Actor(user=request.user, client_op_id=op_id)


def expected_version(request, data: dict) -> int | None:
    """The version the client edited: If-Match wins over a `version` field in the body."""
    header = request.headers.get("If-Match")
    body_version = data.pop("version", None)
    if header:
        match = _ETAG.match(header.strip())
        if not match:
            raise ValidationError({"If-Match": 'Send the row\'s version, e.g. If-Match: "3".'})
        return int(match.group(1))
    return body_version


def history_pruned(board) -> Response:
    """410: the part of the board's history a request needs was pruned (docs/history.md)."""
    return Response(
        {"detail": "That part of the board's history is no longer kept.",
         "history_from": board.history_from},
        status=status.HTTP_410_GONE,
    )  # fmt: skip
