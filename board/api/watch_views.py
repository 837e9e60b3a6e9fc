"""Watching a card (SPEC section 12): GET and PUT {watching}.

Any member may watch, viewers included (reading is enough); outside the caller's boards the
card is a 404."""

from django.http import Http404
from drf_spectacular.utils import extend_schema
from rest_framework import serializers
from rest_framework.permissions import IsAuthenticated
from rest_framework.response import Response
from rest_framework.views import APIView

from .. import access
from ..models import Task
from ..services import watching
from ._common import actor_from


class WatchSerializer(serializers.Serializer):
    watching = serializers.BooleanField(
        help_text="Hear about comments, status moves and reassignment of this card."
    )


class TaskWatchView(APIView):
    permission_classes = [IsAuthenticated]

    def visible_task(self, pk) -> int:
        if access.row_access(user=self.request.user, model=Task, pk=pk) is None:
            raise Http404("No Task matches the given query.")
        return int(pk)

    @extend_schema(responses=WatchSerializer)
    def get(self, request, pk):
        """Whether the caller watches the card."""
        task_id = self.visible_task(pk)
        return Response(
            {"watching": watching.is_watching(user_id=request.user.pk, task_id=task_id)}
        )

    @extend_schema(request=WatchSerializer, responses=WatchSerializer)
    def put(self, request, pk):
        """Watch or stop watching the card; an explicit "stop" survives later assignments."""
        task_id = self.visible_task(pk)
        body = WatchSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        try:
            chosen = watching.watch_set(
                actor=actor_from(request), task_id=task_id, watching=body.validated_data["watching"]
            )
        except Task.DoesNotExist as exc:  # trashed or left the board since the check
            raise Http404("No Task matches the given query.") from exc
        return Response({"watching": chosen})
