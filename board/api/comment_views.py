"""Comments on a card (SPEC section 12): list and write, edit and delete.

Each view answers 404 outside the caller's boards (before reading the body), 403 to a
viewer's write, then makes one call into board/services/comments.py; the author-only and
author-or-owner rules live there (403 as well)."""

from django.http import Http404
from drf_spectacular.utils import extend_schema
from rest_framework import serializers, status
from rest_framework.exceptions import PermissionDenied
from rest_framework.generics import GenericAPIView
from rest_framework.permissions import IsAuthenticated
from rest_framework.response import Response

from realtime_scrum.db_router import replica_reads

from .. import access
from ..models import Comment, Task
from ..permissions import BoardContentPermission
from ..representation import comment_values
from ..services import comments
from ._common import actor_from
from .pagination import Pagination


class CommentAuthorSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    username = serializers.CharField()
    full_name = serializers.CharField()


class CommentSerializer(serializers.Serializer):
    """Comment JSON (board.representation.comment_values renders it; this is its schema)."""

    id = serializers.IntegerField(read_only=True)
    task = serializers.IntegerField(read_only=True)
    author = CommentAuthorSerializer(read_only=True, allow_null=True)
    body = serializers.CharField(max_length=comments.BODY_MAX)
    mentions = serializers.ListField(child=serializers.CharField(), read_only=True)
    created_at = serializers.DateTimeField(read_only=True)
    edited_at = serializers.DateTimeField(read_only=True, allow_null=True)


def _row(request, model, pk) -> tuple[int, str]:
    found = access.row_access(user=request.user, model=model, pk=pk)
    if found is None:
        raise Http404(f"No {model._meta.object_name} matches the given query.")
    return found


def _writer(request, model, pk) -> int:
    """The row's id for a write: 404 outside the caller's boards, 403 for a viewer."""
    _, role = _row(request, model, pk)
    if not access.can_write(role):
        raise PermissionDenied(BoardContentPermission.message)
    return int(pk)


def _body(request) -> str:
    data = CommentSerializer(data=request.data)
    data.is_valid(raise_exception=True)
    return data.validated_data["body"]


class TaskCommentsView(GenericAPIView):
    permission_classes = [IsAuthenticated]
    serializer_class = CommentSerializer
    pagination_class = Pagination
    filter_backends = []  # paged, never filtered or searched

    @extend_schema(responses=CommentSerializer(many=True))
    @replica_reads
    def get(self, request, pk):
        """The card's comments, oldest first (25 a page, page_size up to 100)."""
        _row(request, Task, pk)
        rows = Comment.objects.filter(task_id=int(pk)).select_related("author")
        page = self.paginate_queryset(rows.order_by("created_at", "id"))
        return self.get_paginated_response([comment_values(c) for c in page or []])

    @extend_schema(request=CommentSerializer, responses={201: CommentSerializer})
    def post(self, request, pk):
        """Comment on the card; `@username` of a member mentions them."""
        task_id = _writer(request, Task, pk)
        comment = comments.comment_create(
            actor=actor_from(request), task_id=task_id, body=_body(request)
        )
        return Response(comment_values(comment), status=status.HTTP_201_CREATED)


class CommentDetailView(GenericAPIView):
    permission_classes = [IsAuthenticated]
    serializer_class = CommentSerializer

    @extend_schema(request=CommentSerializer, responses=CommentSerializer)
    def patch(self, request, pk):
        """Edit your comment's body (its author only)."""
        comment_id = _writer(request, Comment, pk)
        comment = comments.comment_update(
            actor=actor_from(request), comment_id=comment_id, body=_body(request)
        )
        return Response(comment_values(comment))

    @extend_schema(responses={204: None})
    def delete(self, request, pk):
        """Delete a comment: its author, or the board's owner."""
        comment_id = _writer(request, Comment, pk)
        comments.comment_delete(actor=actor_from(request), comment_id=comment_id)
        return Response(status=status.HTTP_204_NO_CONTENT)
