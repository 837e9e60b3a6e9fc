"""REST representations. Without a request in the context (event payloads) links are
relative paths; with one they are absolute URLs."""

from __future__ import annotations

import copy

from django.contrib.auth import get_user_model
from django.urls import reverse
from django.utils import timezone
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from .. import selectors
from ..models import Board, BoardEvent, Membership, Role, Sprint, Status, Task
from ._common import built_once

User = get_user_model()
# Descriptions are free text, but every change is fanned out to every socket on the board:
# keep one row's event well inside a frame a browser handles comfortably.
DESCRIPTION_MAX = 20_000


_PK_MARKER = 987654321987


def _memo(serializer: serializers.Serializer) -> dict:
    # A list's child serializer is one instance for every row: per-request values computed
    # once here instead of per row. B6 profile, 50-task list: reverse() 150 times and
    # get_host() (ALLOWED_HOSTS validation) 150 times were a quarter of the view's CPU.
    return serializer.__dict__.setdefault("_row_memo", {})


def _origin(serializer: serializers.Serializer) -> str:
    """`scheme://host` of the request ("" without one: links are then relative paths)."""
    memo = _memo(serializer)
    if "origin" not in memo:
        request = serializer.context.get("request")
        memo["origin"] = request.build_absolute_uri("/")[:-1] if request else ""
    return memo["origin"]


def _link(serializer: serializers.Serializer, path: str) -> str:
    return _origin(serializer) + path


def _url(serializer: serializers.Serializer, name: str, pk: int) -> str:
    """The link to reverse(name, args=[pk]): the pattern resolved and joined to the origin
    once per serializer, then one format per link (a 50-task page has 150 links)."""
    memo = _memo(serializer)
    template = memo.get(name)
    if template is None:
        marked = reverse(name, args=[_PK_MARKER])
        template = _origin(serializer) + marked.replace(str(_PK_MARKER), "{pk}")
        memo[name] = template
    return template.format(pk=pk)


def _channel(serializer: serializers.Serializer, board_id: int) -> str:
    path = f"/ws/boards/{board_id}/"
    memo = _memo(serializer)
    if "ws_origin" not in memo:
        request = serializer.context.get("request")
        scheme = "wss" if request and request.is_secure() else "ws"
        memo["ws_origin"] = f"{scheme}://{request.get_host()}" if request else ""
    return memo["ws_origin"] + path


class _FieldsBuiltOnce:
    """ModelSerializer.get_fields inspects the model and builds every field anew for each
    serializer: under daphne a tenth of a PATCH's CPU went to building the one that validates
    its body (B6 profile). What it builds depends only on the class (our related fields read
    the request when they validate, not when built), so it is built once per class and
    deep-copied per serializer, as DRF itself copies declared fields."""

    def get_fields(self):
        return copy.deepcopy(built_once(self, "_built_fields", super().get_fields))


class UserSerializer(serializers.ModelSerializer):
    class Meta:
        model = User
        fields = ["id", "username", "full_name"]
        read_only_fields = fields


class MemberSerializer(serializers.ModelSerializer):
    user = UserSerializer(read_only=True)

    class Meta:
        model = Membership
        fields = ["user", "role", "joined_at"]
        read_only_fields = ["joined_at"]


class MemberAddSerializer(serializers.Serializer):
    username = serializers.CharField(max_length=150)
    role = serializers.ChoiceField(choices=Role.choices, default=Role.MEMBER)

    def validate_username(self, value: str):
        user = User.objects.filter(username__iexact=value, is_active=True).first()
        if user is None:
            raise serializers.ValidationError("No active user with that username.")
        return user


class MemberRoleSerializer(serializers.Serializer):
    role = serializers.ChoiceField(choices=Role.choices)


class BoardLinks(serializers.Serializer):
    self = serializers.URLField()
    snapshot = serializers.URLField()
    events = serializers.URLField()
    channel = serializers.CharField()


class BoardSerializer(serializers.ModelSerializer):
    owner = serializers.CharField(source="owner.username", read_only=True)
    role = serializers.CharField(source="my_role", read_only=True, default=None)
    seq = serializers.IntegerField(source="last_seq", read_only=True)
    links = serializers.SerializerMethodField()

    class Meta:
        model = Board
        fields = ["id", "name", "description", "owner", "role", "seq", "created_at", "links"]
        read_only_fields = ["created_at"]
        extra_kwargs = {"description": {"max_length": DESCRIPTION_MAX}}

    @extend_schema_field(BoardLinks)
    def get_links(self, board: Board) -> dict:
        return {
            "self": _url(self, "board-detail", board.pk),
            "snapshot": _url(self, "board-snapshot", board.pk),
            "events": _url(self, "board-events", board.pk),
            "channel": _channel(self, board.pk),
        }


class _MyBoardField(serializers.PrimaryKeyRelatedField):
    """Only the caller's boards resolve; any other id reads as nonexistent."""

    def get_queryset(self):
        request = self.context.get("request")
        if request is None:
            return Board.objects.all()
        return Board.objects.filter(memberships__user=request.user)


class _MySprintField(serializers.PrimaryKeyRelatedField):
    def get_queryset(self):
        request = self.context.get("request")
        if request is None:
            return Sprint.objects.all()
        return Sprint.objects.filter(board__memberships__user=request.user)


class _VisibleUserField(serializers.SlugRelatedField):
    def get_queryset(self):
        request = self.context.get("request")
        if request is None:
            return User.objects.all()
        return selectors.users_visible_to(user=request.user)


class SprintLinks(serializers.Serializer):
    self = serializers.URLField()
    tasks = serializers.URLField()
    channel = serializers.CharField()


