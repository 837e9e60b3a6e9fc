"""A card's checklist (SPEC section 12): list and add on the card, edit and delete an item.

Each view answers 404 outside the caller's boards (and for a trashed card) before it reads
the body, 403 to a viewer on writes, then makes one call into services/checklist.py."""

from django.http import Http404
from drf_spectacular.utils import extend_schema, inline_serializer
from rest_framework import serializers, status
from rest_framework.permissions import IsAuthenticated
from rest_framework.response import Response
from rest_framework.views import APIView

from realtime_scrum.db_router import replica_reads

from .. import access, representation
from ..access import MAX_ID
from ..models import ChecklistItem, Task
from ..permissions import BoardContentPermission
from ..services import checklist as service
from ._common import actor_from, expected_version


class ChecklistItemSerializer(serializers.Serializer):
    """Output: checklist item JSON (representation.checklist_item_values)."""

    id = serializers.IntegerField(read_only=True)
    task = serializers.IntegerField(read_only=True)
    text = serializers.CharField(read_only=True)
    done = serializers.BooleanField(read_only=True)
    order = serializers.IntegerField(read_only=True)
    version = serializers.IntegerField(read_only=True)


_ANCHOR = {"min_value": 1, "max_value": MAX_ID, "required": False, "allow_null": True}


class ItemCreateInput(serializers.Serializer):
    text = serializers.CharField(max_length=service.TEXT_MAX)
    done = serializers.BooleanField(required=False, default=False)
    before = serializers.IntegerField(**_ANCHOR, help_text="Put it before this item.")
    after = serializers.IntegerField(**_ANCHOR, help_text="Put it after this item.")


class ItemUpdateInput(serializers.Serializer):
    text = serializers.CharField(max_length=service.TEXT_MAX, required=False)
    done = serializers.BooleanField(required=False)
    before = serializers.IntegerField(**_ANCHOR, help_text="Move it before this item.")
    after = serializers.IntegerField(**_ANCHOR, help_text="Move it after this item.")
    version = serializers.IntegerField(
        required=False, min_value=0, help_text="The item's version you edited: 409 if stale."
    )


ChecklistList = inline_serializer("ChecklistList", {"results": ChecklistItemSerializer(many=True)})


def _row(view: APIView, model, pk, *, write: bool) -> int:
    """The row's pk: 404 outside the caller's boards, 403 to a viewer on a write."""
    found = access.row_access(user=view.request.user, model=model, pk=pk)
    if found is None:
        raise Http404(f"No {model._meta.object_name} matches the given query.")
    if write and not access.can_write(found[1]):
        view.permission_denied(view.request, message=BoardContentPermission.message)
    return int(pk)


def _item_response(item: ChecklistItem, code: int = status.HTTP_200_OK) -> Response:
    body = representation.checklist_item_values(item)
    return Response(body, status=code, headers={"ETag": f'"{item.version}"'})


class TaskChecklistView(APIView):
    permission_classes = [IsAuthenticated]

    @extend_schema(responses=ChecklistList)
    @replica_reads
    def get(self, request, pk):
        """The card's items in order (at most 100, so not paginated)."""
        task_id = _row(self, Task, pk, write=False)
        items = ChecklistItem.objects.filter(task_id=task_id).order_by("order", "pk")
        return Response({"results": [representation.checklist_item_values(i) for i in items]})

    @extend_schema(request=ItemCreateInput, responses={201: ChecklistItemSerializer})
    def post(self, request, pk):
        """Add an item: at the end, or before/after an item of this card."""
        task_id = _row(self, Task, pk, write=True)
        body = ItemCreateInput(data=request.data)
        body.is_valid(raise_exception=True)
        item = service.checklist_item_create(
            actor=actor_from(request), task_id=task_id, **body.validated_data
        )
        return _item_response(item, status.HTTP_201_CREATED)


class ChecklistItemView(APIView):
    permission_classes = [IsAuthenticated]

    @extend_schema(request=ItemUpdateInput, responses=ChecklistItemSerializer)
    def patch(self, request, pk):
        """Edit the text, tick or untick, or move it before/after another item of its card.
        If-Match or `version`: 409 {detail, current} when the item changed since."""
        item_id = _row(self, ChecklistItem, pk, write=True)
        body = ItemUpdateInput(data=request.data)
        body.is_valid(raise_exception=True)
        data = dict(body.validated_data)
        version = expected_version(request, data)
        # A stale version raises VersionConflict: 409 with the item now (api/errors.py).
        item = service.checklist_item_update(
            actor=actor_from(request), item_id=item_id, expected_version=version, **data
        )
        return _item_response(item)

    @extend_schema(request=None, responses={204: None})
    def delete(self, request, pk):
        item_id = _row(self, ChecklistItem, pk, write=True)
        service.checklist_item_delete(
            actor=actor_from(request), item_id=item_id,
            expected_version=expected_version(request, {}),
        )  # fmt: skip
        return Response(status=status.HTTP_204_NO_CONTENT)
