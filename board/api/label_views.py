"""Labels of a board (SPEC section 12): list and create on the board, edit and delete by id.

Access first, the body after: 404 outside the caller's boards, 403 for a viewer's write.
Each write is one call into services/labels.py; the response is the label's values."""

from django.http import Http404
from drf_spectacular.utils import extend_schema
from rest_framework import serializers, status
from rest_framework.exceptions import PermissionDenied
from rest_framework.permissions import IsAuthenticated
from rest_framework.response import Response
from rest_framework.views import APIView

from realtime_scrum.db_router import replica_reads

from .. import access, representation, selectors
from ..models import Label
from ..permissions import BoardContentPermission
from ..services.labels import (
    COLOR_PATTERN,
    LABELS_PER_BOARD_MAX,
    NAME_MAX,
    label_create,
    label_delete,
    label_update,
)
from ._common import actor_from

_COLOR_HELP = "#rrggbb; upper case is accepted and stored lower case."


class LabelSerializer(serializers.Serializer):
    """The label as every reader gets it (representation.label_values)."""

    id = serializers.IntegerField(read_only=True)
    board = serializers.IntegerField(read_only=True)
    name = serializers.CharField(read_only=True)
    color = serializers.CharField(read_only=True)


class LabelInput(serializers.Serializer):
    name = serializers.CharField(
        max_length=NAME_MAX, help_text="Unique on the board, ignoring case; trimmed."
    )
    color = serializers.RegexField(COLOR_PATTERN, help_text=_COLOR_HELP)


def _writer_check(role: str | None) -> None:
    if not access.can_write(role):
        raise PermissionDenied(BoardContentPermission.message)


class BoardLabelsView(APIView):
    permission_classes = [IsAuthenticated]

    @extend_schema(responses={200: LabelSerializer(many=True)})
    @replica_reads
    def get(self, request, pk):
        """The board's labels, oldest first: at most 100, so not paged."""
        board = selectors.board_get_for_user(user=request.user, board_id=pk)
        labels = Label.objects.filter(board=board).order_by("pk")[:LABELS_PER_BOARD_MAX]
        return Response([representation.label_values(label) for label in labels])

    @extend_schema(request=LabelInput, responses={201: LabelSerializer})
    def post(self, request, pk):
        """Add a label (label.created). 400 on a name the board already has in any case."""
        board = selectors.board_get_for_user(user=request.user, board_id=pk)
        _writer_check(board.my_role)
        body = LabelInput(data=request.data)
        body.is_valid(raise_exception=True)
        label = label_create(actor=actor_from(request), board_id=board.pk, **body.validated_data)
        return Response(representation.label_values(label), status=status.HTTP_201_CREATED)


class LabelDetailView(APIView):
    permission_classes = [IsAuthenticated]

    def writable_label(self, pk) -> int:
        found = access.row_access(user=self.request.user, model=Label, pk=pk)
        if found is None:
            raise Http404("No Label matches the given query.")
        _writer_check(found[1])
        return int(pk)

    # A PATCH body: drf-spectacular documents it as PatchedLabelInput, every field optional.
    @extend_schema(request=LabelInput, responses={200: LabelSerializer})
    def patch(self, request, pk):
        """Rename or recolour (label.updated; nothing when nothing changes)."""
        label_id = self.writable_label(pk)
        body = LabelInput(data=request.data, partial=True)
        body.is_valid(raise_exception=True)
        label = label_update(actor=actor_from(request), label_id=label_id, **body.validated_data)
        return Response(representation.label_values(label))

    @extend_schema(request=None, responses={204: None})
    def delete(self, request, pk):
        """Delete the label; it leaves every card carrying it (label.deleted), whose
        versions stay as they are."""
        label_id = self.writable_label(pk)
        label_delete(actor=actor_from(request), label_id=label_id)
        return Response(status=status.HTTP_204_NO_CONTENT)
