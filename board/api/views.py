"""Board, sprint and task endpoints: parse, call one service, respond."""

from django.http import Http404
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import mixins, status, viewsets
from rest_framework.decorators import action
from rest_framework.exceptions import PermissionDenied, ValidationError
from rest_framework.permissions import IsAuthenticated
from rest_framework.response import Response

from realtime_scrum.db_router import replica_reads

from .. import access, realtime, representation, selectors, services
from ..history import past
from ..history.replay import HistoryPruned
from ..models import Role
from ..permissions import BoardContentPermission, BoardManagePermission
from ..representation import Links
from . import past_params
from . import serializers as s
from ._common import actor_from, expected_version, history_pruned
from .filters import SprintFilter, TaskFilter


class _Rendered:
    """Puts the request's links in the serializer context: built once per request."""

    def get_serializer_context(self):
        context = super().get_serializer_context()
        context["links"] = Links.for_request(self.request)
        return context


class BoardViewSet(_Rendered, viewsets.ModelViewSet):
    serializer_class = s.BoardSerializer
    permission_classes = [IsAuthenticated, BoardManagePermission]
    filter_backends = []

    def get_queryset(self):
        return selectors.boards_with_role(user=self.request.user)

    def perform_create(self, serializer):
        board = services.board_create(actor=actor_from(self.request), **serializer.validated_data)
        board.my_role = Role.OWNER
        serializer.instance = board

    def perform_update(self, serializer):
        board = services.board_update(
            actor=actor_from(self.request), board_id=serializer.instance.pk,
            **serializer.validated_data,
        )  # fmt: skip
        board.my_role = serializer.instance.my_role
        serializer.instance = board

    def perform_destroy(self, instance):
        services.board_delete(actor=actor_from(self.request), board_id=instance.pk)

    @extend_schema(
        parameters=[
            OpenApiParameter("seq", int, description="The board right after this event."),
            OpenApiParameter(
                "at", str,
                description="ISO 8601: the board after the last event at or before this instant "
                "(no offset: the board's zone). Not with seq.",
            ),
        ],
        responses=s.SnapshotSerializer,
    )  # fmt: skip
    @action(detail=True, methods=["get"])
    def snapshot(self, request, pk=None):
        board = self.get_object()
        if "seq" in request.query_params or "at" in request.query_params:
            return self._past_snapshot(request, board)
        snap = selectors.board_snapshot(board_id=board.pk, user=request.user)
        return Response(snap.json(Links.for_request(request)))

    def _past_snapshot(self, request, board):
        """The snapshot as of a past seq or instant, plus "as_of" {seq, at} (docs/history.md)."""
        params = request.query_params
        if "seq" in params and "at" in params:
            both = "Give seq or at, not both."
            raise ValidationError({"seq": both, "at": both})
        try:
            if "seq" in params:
                as_of = past.as_of_seq(board, past_params.seq_param(params["seq"]))
            else:
                at = past_params.at_param(params["at"], board.timezone)
                as_of = past.as_of_instant(board, at)
            state = past.past_state(board, as_of)
        except past.NotInHistory as exc:
            raise ValidationError({exc.field: str(exc)}) from None
        except HistoryPruned:
            return history_pruned(board)
        body = past.snapshot_json(
            state, board, role=past.role_then(state, request.user, board.my_role),
            links=Links.for_request(request), user=request.user,
        )  # fmt: skip
        return Response({**body, "as_of": {"seq": as_of.seq, "at": representation.stamp(as_of.at)}})

    @extend_schema(
        parameters=[
            OpenApiParameter(
                "search", str, required=True,
                description="2+ characters: the start of a username or of a word of a full name.",
            ),
        ],
        responses=s.InviteeListSerializer,
    )  # fmt: skip
    @action(detail=True, methods=["get"])
    def invitees(self, request, pk=None):
        """People an owner may invite: not members yet, found by a prefix, at most 10."""
        board = self.get_object()
        if not access.can_manage(board.my_role):
            raise PermissionDenied("Only the board's owners can invite members.")
        query = s.InviteeSearchSerializer(data=request.query_params)
        query.is_valid(raise_exception=True)
        users = selectors.users_invitable(board_id=board.pk, search=query.validated_data["search"])
        return Response({"results": [representation.user_json(u) for u in users]})

    @extend_schema(
        parameters=[
            OpenApiParameter("after", int, description="Return events with seq > after."),
            OpenApiParameter("limit", int, description="At most this many (1-1000, default 100)."),
        ],
        responses=s.EventPageSerializer,
    )
    @action(detail=True, methods=["get"])
    def events(self, request, pk=None):
        board = self.get_object()
        after = _int_param(request, "after", board.history_from, 0, 2**62)
        if after < board.history_from:  # those events were pruned (docs/history.md)
            return Response(
                {"detail": "Events up to history_from are no longer kept: load the snapshot.",
                 "history_from": board.history_from},
                status=status.HTTP_410_GONE,
            )  # fmt: skip
        limit = _int_param(request, "limit", 100, 1, 1000)
        events = selectors.board_events_after(board_id=board.pk, after=after, limit=limit)
        last = events[-1].seq if events else after
        return Response(
            {
                "results": [realtime.event_body(e) for e in events],
                "last_seq": board.last_seq,
                "has_more": last < board.last_seq,
            }
        )


