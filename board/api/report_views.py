"""Reports from the event log (SPEC section 11): burndown and velocity. Any member of the
board, viewers included, may read them; others get 404 as for everything inside a board."""

from django.http import Http404
from drf_spectacular.utils import OpenApiParameter, extend_schema, inline_serializer
from rest_framework import serializers, status
from rest_framework.exceptions import ValidationError
from rest_framework.permissions import IsAuthenticated
from rest_framework.response import Response
from rest_framework.views import APIView

from realtime_scrum.db_router import replica_reads

from .. import access, representation, selectors
from ..history import reports
from ..history.replay import HistoryPruned
from ..models import Board, Sprint
from ..representation import Links

PRUNED = "The history this report needs is no longer kept."
_NUM = serializers.FloatField
_BURNDOWN = inline_serializer(
    "Burndown",
    {
        "sprint": serializers.DictField(help_text="Sprint JSON"),
        "unit_days": inline_serializer("BurndownDay", {
            "date": serializers.DateField(), "scope_points": _NUM(), "remaining_points": _NUM(),
            "scope_tasks": serializers.IntegerField(),
            "remaining_tasks": serializers.IntegerField(),
        }, many=True),
        "ideal": inline_serializer("BurndownIdeal", {
            "date": serializers.DateField(), "remaining_points": _NUM(),
        }, many=True),
        "scope_changes": inline_serializer("ScopeChange", {
            "seq": serializers.IntegerField(), "at": serializers.DateTimeField(),
            "task": serializers.IntegerField(), "points_delta": _NUM(),
        }, many=True),
    },
)  # fmt: skip
_VELOCITY = inline_serializer(
    "VelocityRow",
    {
        "sprint": serializers.IntegerField(), "name": serializers.CharField(),
        "start": serializers.DateField(), "end": serializers.DateField(),
        "committed_points": _NUM(), "completed_points": _NUM(),
        "committed_tasks": serializers.IntegerField(),
        "completed_tasks": serializers.IntegerField(),
    },
    many=True,
)  # fmt: skip


class SprintBurndownView(APIView):
    permission_classes = [IsAuthenticated]

    @extend_schema(responses=_BURNDOWN)
    @replica_reads
    def get(self, request, pk):
        found = access.row_access(user=request.user, model=Sprint, pk=pk)
        if found is None:
            raise Http404("No such sprint.")
        sprint = Sprint.objects.select_related("board").get(pk=pk)
        try:
            report = reports.burndown(board=sprint.board, sprint=sprint)
        except reports.NotCharted as exc:
            return Response({"detail": str(exc)}, status=status.HTTP_400_BAD_REQUEST)
        except HistoryPruned:
            return Response({"detail": PRUNED}, status=status.HTTP_410_GONE)
        body = {"sprint": representation.sprint_row_json(sprint, Links.for_request(request))}
        return Response({**body, **report})


def _last(raw: str | None) -> int:
    if raw is None or raw == "":
        return reports.LAST_DEFAULT
    message = f"Give a whole number from 1 to {reports.LAST_MAX}."
    if not raw.isdigit() or len(raw) > 3:
        raise ValidationError({"last": message})
    value = int(raw)
    if not 1 <= value <= reports.LAST_MAX:
        raise ValidationError({"last": message})
    return value


class BoardVelocityView(APIView):
    permission_classes = [IsAuthenticated]

    @extend_schema(
        parameters=[OpenApiParameter("last", int, description="1-50, default 6")],
        responses=_VELOCITY,
    )
    @replica_reads
    def get(self, request, pk):
        board: Board = selectors.board_get_for_user(user=request.user, board_id=pk)
        last = _last(request.query_params.get("last"))
        try:
            return Response(reports.velocity(board=board, last=last))
        except HistoryPruned:
            return Response({"detail": PRUNED}, status=status.HTTP_410_GONE)
