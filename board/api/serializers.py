"""REST input validation and the documented shapes of the output.

Output is board/representation.py's: each serializer's `to_representation` hands the row to
it, with the links of the request the view put in the context (relative paths without one).
"""

from __future__ import annotations

from django.contrib.auth import get_user_model
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from .. import access, representation, selectors
from ..models import Board, BoardEvent, Label, Membership, Role, Sprint, Status, Task
from ..representation import RELATIVE, Links
from ..services.rules import LABELS_PER_TASK_MAX

User = get_user_model()
# Descriptions are free text, but every change is fanned out to every socket on the board:
# keep one row's event well inside a frame a browser handles comfortably.
DESCRIPTION_MAX = 20_000


def links_of(serializer: serializers.BaseSerializer) -> Links:
    return serializer.context.get("links", RELATIVE)


class AbilitiesSerializer(serializers.Serializer):
    write = serializers.BooleanField(
        help_text="May create, edit, move and delete sprints and tasks."
    )
    manage = serializers.BooleanField(
        help_text="May rename or delete the board and manage members."
    )


class UserSerializer(serializers.ModelSerializer):
    class Meta:
        model = User
        fields = ["id", "username", "full_name"]
        read_only_fields = fields

    def to_representation(self, user) -> dict:
        return representation.user_json(user)


class MemberSerializer(serializers.ModelSerializer):
    user = UserSerializer(read_only=True)
    can = AbilitiesSerializer(read_only=True)

    class Meta:
        model = Membership
        fields = ["user", "role", "joined_at", "can"]
        read_only_fields = ["joined_at"]

    def to_representation(self, membership: Membership) -> dict:
        return representation.member_row_json(membership)


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


class InviteeSearchSerializer(serializers.Serializer):
    """`?search=`: the start of a username, or of a word of a full name."""

    search = serializers.CharField(
        min_length=selectors.INVITEE_SEARCH_MIN,
        max_length=150,
        error_messages={
            "min_length": "Type at least {min_length} characters of a username or name.",
            "required": "Type at least 2 characters of a username or name.",
            "blank": "Type at least 2 characters of a username or name.",
        },
    )


class InviteeListSerializer(serializers.Serializer):
    results = UserSerializer(many=True)


class BoardLinks(serializers.Serializer):
    self = serializers.URLField()
    snapshot = serializers.URLField()
    events = serializers.URLField()
    channel = serializers.CharField()


class BoardSerializer(serializers.ModelSerializer):
    owner = serializers.CharField(source="owner.username", read_only=True)
    role = serializers.CharField(read_only=True, allow_null=True)
    can = AbilitiesSerializer(read_only=True)
    seq = serializers.IntegerField(source="last_seq", read_only=True)
    links = BoardLinks(read_only=True)

    class Meta:
        model = Board
        fields = [
            "id", "name", "description", "owner", "timezone", "role", "can", "seq",
            "created_at", "links",
        ]  # fmt: skip
        read_only_fields = ["created_at"]
        extra_kwargs = {"description": {"max_length": DESCRIPTION_MAX}}

    def to_representation(self, board: Board) -> dict:
        # `my_role`: annotated by selectors.boards_with_role, set by the view after a write.
        role = getattr(board, "my_role", None)
        request = self.context.get("request")
        user = request.user if request is not None else None
        return representation.board_json(board, role=role, links=links_of(self), user=user)


class _MyBoardField(serializers.PrimaryKeyRelatedField):
    """Only the caller's boards resolve; any other id reads as nonexistent."""

    def get_queryset(self):
        request = self.context.get("request")
        return access.boards_visible_to(request.user if request else None)


@extend_schema_field(OpenApiTypes.INT)
class _MySprintField(serializers.PrimaryKeyRelatedField):
    def get_queryset(self):
        request = self.context.get("request")
        visible = access.visible_board_ids(request.user if request else None)
        return Sprint.objects.filter(board_id__in=visible)


@extend_schema_field(OpenApiTypes.INT)
class _MyLabelField(serializers.PrimaryKeyRelatedField):
    """A label of one of the caller's boards (the service checks it is the task's board)."""

    def get_queryset(self):
        request = self.context.get("request")
        visible = access.visible_board_ids(request.user if request else None)
        return Label.objects.filter(board_id__in=visible)


class _VisibleUserField(serializers.SlugRelatedField):
    def get_queryset(self):
        request = self.context.get("request")
        if request is None:
            return User.objects.none()
        return selectors.users_visible_to(user=request.user)


class SprintLinks(serializers.Serializer):
    self = serializers.URLField()
    tasks = serializers.URLField()
    channel = serializers.CharField()


class SprintSerializer(serializers.ModelSerializer):
    board = _MyBoardField()
    version = serializers.IntegerField(
        required=False, help_text="Send the version you edited to get 409 if it is stale."
    )
    points_total = serializers.FloatField(read_only=True, help_text="Points of its tasks.")
    points_done = serializers.FloatField(read_only=True, help_text="Points of its Done tasks.")
    tasks_total = serializers.IntegerField(read_only=True)
    tasks_done = serializers.IntegerField(read_only=True)
    links = SprintLinks(read_only=True)

    class Meta:
        model = Sprint
        fields = [
            "id", "board", "name", "description", "start", "end", "goal", "state", "version",
            "points_total", "points_done", "tasks_total", "tasks_done", "links",
        ]  # fmt: skip
        read_only_fields = ["state"]
        extra_kwargs = {"description": {"max_length": DESCRIPTION_MAX}}
        # The (board, end) uniqueness is a rule with a friendlier message in services.
        validators = []

    def to_representation(self, sprint: Sprint) -> dict:
        return representation.sprint_row_json(sprint, links_of(self))


class TaskLinks(serializers.Serializer):
    self = serializers.URLField()
    sprint = serializers.URLField(allow_null=True)
    assigned = serializers.URLField(allow_null=True)


class TaskSerializer(serializers.ModelSerializer):
    board = _MyBoardField()
    sprint = _MySprintField(allow_null=True, required=False)
    assigned = _VisibleUserField(slug_field="username", allow_null=True, required=False)
    status_display = serializers.CharField(read_only=True)
    points = serializers.DecimalField(
        max_digits=4, decimal_places=1, min_value=0, max_value=999, allow_null=True,
        required=False, coerce_to_string=False,
        help_text="Story points: null = not estimated, else 0-999 with at most one decimal.",
    )  # fmt: skip
    labels = serializers.ListField(
        child=_MyLabelField(), required=False, max_length=LABELS_PER_TASK_MAX,
        help_text="Ids of labels of the task's board; the whole set (an empty list clears).",
    )  # fmt: skip
    comments_count = serializers.IntegerField(read_only=True)
    checklist_total = serializers.IntegerField(read_only=True)
    checklist_done = serializers.IntegerField(read_only=True)
    version = serializers.IntegerField(
        required=False, help_text="Send the version you edited to get 409 if it is stale."
    )
    links = TaskLinks(read_only=True)

    class Meta:
        model = Task
        fields = [
            "id", "board", "sprint", "name", "description", "status", "status_display",
            "order", "assigned", "started", "due", "completed", "points", "labels",
            "comments_count", "checklist_total", "checklist_done", "version",
            "created_at", "updated_at", "links",
        ]  # fmt: skip
        read_only_fields = ["order", "created_at", "updated_at"]
        extra_kwargs = {"description": {"max_length": DESCRIPTION_MAX}}

    def to_representation(self, task: Task) -> dict:
        return representation.task_row_json(task, links_of(self))


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
    epoch = serializers.CharField()