def _int_param(request, name: str, default: int, low: int, high: int) -> int:
    raw = request.query_params.get(name)
    if raw in (None, ""):
        return default
    try:
        value = int(raw)
    except ValueError:
        raise ValidationError({name: "Must be an integer."}) from None
    if not low <= value <= high:
        raise ValidationError({name: f"Must be between {low} and {high}."})
    return value


class _VersionedViewSet(_Rendered, viewsets.ModelViewSet):
    """Create/update/delete through services, with If-Match/`version` concurrency."""

    permission_classes = [IsAuthenticated, BoardContentPermission]

    @replica_reads  # lists may lag (realtime_scrum/db_router.py); the row's own URL does not
    def list(self, request, *args, **kwargs):
        return super().list(request, *args, **kwargs)

    def filter_queryset(self, queryset):
        # List filters, search and ordering are for lists: a row's URL answers that row
        # whatever its query string says (access is in get_queryset). DRF would run them in
        # get_object too, and a bad filter value would then fail a PATCH.
        if self.detail:
            return queryset
        return super().filter_queryset(queryset)

    def _require_writer(self, board) -> None:
        if not access.can_write(access.role_on(user=self.request.user, board_id=board.pk)):
            raise PermissionDenied("Viewers cannot change this board.")

    def writable_row(self) -> tuple[int, int]:
        """(pk, board id) of the row a write names: 404 outside the caller's boards (checked
        before the body, so an outsider learns nothing from a 400), 403 for a viewer. Writes
        need no more of the row here: their service reads it under the board's lock."""
        model = self.get_serializer_class().Meta.model
        raw_pk = self.kwargs[self.lookup_url_kwarg or self.lookup_field]
        found = access.row_access(user=self.request.user, model=model, pk=raw_pk)
        if found is None:
            raise Http404(f"No {model._meta.object_name} matches the given query.")
        board_id, role = found
        if not access.can_write(role):
            self.permission_denied(self.request, message=BoardContentPermission.message)
        return int(raw_pk), board_id

    def perform_create(self, serializer):
        data = dict(serializer.validated_data)
        data.pop("version", None)  # nothing to be stale against on a create
        board = data.pop("board")
        self._require_writer(board)
        serializer.instance = self.create_service(
            actor=actor_from(self.request), board_id=board.pk, **data
        )

    def update(self, request, *args, **kwargs):
        partial = kwargs.pop("partial", False)
        pk, board_id = self.writable_row()
        serializer = self.get_serializer(data=request.data, partial=partial)
        serializer.is_valid(raise_exception=True)
        data = dict(serializer.validated_data)
        board = data.pop("board", None)
        if board is not None and board.pk != board_id:
            raise ValidationError({"board": "A row cannot move to another board."})
        version = expected_version(request, data)
        row = self.update_service(
            actor=actor_from(request), pk=pk, expected_version=version, **data
        )
        out = self.get_serializer(row)
        return Response(out.data, headers={"ETag": f'"{row.version}"'})

    def destroy(self, request, *args, **kwargs):
        pk, _ = self.writable_row()
        self.delete_service(actor=actor_from(request), pk=pk)
        return Response(status=status.HTTP_204_NO_CONTENT)

    def retrieve(self, request, *args, **kwargs):
        response = super().retrieve(request, *args, **kwargs)
        response["ETag"] = f'"{response.data["version"]}"'
        return response


