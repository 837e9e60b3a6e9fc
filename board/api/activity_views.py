"""A card's activity from the event log (SPEC section 12): members read it, viewers too."""

from django.http import Http404
from drf_spectacular.utils import extend_schema, inline_serializer
from rest_framework import serializers
from rest_framework.permissions import IsAuthenticated
from rest_framework.views import APIView

from realtime_scrum.db_router import replica_reads

from .. import access
from ..history.activity import task_activity
from ..models import Board, Task
from .pagination import Pagination

_Entry = inline_serializer(
    "TaskActivityEntry",
    {
        "seq": serializers.IntegerField(),
        "name": serializers.CharField(help_text="The event's name, e.g. task.moved."),
        "actor": inline_serializer(
            "TaskActivityActor",
            {"id": serializers.IntegerField(), "username": serializers.CharField()},
            allow_null=True,
        ),
        "at": serializers.DateTimeField(),
        "changes": serializers.DictField(
            child=serializers.ListField(min_length=2, max_length=2),
            help_text="{field: [old, new]}",
        ),
        "reverts": serializers.IntegerField(required=False, help_text="The seq an undo undid."),
        "comment": serializers.IntegerField(required=False),
        "item": serializers.IntegerField(required=False, help_text="The checklist item."),
    },
)
_Page = inline_serializer(
    "TaskActivityPage",
    {
        "count": serializers.IntegerField(),
        "next": serializers.URLField(allow_null=True),
        "previous": serializers.URLField(allow_null=True),
        "results": _Entry.__class__(many=True),
    },
)


class TaskActivityView(APIView):
    permission_classes = [IsAuthenticated]

    @extend_schema(responses=_Page)
    @replica_reads
    def get(self, request, pk):
        """The card's history, newest first, paginated (25, page_size up to 100): entries
        {seq, name, actor {id, username}|null, at, changes {field: [old, new]}}, plus
        `reverts` on an undo and `comment` / `item` on comment and checklist entries."""
        found = access.row_access(user=request.user, model=Task, pk=pk)
        if found is None:  # outside the caller's boards, or in the trash
            raise Http404("No Task matches the given query.")
        board_id = found[0]
        history_from = (
            Board.objects.filter(pk=board_id).values_list("history_from", flat=True).first()
        )
        if history_from is None:  # the board went away since the check
            raise Http404("No Task matches the given query.")
        entries = task_activity(board_id=board_id, history_from=history_from, task_id=int(pk))
        paginator = Pagination()
        page = paginator.paginate_queryset(entries, request, self)
        return paginator.get_paginated_response(page)
