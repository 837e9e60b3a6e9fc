"""Map domain exceptions to HTTP: rule violations are 400 with field messages, stale versions
409 with the row as it is now, rows that vanished under a request 404."""

from django.core.exceptions import ObjectDoesNotExist
from django.core.exceptions import ValidationError as DjangoValidationError
from rest_framework import status
from rest_framework.exceptions import NotFound, ValidationError
from rest_framework.response import Response
from rest_framework.views import exception_handler as drf_exception_handler

from ..models import Sprint, Task
from ..services import VersionConflict


def _conflict(exc: VersionConflict, context) -> Response:
    from .serializers import SprintSerializer, TaskSerializer

    serializer = {Task: TaskSerializer, Sprint: SprintSerializer}[type(exc.current)]
    current = serializer(exc.current, context={"request": context.get("request")}).data
    body = {
        "detail": "This item was changed by someone else. Review the current values and retry.",
        "current": current,
    }
    return Response(
        body, status=status.HTTP_409_CONFLICT, headers={"ETag": f'"{exc.current.version}"'}
    )


def exception_handler(exc, context):
    if isinstance(exc, VersionConflict):
        return _conflict(exc, context)
    if isinstance(exc, DjangoValidationError):
        detail = (
            exc.message_dict if hasattr(exc, "error_dict") else {"non_field_errors": exc.messages}
        )
        exc = ValidationError(detail)
    elif isinstance(exc, ObjectDoesNotExist):
        exc = NotFound()
    return drf_exception_handler(exc, context)