class SprintSerializer(_FieldsBuiltOnce, serializers.ModelSerializer):
    board = _MyBoardField()
    version = serializers.IntegerField(
        required=False, help_text="Send the version you edited to get 409 if it is stale."
    )
    links = serializers.SerializerMethodField()

    class Meta:
        model = Sprint
        fields = ["id", "board", "name", "description", "end", "version", "links"]
        extra_kwargs = {"description": {"max_length": DESCRIPTION_MAX}}
        # The (board, end) uniqueness is a rule with a friendlier message in services.
        validators = []

    @extend_schema_field(SprintLinks)
    def get_links(self, sprint: Sprint) -> dict:
        return {
            "self": _url(self, "sprint-detail", sprint.pk),
            "tasks": _link(self, f"{reverse('task-list')}?sprint={sprint.pk}"),
            "channel": _channel(self, sprint.board_id),
        }


class TaskLinks(serializers.Serializer):
    self = serializers.URLField()
    sprint = serializers.URLField(allow_null=True)
    assigned = serializers.URLField(allow_null=True)


def _iso(value):
    return value.isoformat() if value is not None else None


_drf_stamp = serializers.DateTimeField().to_representation
_STATUS_LABELS = {status.value: str(status.label) for status in Status}


def _stamp(serializer: serializers.Serializer, value):
    """DRF's DateTimeField output (ISO 8601 in the current time zone, "Z" for UTC) with the
    time zone looked up once per serializer: DRF looks it up per value through an asgiref
    Local, and that was over half of serializing a 50-task page (B6 profile)."""
    if value is None:
        return None
    if value.tzinfo is None:
        return _drf_stamp(value)
    memo = _memo(serializer)
    tz = memo.get("tz")
    if tz is None:
        tz = memo["tz"] = timezone.get_current_timezone()
    text = value.astimezone(tz).isoformat()
    return text[:-6] + "Z" if text.endswith("+00:00") else text


class _StatusDisplayField(serializers.CharField):
    """The status label. `source="get_status_display"` made DRF call inspect.signature on
    that partialmethod for every row (~70 µs each, a tenth of a 50-task list's CPU)."""

    def get_attribute(self, instance: Task) -> str:
        return _STATUS_LABELS[instance.status]


class TaskSerializer(_FieldsBuiltOnce, serializers.ModelSerializer):
    board = _MyBoardField()
    sprint = _MySprintField(allow_null=True, required=False)
    assigned = _VisibleUserField(slug_field="username", allow_null=True, required=False)
    status_display = _StatusDisplayField(read_only=True)
    version = serializers.IntegerField(
        required=False, help_text="Send the version you edited to get 409 if it is stale."
    )
    links = serializers.SerializerMethodField()

    class Meta:
        model = Task
        fields = [
            "id", "board", "sprint", "name", "description", "status", "status_display",
            "order", "assigned", "started", "due", "completed", "version",
            "created_at", "updated_at", "links",
        ]  # fmt: skip
        read_only_fields = ["order", "created_at", "updated_at"]
        extra_kwargs = {"description": {"max_length": DESCRIPTION_MAX}}

    def to_representation(self, task: Task) -> dict:
        """The same dict DRF's generic path builds, written out: that path (a field lookup,
        get_attribute and to_representation per field, 16 fields) was two thirds of a 50-task
        list's CPU. tests/board/test_serializer_fast.py holds the two equal. It reads no
        `self.fields`: building them cost a PATCH more than its output (the response and the
        event payload are two serializers besides the input one)."""
        if not isinstance(task, Task):
            return super().to_representation(task)
        return {
            "id": task.pk,
            "board": task.board_id,
            "sprint": task.sprint_id,
            "name": task.name,
            "description": task.description,
            "status": int(task.status),
            "status_display": _STATUS_LABELS[task.status],
            "order": task.order,
            "assigned": task.assigned.username if task.assigned_id is not None else None,
            "started": _iso(task.started),
            "due": _iso(task.due),
            "completed": _iso(task.completed),
            "version": task.version,
            "created_at": _stamp(self, task.created_at),
            "updated_at": _stamp(self, task.updated_at),
            "links": self.get_links(task),
        }

    @extend_schema_field(TaskLinks)
    def get_links(self, task: Task) -> dict:
        return {
            "self": _url(self, "task-detail", task.pk),
            "sprint": _url(self, "sprint-detail", task.sprint_id) if task.sprint_id else None,
            "assigned": _url(self, "user-detail", task.assigned_id) if task.assigned_id else None,
        }


class TaskMoveSerializer(serializers.Serializer):
    sprint = _MySprintField(allow_null=True)
    status = serializers.ChoiceField(choices=Status.choices)
    before = serializers.IntegerField(required=False, allow_null=True)
    after = serializers.IntegerField(required=False, allow_null=True)
    version = serializers.IntegerField(required=False)


class ActorSerializer(serializers.Serializer):
    """An event's actor as board.realtime.event_body writes it: no full_name."""

    id = serializers.IntegerField()
    username = serializers.CharField()


class EventSerializer(serializers.ModelSerializer):
    """Documents the event shape; bodies come from board.realtime.event_body."""

    actor = ActorSerializer(allow_null=True)
    at = serializers.DateTimeField(source="created_at")
    data = serializers.JSONField()
    client_op_id = serializers.CharField(allow_null=True)

    class Meta:
        model = BoardEvent
        fields = ["seq", "name", "data", "actor", "client_op_id", "at"]


class EventPageSerializer(serializers.Serializer):
    results = EventSerializer(many=True)
    last_seq = serializers.IntegerField()
    has_more = serializers.BooleanField()


class SnapshotSerializer(serializers.Serializer):
    board = BoardSerializer()
    members = MemberSerializer(many=True)
    sprints = SprintSerializer(many=True)
    tasks = TaskSerializer(many=True)
    seq = serializers.IntegerField()
