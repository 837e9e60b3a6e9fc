"""REST for export/import and the calendar feed (SPEC section 13, docs/integrations.md).
Each view: parse, one service or selector call, a response."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError as DjangoValidationError
from django.http import Http404, HttpResponse
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiResponse, extend_schema, inline_serializer
from rest_framework import serializers, status
from rest_framework.exceptions import ValidationError
from rest_framework.permissions import AllowAny, IsAuthenticated
from rest_framework.response import Response
from rest_framework.views import APIView

from board import selectors as board_selectors
from realtime_scrum.accounts.permissions import LoginSessionOnly
from realtime_scrum.parsers import JSONParser

from .. import export, ics, selectors, services

_JOB = inline_serializer(
    "ImportJob",
    {
        "id": serializers.IntegerField(),
        "state": serializers.ChoiceField(choices=["queued", "running", "done", "failed"]),
        "progress": serializers.IntegerField(min_value=0, max_value=100),
        "board": serializers.IntegerField(allow_null=True),
        "errors": serializers.ListField(child=serializers.CharField()),
    },
)
_QUEUED = inline_serializer("ImportQueued", {"id": serializers.IntegerField()})
_FEED = inline_serializer("CalendarFeedUrl", {"url": serializers.URLField()})


def job_json(job: Any) -> dict[str, Any]:
    return {
        "id": job.pk,
        "state": job.state,
        "progress": job.progress,
        "board": job.board_id,
        "errors": list(job.errors),
    }


class BoardExportView(APIView):
    permission_classes = [IsAuthenticated]

    @extend_schema(responses={200: OpenApiTypes.OBJECT})
    def get(self, request, pk):
        """The whole board as one `realtime-scrum/1` document (any member; 404 otherwise)."""
        board = board_selectors.board_get_for_user(user=request.user, board_id=pk)
        document = export.board_document(board)
        filename = f"board-{board.pk}.json"
        return Response(
            document, headers={"Content-Disposition": f'attachment; filename="{filename}"'}
        )


class BoardImportView(APIView):
    permission_classes = [IsAuthenticated]
    # JSON only: a form body is no document (415), never a half-parsed one.
    parser_classes = [JSONParser]

    @extend_schema(
        request={"application/json": OpenApiTypes.OBJECT},
        responses={
            202: _QUEUED,
            400: OpenApiResponse(
                description="Not an importable document: {document: [messages]} (or a JSON "
                "parse error's {detail})"
            ),
            413: OpenApiResponse(description="Body over DATA_UPLOAD_MAX_MEMORY_SIZE"),
        },
    )
    def post(self, request):
        """Queue the import of our export or a Trello board export into a new board of the
        caller's; poll `GET /api/imports/{id}/`."""
        try:
            job = services.import_start(user=request.user, document=request.data)
        except DjangoValidationError as exc:
            raise ValidationError({"document": exc.messages}) from exc
        return Response({"id": job.pk}, status=status.HTTP_202_ACCEPTED)


class ImportJobView(APIView):
    permission_classes = [IsAuthenticated]

    @extend_schema(responses={200: _JOB})
    def get(self, request, pk):
        """The caller's own import: state, progress 0..100, the board once done, messages."""
        job = selectors.import_job_get_for_user(user=request.user, job_id=pk)
        return Response(job_json(job))


class CalendarFeedView(APIView):
    # A feed URL outlives any token: only a password login, not a personal access token
    # (403), may issue or rotate one.
    permission_classes = [IsAuthenticated, LoginSessionOnly]

    @extend_schema(request=None, responses={201: _FEED})
    def post(self, request):
        """Issue the caller's calendar feed URL, or rotate it (the old URL stops working)."""
        secret = services.calendar_feed_issue(user=request.user)
        path = f"/api/calendar/{secret}.ics"
        site = settings.SITE_URL.rstrip("/") if settings.SITE_URL else ""
        url = site + path if site else request.build_absolute_uri(path)
        return Response({"url": url}, status=status.HTTP_201_CREATED)

    @extend_schema(request=None, responses={204: None})
    def delete(self, request):
        """Turn the feed off: its URL answers 404 from now on."""
        services.calendar_feed_revoke(user=request.user)
        return Response(status=status.HTTP_204_NO_CONTENT)


class CalendarIcsView(APIView):
    """The feed itself: the secret in the URL is the only credential (calendar apps send no
    header), so no authentication runs and a bearer header changes nothing."""

    authentication_classes: list[Any] = []
    permission_classes = [AllowAny]

    @extend_schema(
        operation_id="calendar_feed_ics",
        auth=[],
        responses={
            (200, "text/calendar"): OpenApiTypes.STR,
            404: OpenApiResponse(description="Unknown, rotated or revoked feed"),
        },
    )
    def get(self, request, secret):
        """The caller's assigned tasks with a due date and their sprints' ends (RFC 5545)."""
        user = selectors.calendar_user(secret=secret)
        if user is None:
            raise Http404("No such calendar feed.")
        site = (settings.SITE_URL or request.build_absolute_uri("/")).rstrip("/")
        body = ics.calendar_document(
            site=site,
            name=f"Realtime Scrum: {user.username}",
            tasks=selectors.calendar_tasks(user=user),
            sprints=selectors.calendar_sprints(user=user),
        )
        response = HttpResponse(body, content_type="text/calendar; charset=utf-8")
        response["Cache-Control"] = "private, max-age=300"
        return response
