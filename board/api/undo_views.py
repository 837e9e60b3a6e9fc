"""Undo of a change and the trash (SPEC section 11): revert an event, list and restore.

Each view answers 404 outside the caller's boards before anything else, 403 to a viewer,
then makes one call into services/undo.py or services/trash.py."""

from django.http import Http404
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema
from rest_framework import status
from rest_framework.exceptions import PermissionDenied
from rest_framework.permissions import IsAuthenticated
from rest_framework.response import Response
from rest_framework.views import APIView

from .. import access, representation, selectors
from ..history.replay import HistoryPruned
from ..permissions import BoardContentPermission
from ..representation import Links
from ..services import trash, undo
from ._common import actor_from, history_pruned
from .pagination import Pagination
from .serializers import TaskSerializer

_STATUS = {undo.NotUndoable: 400, undo.NotYours: 403, undo.ChangedSince: 409}


def _task_or_none(task, links: Links):
    return None if task is None else representation.task_row_json(task, links)


def _refused(exc: undo.UndoRefused, links: Links) -> Response:
    code = next(code for kind, code in _STATUS.items() if isinstance(exc, kind))
    body = {"detail": exc.detail}
    if code == 409:
        body["current"] = _task_or_none(exc.current, links)
        if exc.errors:
            body["errors"] = exc.errors
    return Response(body, status=code)


class EventRevertView(APIView):
    permission_classes = [IsAuthenticated]

    @extend_schema(request=None, responses={200: OpenApiTypes.OBJECT})
    def post(self, request, pk, seq):
        """Undo a task.updated, task.moved or task.deleted (yours, or anyone's as an owner)
        unless the task changed since: → {task, seq (the undo's event), reverts}."""
        board = selectors.board_get_for_user(user=request.user, board_id=pk)
        if not access.can_write(board.my_role):
            raise PermissionDenied(BoardContentPermission.message)
        links = Links.for_request(request)
        try:
            task, new_seq = undo.event_revert(actor=actor_from(request), board_id=board.pk, seq=seq)
        except undo.UndoRefused as exc:
            return _refused(exc, links)
        except HistoryPruned:
            return history_pruned(board)
        body = {"task": representation.task_row_json(task, links), "seq": new_seq, "reverts": seq}
        return Response(body, headers={"ETag": f'"{task.version}"'})


class BoardTrashView(APIView):
    permission_classes = [IsAuthenticated]

    @extend_schema(responses={200: OpenApiTypes.OBJECT})
    def get(self, request, pk):
        """Tasks deleted in the last TRASH_DAYS, newest deletion first: Task JSON plus
        `deleted_at` and `deleted_by` {id, username}. Paginated (25, page_size up to 100)."""
        board = selectors.board_get_for_user(user=request.user, board_id=pk)
        paginator = Pagination()
        page = paginator.paginate_queryset(trash.trash_list(board_id=board.pk), request, self)
        page = list(page or [])
        who = trash.deleted_by(page)
        links = Links.for_request(request)
        rows = []
        for task in page:
            user = who.get(task.pk)
            rows.append({
                **representation.task_row_json(task, links),
                "deleted_at": representation.stamp(task.deleted_at),
                "deleted_by": {"id": user.pk, "username": user.username} if user else None,
            })  # fmt: skip
        return paginator.get_paginated_response(rows)


class TaskRestoreView(APIView):
    permission_classes = [IsAuthenticated]

    @extend_schema(request=None, responses={200: TaskSerializer})
    def post(self, request, pk):
        """Bring a task back from the trash (task.restored): its sprint while that still
        takes tasks, else the backlog. 409 for a task on the board, 404 past TRASH_DAYS."""
        # The access rule read from the task's side, trashed rows included (row_access
        # treats a trashed task as no row).
        found = (
            access.memberships_of(request.user)
            .filter(board__tasks__pk=access.valid_id(pk))
            .values_list("role", flat=True)
            .first()
        )
        if found is None:
            raise Http404("No Task matches the given query.")
        if not access.can_write(found):
            raise PermissionDenied(BoardContentPermission.message)
        links = Links.for_request(request)
        try:
            task = trash.task_restore(actor=actor_from(request), task_id=int(pk))
        except trash.NotInTrash as exc:
            return Response(
                {"detail": "This task is on the board, not in the trash.",
                 "current": _task_or_none(exc.current, links)},
                status=status.HTTP_409_CONFLICT,
            )  # fmt: skip
        return Response(
            representation.task_row_json(task, links), headers={"ETag": f'"{task.version}"'}
        )