class SprintViewSet(_VersionedViewSet):
    serializer_class = s.SprintSerializer
    filterset_class = SprintFilter
    search_fields = ["name"]
    ordering_fields = ["end", "name"]
    ordering = ["end"]

    def get_queryset(self):
        return selectors.sprint_list_for_user(user=self.request.user)

    def create_service(self, **kwargs):
        return services.sprint_create(**kwargs)

    def update_service(self, *, pk, **kwargs):
        return services.sprint_update(sprint_id=pk, **kwargs)

    def delete_service(self, *, actor, pk):
        services.sprint_delete(
            actor=actor, sprint_id=pk, expected_version=expected_version(self.request, {})
        )


class TaskViewSet(_VersionedViewSet):
    serializer_class = s.TaskSerializer
    filterset_class = TaskFilter
    search_fields = ["name", "description"]
    ordering_fields = ["name", "order", "started", "due", "completed"]
    ordering = ["order", "id"]

    def get_queryset(self):
        return selectors.task_list_for_user(user=self.request.user)

    def create_service(self, **kwargs):
        return services.task_create(**kwargs)

    def update_service(self, *, pk, **kwargs):
        return services.task_update(task_id=pk, **kwargs)

    def delete_service(self, *, actor, pk):
        services.task_delete(
            actor=actor, task_id=pk, expected_version=expected_version(self.request, {})
        )

    @extend_schema(request=s.TaskMoveSerializer, responses=s.TaskSerializer)
    @action(detail=True, methods=["post"])
    def move(self, request, pk=None):
        pk, _ = self.writable_row()
        serializer = s.TaskMoveSerializer(data=request.data, context={"request": request})
        serializer.is_valid(raise_exception=True)
        data = dict(serializer.validated_data)
        version = expected_version(request, data)
        moved = services.task_move(
            actor=actor_from(request), task_id=pk, expected_version=version, **data
        )
        out = self.get_serializer(moved)
        return Response(out.data, status=status.HTTP_200_OK, headers={"ETag": f'"{moved.version}"'})


class MemberViewSet(
    _Rendered, mixins.ListModelMixin, mixins.DestroyModelMixin, viewsets.GenericViewSet
):
    """`/api/boards/{board_pk}/members/[{user_id}/]`: owners manage; members may leave."""

    serializer_class = s.MemberSerializer
    lookup_field = "user_id"
    filter_backends = []

    def _board(self):
        if not hasattr(self, "_board_cache"):
            self._board_cache = selectors.board_get_for_user(
                user=self.request.user, board_id=self.kwargs["board_pk"]
            )
        return self._board_cache

    def get_queryset(self):
        return selectors.member_list(board_id=self._board().pk)

    def _require_owner(self, allow_self: bool = False) -> None:
        is_self = allow_self and str(self.kwargs.get("user_id")) == str(self.request.user.pk)
        if not access.can_manage(self._board().my_role) and not is_self:
            raise PermissionDenied("Only the board's owners can manage members.")

    @extend_schema(request=s.MemberAddSerializer, responses={201: s.MemberSerializer})
    def create(self, request, board_pk=None):
        self._require_owner()
        serializer = s.MemberAddSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        membership = services.member_add(
            actor=actor_from(request),
            board_id=self._board().pk,
            user=serializer.validated_data["username"],
            role=serializer.validated_data["role"],
        )
        return Response(s.MemberSerializer(membership).data, status=status.HTTP_201_CREATED)

    @extend_schema(request=s.MemberRoleSerializer, responses=s.MemberSerializer)
    def partial_update(self, request, board_pk=None, user_id=None):
        self._require_owner()
        self.get_object()
        serializer = s.MemberRoleSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        membership = services.member_update(
            actor=actor_from(request),
            board_id=self._board().pk,
            user_id=int(user_id),
            role=serializer.validated_data["role"],
        )
        return Response(s.MemberSerializer(membership).data)

    def destroy(self, request, board_pk=None, user_id=None):
        self._require_owner(allow_self=True)
        self.get_object()
        services.member_remove(
            actor=actor_from(request), board_id=self._board().pk, user_id=int(user_id)
        )
        return Response(status=status.HTTP_204_NO_CONTENT)


class UserViewSet(_Rendered, viewsets.ReadOnlyModelViewSet):
    serializer_class = s.UserSerializer
    search_fields = ["username", "full_name"]
    ordering_fields = ["username"]
    filterset_fields: list[str] = []

    def get_queryset(self):
        return selectors.users_visible_to(user=self.request.user)
