"""Map domain exceptions to HTTP: rule violations are 400 with field messages, stale versions
409 with the row as it is now, rows that vanished under a request 404, the database server
gone (a MariaDB restart) 503 with Retry-After (realtime_scrum/db_unavailable.py)."""

from django.core.exceptions import (
    ObjectDoesNotExist,
    RequestDataTooBig,
    TooManyFieldsSent,
    TooManyFilesSent,
)
from django.core.exceptions import ValidationError as DjangoValidationError
from rest_framework import status
from rest_framework.exceptions import NotFound, ValidationError
from rest_framework.response import Response
from rest_framework.views import exception_handler as drf_exception_handler

from realtime_scrum import db_unavailable

from .. import representation
from ..models import ChecklistItem, Task
from ..representation import Links
from ..services import VersionConflict


def _conflict(exc: VersionConflict, context) -> Response:
    links = Links.for_request(context.get("request"))
    if isinstance(exc.current, Task):
        current = representation.task_row_json(exc.current, links)
    elif isinstance(exc.current, ChecklistItem):
        current = representation.checklist_item_values(exc.current)
    else:
        current = representation.sprint_row_json(exc.current, links)
    body = {
        "detail": "This item was changed by someone else. Review the current values and retry.",
        "current": current,
    }
    return Response(
        body, status=status.HTTP_409_CONFLICT, headers={"ETag": f'"{exc.current.version}"'}
    )


def _body_refused(exc, context) -> Response:
    """A body past Django's limits (DATA_UPLOAD_MAX_MEMORY_SIZE, _NUMBER_FIELDS/_FILES): 413
    or 400 JSON, not the HTML 400 page Django's handler makes of these SuspiciousOperations."""
    request = context.get("request")
    if request is not None:
        # As Django does: the body cannot be read again. DRF re-raises on a second read of
        # request.data (the browsable renderer's forms do one), so it is empty from here on.
        request._request._mark_post_parse_error()
        request._full_data = request._data = {}
        request._files = request._request._files
    if isinstance(exc, RequestDataTooBig):
        return Response(
            {"detail": "The request body is too large."},
            status=status.HTTP_413_REQUEST_ENTITY_TOO_LARGE,
        )
    return Response({"detail": "The request has too many fields or files."}, status=400)


def _unavailable(exc, context):
    response = Response(
        db_unavailable.body(),
        status=status.HTTP_503_SERVICE_UNAVAILABLE,
        headers=db_unavailable.headers(),
    )
    return db_unavailable.logged(response, context.get("request"), exc)


def exception_handler(exc, context):
    if db_unavailable.is_unavailable(exc):
        return _unavailable(exc, context)
    if isinstance(exc, VersionConflict):
        return _conflict(exc, context)
    if isinstance(exc, RequestDataTooBig | TooManyFieldsSent | TooManyFilesSent):
        return _body_refused(exc, context)
    if isinstance(exc, DjangoValidationError):
        detail = (
            exc.message_dict if hasattr(exc, "error_dict") else {"non_field_errors": exc.messages}
        )
        exc = ValidationError(detail)
    elif isinstance(exc, ObjectDoesNotExist):
        exc = NotFound()
    return drf_exception_handler(exc, context)
