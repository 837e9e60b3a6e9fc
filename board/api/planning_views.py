"""Sprint lifecycle and planning (SPEC section 11): start, close with carry-over, plan.

Each view checks access to the sprint (404 outside the caller's boards, 403 for a viewer)
before it reads the body, then makes one call into services/sprint_lifecycle.py."""

from django.http import Http404
from drf_spectacular.utils import extend_schema
from rest_framework import serializers
from rest_framework.permissions import IsAuthenticated
from rest_framework.response import Response
from rest_framework.views import APIView

from .. import access, representation, services
from ..access import MAX_ID
from ..models import Sprint
from ..permissions import BoardContentPermission
from ..representation import Links
from ..services.sprint_lifecycle import PLAN_MAX
from ._common import actor_from, expected_version
from .serializers import SprintSerializer

_VERSION_HELP = "Send the sprint's version you saw to get 409 if it is stale."


class SprintStartInput(serializers.Serializer):
    version = serializers.IntegerField(required=False, min_value=0, help_text=_VERSION_HELP)


class SprintCloseInput(serializers.Serializer):
    carry_to = serializers.IntegerField(
        min_value=1, max_value=MAX_ID, allow_null=True, required=False, default=None,
        help_text="Sprint (planned or active, same board) for the unfinished tasks; "
        "null: the backlog, as Not Started with dates cleared.",
    )  # fmt: skip
    version = serializers.IntegerField(required=False, min_value=0, help_text=_VERSION_HELP)


class SprintPlanInput(serializers.Serializer):
    tasks = serializers.ListField(
        child=serializers.IntegerField(min_value=1, max_value=MAX_ID),
        min_length=1, max_length=PLAN_MAX,
        help_text="Backlog task ids, in the order they join the sprint's Not Started column.",
    )  # fmt: skip
    version = serializers.IntegerField(required=False, min_value=0, help_text=_VERSION_HELP)


class _SprintAction(APIView):
    permission_classes = [IsAuthenticated]
    input_class: type[serializers.Serializer] = SprintStartInput

    def writable_sprint(self, pk) -> int:
        found = access.row_access(user=self.request.user, model=Sprint, pk=pk)
        if found is None:
            raise Http404("No Sprint matches the given query.")
        if not access.can_write(found[1]):
            self.permission_denied(self.request, message=BoardContentPermission.message)
        return int(pk)

    def post(self, request, pk):
        sprint_id = self.writable_sprint(pk)
        body = self.input_class(data=request.data)
        body.is_valid(raise_exception=True)
        data = dict(body.validated_data)
        version = expected_version(request, data)
        sprint = self.run(actor=actor_from(request), sprint_id=sprint_id, version=version, **data)
        out = representation.sprint_row_json(sprint, Links.for_request(request))
        return Response(out, headers={"ETag": f'"{sprint.version}"'})


class SprintStartView(_SprintAction):
    input_class = SprintStartInput

    @extend_schema(request=SprintStartInput, responses=SprintSerializer)
    def post(self, request, pk):
        """Start a planned sprint (planned → active) and record its committed scope."""
        return super().post(request, pk)

    def run(self, *, actor, sprint_id, version):
        return services.sprint_start(actor=actor, sprint_id=sprint_id, expected_version=version)


class SprintCloseView(_SprintAction):
    input_class = SprintCloseInput

    @extend_schema(request=SprintCloseInput, responses=SprintSerializer)
    def post(self, request, pk):
        """Close the active sprint; its unfinished tasks move to `carry_to` or the backlog."""
        return super().post(request, pk)

    def run(self, *, actor, sprint_id, version, carry_to):
        return services.sprint_close(
            actor=actor, sprint_id=sprint_id, carry_to=carry_to, expected_version=version
        )


class SprintPlanView(_SprintAction):
    input_class = SprintPlanInput

    @extend_schema(request=SprintPlanInput, responses=SprintSerializer)
    def post(self, request, pk):
        """Move backlog tasks into a planned or active sprint, in the given order."""
        return super().post(request, pk)

    def run(self, *, actor, sprint_id, version, tasks):
        return services.sprint_plan(
            actor=actor, sprint_id=sprint_id, tasks=tasks, expected_version=version
        )
